package dev.sluice.core.internal.files;

import dev.sluice.core.error.GatewayException;
import dev.sluice.core.error.InvalidRequestException;
import dev.sluice.core.files.FilePage;
import dev.sluice.core.files.FileService;
import dev.sluice.core.files.StoredFile;
import dev.sluice.core.internal.governance.Governor;
import dev.sluice.core.internal.ids.FileIds;
import dev.sluice.core.keys.VirtualKey;
import dev.sluice.core.keys.VirtualKeyValues;
import dev.sluice.core.request.Caller;
import dev.sluice.core.store.Store;
import dev.sluice.core.store.r2dbc.R2dbcStore;
import dev.sluice.core.testing.TestDatabases;
import dev.sluice.core.usage.Pricing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The Files API's rules over a real store: what is accepted, who sees which file, and for how long. */
class StoredFilesTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
    private static final long MAX_BYTES = 1000;

    private final TestClock clock = new TestClock(T0);
    private Store store;
    private FileService service;
    private Caller alice;
    private Caller bob;
    private String aliceId;
    private final Caller anonymous = Caller.anonymous();

    @BeforeEach
    void openStore() {
        store = R2dbcStore.open(TestDatabases.h2InMemory(), 4).block(TIMEOUT);
        service = new StoredFiles(store.files(), new Governor(store.virtualKeys(), store.usage(), Pricing.FREE, clock, false),
                clock, MAX_BYTES);
        aliceId = UUID.randomUUID().toString();
        alice = Caller.withKey(key(aliceId, "alice"));
        bob = Caller.withKey(key(UUID.randomUUID().toString(), "bob"));
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close().block(TIMEOUT);
        }
    }

    /** Stores a usable key; emits its value. */
    private String key(String id, String name) {
        String value = VirtualKeyValues.PREFIX + UUID.randomUUID();
        store.virtualKeys().insert(new VirtualKey(id, name, VirtualKeyValues.hash(value), VirtualKeyValues.hint(value),
                List.of(), null, null, true, null, T0)).block(TIMEOUT);
        return value;
    }

    private static Flux<byte[]> content(String text) {
        return Flux.just(text.getBytes(StandardCharsets.UTF_8));
    }

    private StoredFile upload(Caller caller, String purpose) {
        return service.upload(caller, "input.jsonl", purpose, null, content("{}\n")).block(TIMEOUT);
    }

    private static void refused(Mono<?> call, int status, String param, String message) {
        StepVerifier.create(call)
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(GatewayException.class).hasMessage(message);
                    assertThat(((GatewayException) error).status()).isEqualTo(status);
                    assertThat(((GatewayException) error).param()).isEqualTo(param);
                })
                .verify(TIMEOUT);
    }

    @Test
    void uploadsAFileOwnedByTheCallersKey() {
        StoredFile file = service.upload(alice, "input.jsonl", "batch", null, content("{\"a\":1}\n")).block(TIMEOUT);

        assertThat(file.id()).matches("file-[0-9a-f]{24}");
        assertThat(file.ownerKeyId()).isEqualTo(aliceId);
        assertThat(file.purpose()).isEqualTo("batch");
        assertThat(file.filename()).isEqualTo("input.jsonl");
        assertThat(file.bytes()).isEqualTo(8);
        assertThat(file.createdAt()).isEqualTo(T0);
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        service.content(file).doOnNext(read::writeBytes).then().block(TIMEOUT);
        assertThat(read.toString(StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}\n");
    }

    @Test
    void refusesAnUnknownPurposeNamingItAndTheAcceptedOnes() {
        refused(service.upload(alice, "input.jsonl", "pictures", null, content("x")), 400, "purpose",
                "purpose: \"pictures\" (expected one of: assistants, batch, batch_output, fine-tune, vision, user_data, evals)");
        refused(service.upload(alice, "input.jsonl", null, null, content("x")), 400, "purpose",
                "purpose: null (expected one of: assistants, batch, batch_output, fine-tune, vision, user_data, evals)");
    }

    @Test
    void refusesABlankFilename() {
        refused(service.upload(alice, "  ", "batch", null, content("x")), 400, "file",
                "filename: \"  \" (expected: a non-blank name)");
        refused(service.upload(alice, null, "batch", null, content("x")), 400, "file",
                "filename: null (expected: a non-blank name)");
        refused(service.upload(alice, "a\u0000b", "batch", null, content("x")), 400, "file",
                "filename: contains control characters (expected: none)");
    }

    @Test
    void refusesALifetimeShorterThanAnHourOrLongerThanThirtyDays() {
        String expected = " seconds (expected: between 3600 and 2592000 seconds)";
        refused(service.upload(alice, "a.jsonl", "batch", Duration.ofSeconds(3599), content("x")), 400, "expires_after",
                "expires_after: 3599" + expected);
        refused(service.upload(alice, "a.jsonl", "batch", Duration.ofDays(30).plusSeconds(1), content("x")), 400,
                "expires_after", "expires_after: 2592001" + expected);

        assertThat(service.upload(alice, "a.jsonl", "batch", Duration.ofSeconds(3600), content("x")).block(TIMEOUT).expiresAt())
                .isEqualTo(T0.plusSeconds(3600));
        assertThat(service.upload(alice, "a.jsonl", "user_data", Duration.ofDays(30), content("x")).block(TIMEOUT).expiresAt())
                .isEqualTo(T0.plus(Duration.ofDays(30)));
    }

    @Test
    void batchFilesExpireAfterThirtyDaysByDefaultAndOtherPurposesNever() {
        assertThat(upload(alice, "batch").expiresAt()).isEqualTo(T0.plus(Duration.ofDays(30)));
        assertThat(upload(alice, "fine-tune").expiresAt()).isNull();
        assertThat(upload(alice, "batch_output").expiresAt()).isNull();
    }

    @Test
    void refusesAnUnknownKeyWith401AsOnInference() {
        Caller stranger = Caller.withKey(VirtualKeyValues.PREFIX + "unknown");
        StoredFile anonymousFile = upload(anonymous, "batch");

        refused(service.upload(stranger, "a.jsonl", "batch", null, content("x")), 401, null,
                "The virtual key is not known to this gateway.");
        refused(service.get(anonymousFile.id(), stranger), 401, null, "The virtual key is not known to this gateway.");
        refused(service.list(stranger, null, 10, null, false), 401, null, "The virtual key is not known to this gateway.");
    }

    @Test
    void anUploadOverTheLimitIsRefusedWith413() {
        refused(service.upload(alice, "a.jsonl", "batch", null, Flux.just(new byte[600], new byte[600])), 413, "file",
                "File is larger than the limit of 1000 bytes (files.max_bytes).");
        assertThat(service.list(alice, null, 10, null, false).block(TIMEOUT).data()).isEmpty();
    }

    @Test
    void aKeysFileIsVisibleOnlyToThatKey() {
        StoredFile file = upload(alice, "batch");

        StepVerifier.create(service.get(file.id(), alice)).expectNext(file).expectComplete().verify(TIMEOUT);
        StepVerifier.create(service.get(file.id(), bob)).expectComplete().verify(TIMEOUT);
        StepVerifier.create(service.get(file.id(), anonymous)).expectComplete().verify(TIMEOUT);
        // Later work on the key's behalf (a batch) names the key by its id.
        StepVerifier.create(service.get(file.id(), Caller.ownedBy(aliceId))).expectNext(file).expectComplete().verify(TIMEOUT);
    }

    @Test
    void aFileUploadedWithoutAKeyIsVisibleOnlyToCallersWithoutOne() {
        StoredFile file = upload(anonymous, "batch");

        assertThat(file.ownerKeyId()).isNull();
        StepVerifier.create(service.get(file.id(), anonymous)).expectNext(file).expectComplete().verify(TIMEOUT);
        StepVerifier.create(service.get(file.id(), alice)).expectComplete().verify(TIMEOUT);
        assertThat(service.list(alice, null, 10, null, false).block(TIMEOUT).data()).isEmpty();
        assertThat(service.list(anonymous, null, 10, null, false).block(TIMEOUT).data()).containsExactly(file);
    }

    @Test
    void anotherKeyCannotDeleteAFileAndTheOwnerCan() {
        StoredFile file = upload(alice, "batch");

        StepVerifier.create(service.delete(file.id(), bob)).expectComplete().verify(TIMEOUT);
        StepVerifier.create(service.delete(file.id(), anonymous)).expectComplete().verify(TIMEOUT);
        StepVerifier.create(service.get(file.id(), alice)).expectNext(file).expectComplete().verify(TIMEOUT);

        StepVerifier.create(service.delete(file.id(), alice)).expectNext(file).expectComplete().verify(TIMEOUT);
        StepVerifier.create(service.get(file.id(), alice)).expectComplete().verify(TIMEOUT);
        StepVerifier.create(service.delete(file.id(), alice)).expectComplete().verify(TIMEOUT);
        StepVerifier.create(service.content(file.id())).expectComplete().verify(TIMEOUT);
    }

    @Test
    void anExpiredFileIsHiddenAtOnceAndErasedBySweeping() {
        StoredFile file = service.upload(alice, "a.jsonl", "user_data", Duration.ofHours(1), content("x")).block(TIMEOUT);
        StoredFile kept = upload(alice, "user_data");

        clock.advance(Duration.ofHours(1));

        StepVerifier.create(service.get(file.id(), alice)).expectComplete().verify(TIMEOUT);
        assertThat(service.list(alice, null, 10, null, false).block(TIMEOUT).data()).containsExactly(kept);
        StepVerifier.create(service.sweepExpired()).expectNext(1L).expectComplete().verify(TIMEOUT);
        StepVerifier.create(store.files().findById(file.id()))
                .assertNext(swept -> assertThat(swept.deletedAt()).isEqualTo(T0.plus(Duration.ofHours(1))))
                .expectComplete().verify(TIMEOUT);
        StepVerifier.create(service.content(file.id())).expectComplete().verify(TIMEOUT);
    }

    @Test
    void listsPagesWithHasMoreAndACursor() {
        StoredFile[] files = new StoredFile[5];
        for (int i = 0; i < files.length; i++) {
            files[i] = upload(alice, i == 2 ? "fine-tune" : "batch");
            clock.advance(Duration.ofSeconds(1));
        }
        upload(bob, "batch");

        FilePage first = service.list(alice, null, 2, null, false).block(TIMEOUT);
        assertThat(first.data()).containsExactly(files[4], files[3]);
        assertThat(first.hasMore()).isTrue();
        FilePage second = service.list(alice, null, 2, files[3].id(), false).block(TIMEOUT);
        assertThat(second.data()).containsExactly(files[2], files[1]);
        assertThat(second.hasMore()).isTrue();
        FilePage last = service.list(alice, null, 2, files[1].id(), false).block(TIMEOUT);
        assertThat(last.data()).containsExactly(files[0]);
        assertThat(last.hasMore()).isFalse();

        FilePage ascending = service.list(alice, null, 5, null, true).block(TIMEOUT);
        assertThat(ascending.data()).containsExactly(files);
        assertThat(ascending.hasMore()).isFalse();
        assertThat(service.list(alice, "fine-tune", 10, null, false).block(TIMEOUT).data()).containsExactly(files[2]);
    }

    @Test
    void aPageSkipsExpiredFilesNotYetSweptAndIsStillFull() {
        StoredFile oldest = upload(alice, "batch");
        clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 3; i++) {
            service.upload(alice, "a.jsonl", "batch", Duration.ofHours(1), content("x")).block(TIMEOUT);
        }
        clock.advance(Duration.ofSeconds(1));
        StoredFile newest = upload(alice, "batch");
        clock.advance(Duration.ofHours(1));

        FilePage page = service.list(alice, null, 2, null, false).block(TIMEOUT);

        assertThat(page.data()).containsExactly(newest, oldest);
        assertThat(page.hasMore()).isFalse();
    }

    @Test
    void refusesALimitOutsideOneToTenThousandAndAnUnknownPurposeFilter() {
        refused(service.list(alice, null, 0, null, false), 400, "limit", "limit: 0 (expected: 1 to 10000)");
        refused(service.list(alice, null, 10_001, null, false), 400, "limit", "limit: 10001 (expected: 1 to 10000)");
        refused(service.list(alice, "pictures", 10, null, false), 400, "purpose",
                "purpose: \"pictures\" (expected one of: assistants, batch, batch_output, fine-tune, vision, user_data, evals)");
        assertThat(service.list(alice, null, 10_000, null, false).block(TIMEOUT).data()).isEmpty();
    }

    @Test
    void theGatewayWritesItsOwnFilesForAKeyWithoutACaller() {
        StoredFile output = service.write(FileIds.next(), aliceId, "batch_output.jsonl", "batch_output", Duration.ofDays(7), content("{}\n"))
                .block(TIMEOUT);

        assertThat(output.ownerKeyId()).isEqualTo(aliceId);
        assertThat(output.expiresAt()).isEqualTo(T0.plus(Duration.ofDays(7)));
        StepVerifier.create(service.get(output.id(), alice)).expectNext(output).expectComplete().verify(TIMEOUT);
        StepVerifier.create(service.write(FileIds.next(), aliceId, "x", "pictures", null, content("x")))
                .expectError(InvalidRequestException.class).verify(TIMEOUT);
    }

    @Test
    void aGatewayThatRequiresKeysRefusesCallersWithoutOne() {
        FileService strict = new StoredFiles(store.files(),
                new Governor(store.virtualKeys(), store.usage(), Pricing.FREE, clock, true), clock, MAX_BYTES);

        refused(strict.upload(anonymous, "a.jsonl", "batch", null, content("x")), 401, null,
                "This gateway requires a virtual key: send it as 'x-bf-vk' or 'Authorization: Bearer sk-bf-...'.");
    }

    /** A UTC clock that stands still until a test moves it. */
    private static final class TestClock extends Clock {

        private final AtomicReference<Instant> now;

        TestClock(Instant start) {
            this.now = new AtomicReference<>(start);
        }

        void advance(Duration duration) {
            now.updateAndGet(instant -> instant.plus(duration));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("a test clock stays in UTC");
        }
    }
}
