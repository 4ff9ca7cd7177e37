package dev.sluice.core.store.r2dbc;

import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import static dev.sluice.core.store.r2dbc.StoreFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

/** How store URLs reach the drivers. */
class StoreUrlTest {

    @Test
    void defaultUrlIsAFileUnderDataRelativeToTheWorkingDirectory() {
        ConnectionFactoryOptions options = R2dbcStore.options(R2dbcStore.DEFAULT_URL);

        assertThat(options.getValue(ConnectionFactoryOptions.DRIVER)).isEqualTo("h2");
        assertThat(options.getValue(ConnectionFactoryOptions.PROTOCOL)).isEqualTo("file");
        // r2dbc-h2 opens "file:" + this, which H2 resolves against the working directory and suffixes with .mv.db.
        assertThat(options.getValue(ConnectionFactoryOptions.DATABASE)).isEqualTo("./data/sluice");
    }

    @Test
    void anH2FileWritesEachCommitBeforeItReturnsUnlessTheUrlSaysOtherwise() {
        assertThat(R2dbcStore.options(R2dbcStore.DEFAULT_URL).getValue(Option.valueOf("options"))).isEqualTo("WRITE_DELAY=0");
        assertThat(R2dbcStore.options("r2dbc:h2:file:///./data/x?options=CACHE_SIZE=8192").getValue(Option.valueOf("options")))
                .isEqualTo("CACHE_SIZE=8192;WRITE_DELAY=0");
        assertThat(R2dbcStore.options("r2dbc:h2:file:///./data/x?options=WRITE_DELAY=100").getValue(Option.valueOf("options")))
                .isEqualTo("WRITE_DELAY=100");
        assertThat(R2dbcStore.options("r2dbc:h2:mem:///name").hasOption(Option.valueOf("options"))).isFalse();
    }

    @Test
    void inMemoryDatabasesLiveUntilTheStoreIsClosed() {
        ConnectionFactoryOptions options = R2dbcStore.options("r2dbc:h2:mem:///name");

        assertThat(options.getValue(ConnectionFactoryOptions.DATABASE)).isEqualTo("name");
        assertThat(options.getValue(Option.valueOf("DB_CLOSE_DELAY"))).isEqualTo("-1");
    }

    @Test
    void postgresUrlsPassThrough() {
        ConnectionFactoryOptions options = R2dbcStore.options("r2dbc:postgresql://sluice@db.internal:5433/gateway");

        assertThat(options.getValue(ConnectionFactoryOptions.DRIVER)).isEqualTo("postgresql");
        assertThat(options.getValue(ConnectionFactoryOptions.USER)).isEqualTo("sluice");
        assertThat(options.getValue(ConnectionFactoryOptions.HOST)).isEqualTo("db.internal");
        assertThat(options.getValue(ConnectionFactoryOptions.PORT)).isEqualTo(5433);
        assertThat(options.getValue(ConnectionFactoryOptions.DATABASE)).isEqualTo("gateway");
        assertThat(options.hasOption(Option.valueOf("DB_CLOSE_DELAY"))).isFalse();
    }

    @Test
    void refusesAPoolOfNoConnections() {
        StepVerifier.create(R2dbcStore.open("r2dbc:h2:mem:///unused", 0))
                .expectErrorMessage("max_pool_size: 0 (expected: > 0)")
                .verify(TIMEOUT);
    }
}
