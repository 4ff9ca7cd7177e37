package dev.sluice.core.store.r2dbc;

import dev.sluice.core.metrics.MetricNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.r2dbc.pool.PoolMetrics;
import java.util.function.ToIntFunction;

import dev.sluice.core.files.FileRepository;
import dev.sluice.core.batches.BatchRepository;
import dev.sluice.core.jobs.AsyncJobRepository;
import dev.sluice.core.keys.VirtualKeyRepository;
import dev.sluice.core.store.Store;
import dev.sluice.core.usage.UsageRepository;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import io.r2dbc.spi.ValidationDepth;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The {@link Store} over R2DBC, on embedded H2 or on PostgreSQL, behind a bounded connection pool.
 *
 * <p>Accepted URLs:
 * <ul>
 *   <li>{@code r2dbc:h2:file:///./data/sluice} ({@link #DEFAULT_URL}): an embedded database in the file
 *       {@code ./data/sluice.mv.db} relative to the working directory, created on first open;
 *       {@code r2dbc:h2:file:////var/lib/sluice/db} names an absolute path.</li>
 *   <li>{@code r2dbc:h2:mem:///name}: an in-memory database that lives until the store is closed (tests).</li>
 *   <li>{@code r2dbc:postgresql://USER[:PASSWORD]@HOST:PORT/DATABASE}: PostgreSQL, which several
 *       gateway instances may share.</li>
 * </ul>
 */
public final class R2dbcStore implements Store, MeterBinder {

    /** The embedded default: a file under {@code ./data}. */
    public static final String DEFAULT_URL = "r2dbc:h2:file:///./data/sluice";

    private static final String POOL_NAME = "sluice-store";
    private static final Duration MAX_IDLE = Duration.ofMinutes(10);
    private static final Duration MAX_ACQUIRE = Duration.ofSeconds(30);
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(5);
    private static final Option<String> DB_CLOSE_DELAY = Option.valueOf("DB_CLOSE_DELAY");
    /** The H2 driver's settings appended to its JDBC URL, semicolon-separated. */
    private static final Option<String> H2_OPTIONS = Option.valueOf("options");

    private final Database database;
    private final R2dbcVirtualKeyRepository virtualKeys;
    private final R2dbcUsageRepository usage;
    private final R2dbcAsyncJobRepository jobs;
    private final R2dbcFileRepository files;
    private final R2dbcBatchRepository batches;

    private R2dbcStore(Database database, Clock clock) {
        this.database = database;
        this.virtualKeys = new R2dbcVirtualKeyRepository(database, clock);
        this.usage = new R2dbcUsageRepository(database);
        this.jobs = new R2dbcAsyncJobRepository(database);
        this.files = new R2dbcFileRepository(database, clock);
        this.batches = new R2dbcBatchRepository(database);
    }

    /** Opens the database at {@code url} (see the accepted forms above), migrates it, and emits the store. */
    public static Mono<Store> open(String url, int maxPoolSize) {
        Objects.requireNonNull(url, "url");
        return Mono.fromCallable(() -> options(url))
                // Finding the driver scans the classpath: keep it off the caller's thread.
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(options -> open(ConnectionFactories.get(options), maxPoolSize, isH2InMemory(options)));
    }

    /** Opens a store over a factory the application already has, migrates the database, and emits the store. */
    public static Mono<Store> open(ConnectionFactory factory, int maxPoolSize) {
        Objects.requireNonNull(factory, "factory");
        return open(factory, maxPoolSize, false);
    }

    private static Mono<Store> open(ConnectionFactory factory, int maxPoolSize, boolean shutdownOnClose) {
        if (maxPoolSize <= 0) {
            return Mono.error(new IllegalArgumentException("max_pool_size: " + maxPoolSize + " (expected: > 0)"));
        }
        Clock clock = Clock.systemUTC();
        return Mono.fromCallable(() -> {
                    Dialect dialect = Dialect.of(factory.getMetadata());
                    return new Database(pool(factory, maxPoolSize, dialect), dialect, shutdownOnClose);
                })
                .flatMap(database -> Mono.fromCallable(() -> new Migrations(clock))
                        .flatMap(migrations -> migrations.migrate(database))
                        .<Store>thenReturn(new R2dbcStore(database, clock))
                        .onErrorResume(error -> database.close().onErrorComplete().then(Mono.error(error))))
                // Reading the migration scripts is file I/O: keep it off the caller's thread.
                .subscribeOn(Schedulers.boundedElastic());
    }

    /**
     * Parses a store URL into driver options: the one place that adapts URLs to what the drivers expect.
     * An in-memory H2 database would vanish whenever the pool holds no connection, so it is kept until closed.
     */
    static ConnectionFactoryOptions options(String url) {
        ConnectionFactoryOptions options = ConnectionFactoryOptions.parse(url);
        if (isH2InMemory(options) && !options.hasOption(DB_CLOSE_DELAY)) {
            return options.mutate().option(DB_CLOSE_DELAY, "-1").build();
        }
        String h2Options = options.hasOption(H2_OPTIONS) ? String.valueOf(options.getValue(H2_OPTIONS)) : "";
        if (isH2(options, "file") && !h2Options.toUpperCase(Locale.ROOT).contains("WRITE_DELAY")) {
            // H2 writes a commit to its file up to half a second later by default: a process killed meanwhile loses
            // what it had committed. Committed means durable, so each commit is written before it returns.
            return options.mutate().option(H2_OPTIONS, h2Options.isEmpty() ? "WRITE_DELAY=0" : h2Options + ";WRITE_DELAY=0").build();
        }
        return options;
    }

    private static boolean isH2InMemory(ConnectionFactoryOptions options) {
        return isH2(options, "mem");
    }

    private static boolean isH2(ConnectionFactoryOptions options, String protocol) {
        return "h2".equals(options.getValue(ConnectionFactoryOptions.DRIVER))
                && protocol.equals(options.getValue(ConnectionFactoryOptions.PROTOCOL));
    }

    private static ConnectionPool pool(ConnectionFactory factory, int maxPoolSize, Dialect dialect) {
        ConnectionPoolConfiguration.Builder config = ConnectionPoolConfiguration.builder(factory)
                .name(POOL_NAME)
                .initialSize(0)
                .maxSize(maxPoolSize)
                .maxIdleTime(MAX_IDLE)
                .maxAcquireTime(MAX_ACQUIRE)
                .validationDepth(ValidationDepth.LOCAL);
        if (dialect.blocking()) {
            // Opening and closing an embedded connection touches the file: never on the pool's parallel threads.
            config.allocatorSubscribeOn(Schedulers.boundedElastic())
                    .customizer(pool -> pool.evictInBackground(MAX_IDLE, Schedulers.boundedElastic()));
        }
        return new ConnectionPool(config.build());
    }

    @Override
    public VirtualKeyRepository virtualKeys() {
        return virtualKeys;
    }

    @Override
    public UsageRepository usage() {
        return usage;
    }

    @Override
    public AsyncJobRepository jobs() {
        return jobs;
    }

    @Override
    public FileRepository files() {
        return files;
    }

    @Override
    public BatchRepository batches() {
        return batches;
    }

    @Override
    public Mono<Boolean> ping() {
        return database.withConnectionMono(connection -> Flux.from(connection.createStatement("SELECT 1").execute())
                        .concatMap(result -> result.map((row, meta) -> Boolean.TRUE))
                        .last())
                .timeout(PING_TIMEOUT)
                .onErrorReturn(false)
                .defaultIfEmpty(false);
    }

    /**
     * Registers the connection pool's gauges, named as Spring Boot names r2dbc-pool's ({@code r2dbc.pool.acquired},
     * {@code .allocated}, {@code .idle}, {@code .pending}, {@code .max.allocated}, {@code .max.pending}), tagged with the
     * pool's name.
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        ConnectionPool pool = database.pool();
        String name = POOL_NAME;
        poolGauge(registry, pool, name, "acquired", "Connections in use", PoolMetrics::acquiredSize);
        poolGauge(registry, pool, name, "allocated", "Connections open, in use or idle", PoolMetrics::allocatedSize);
        poolGauge(registry, pool, name, "idle", "Connections open and idle", PoolMetrics::idleSize);
        poolGauge(registry, pool, name, "pending", "Requests waiting for a connection", PoolMetrics::pendingAcquireSize);
        poolGauge(registry, pool, name, "max.allocated", "Most connections the pool may open", PoolMetrics::getMaxAllocatedSize);
        poolGauge(registry, pool, name, "max.pending", "Most requests that may wait for a connection", PoolMetrics::getMaxPendingAcquireSize);
    }

    private static void poolGauge(MeterRegistry registry, ConnectionPool pool, String name, String what, String description,
                                  ToIntFunction<PoolMetrics> value) {
        Gauge.builder(MetricNames.STORE_POOL + "." + what, pool,
                        p -> p.getMetrics().map(metrics -> (double) value.applyAsInt(metrics)).orElse(Double.NaN))
                .description(description)
                .tag(MetricNames.TAG_NAME, name)
                .strongReference(true)
                .register(registry);
    }

    @Override
    public Mono<Void> close() {
        return database.close();
    }
}
