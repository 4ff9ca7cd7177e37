package dev.sluice.core.store;

import dev.sluice.core.error.GatewayException;
import dev.sluice.core.batches.Batch;
import dev.sluice.core.batches.BatchRepository;
import dev.sluice.core.batches.BatchStatus;
import dev.sluice.core.batches.LineResult;
import dev.sluice.core.files.FileRepository;
import dev.sluice.core.files.StoredFile;
import dev.sluice.core.jobs.AsyncJob;
import dev.sluice.core.jobs.AsyncJobRepository;
import dev.sluice.core.jobs.JobStatus;
import dev.sluice.core.keys.VirtualKey;
import dev.sluice.core.keys.VirtualKeyRepository;
import dev.sluice.core.usage.Usage;
import dev.sluice.core.usage.UsageRepository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The store of an engine built without one: it knows no virtual keys, jobs, files or batches and refuses to keep any, so only
 * anonymous callers are served and nothing that needs keeping is silently dropped.
 */
final class NoStore implements Store, VirtualKeyRepository, UsageRepository {

    static final NoStore INSTANCE = new NoStore();

    private static final String WHY = "This gateway was built without a store; configure one to keep virtual keys, jobs, files and batches.";

    /** What the engine cannot do without a store is the operator's choice, not a failure: a 501 that says so. */
    private static GatewayException unsupported() {
        return new GatewayException(501, "server_error", "no_store", null, WHY);
    }

    @Override
    public VirtualKeyRepository virtualKeys() {
        return this;
    }

    @Override
    public UsageRepository usage() {
        return this;
    }

    @Override
    public AsyncJobRepository jobs() {
        return NoJobs.INSTANCE;
    }

    @Override
    public BatchRepository batches() {
        return NoBatches.INSTANCE;
    }

    @Override
    public FileRepository files() {
        return NoFiles.INSTANCE;
    }

    @Override
    public Mono<Boolean> ping() {
        return Mono.just(true);
    }

    @Override
    public Mono<Void> close() {
        return Mono.empty();
    }

    @Override
    public Mono<VirtualKey> findByValueHash(String valueHash) {
        return Mono.empty();
    }

    @Override
    public Mono<VirtualKey> findByName(String name) {
        return Mono.empty();
    }

    @Override
    public Mono<VirtualKey> findById(String id) {
        return Mono.empty();
    }

    @Override
    public Flux<VirtualKey> findAll() {
        return Flux.empty();
    }

    @Override
    public Mono<VirtualKey> insert(VirtualKey key) {
        return Mono.error(NoStore::unsupported);
    }

    @Override
    public Mono<VirtualKey> update(VirtualKey key) {
        return Mono.empty();
    }

    @Override
    public Mono<VirtualKey> upsertByName(VirtualKey key) {
        return Mono.error(NoStore::unsupported);
    }

    @Override
    public Mono<Boolean> deleteByName(String name) {
        return Mono.just(false);
    }

    @Override
    public Mono<Void> add(String keyId, Instant periodStart, Usage delta) {
        return Mono.error(NoStore::unsupported);
    }

    @Override
    public Mono<Usage> find(String keyId, Instant periodStart) {
        return Mono.just(Usage.ZERO);
    }

    /**
     * No jobs: submitting one fails, and as none was ever kept, there is nothing to find, claim, finish or clean up.
     * A separate class because its {@code insert} and {@code findById} clash with the virtual key repository's.
     */
    private static final class NoJobs implements AsyncJobRepository {

        static final NoJobs INSTANCE = new NoJobs();

        @Override
        public Mono<AsyncJob> insert(AsyncJob job) {
            return Mono.error(NoStore::unsupported);
        }

        @Override
        public Mono<AsyncJob> findById(String id) {
            return Mono.empty();
        }

        @Override
        public Flux<AsyncJob> findExhausted(Instant now, int maxAttempts, int limit) {
            return Flux.empty();
        }

        @Override
        public Flux<AsyncJob> claim(String owner, Instant now, Duration lease, int limit, int maxAttempts) {
            return Flux.empty();
        }

        @Override
        public Mono<Boolean> renewLease(String id, String owner, Instant until) {
            return Mono.just(false);
        }

        @Override
        public Mono<Boolean> finish(String id, String owner, JobStatus status, int statusCode, byte[] result,
                                    byte[] error, Instant completedAt) {
            return Mono.just(false);
        }

        @Override
        public Mono<Boolean> cancel(String id, Instant now) {
            return Mono.just(false);
        }

        @Override
        public Mono<Long> deleteExpired(Instant now) {
            return Mono.just(0L);
        }

        @Override
        public Mono<Long> releaseLeases(String owner) {
            return Mono.just(0L);
        }

        @Override
        public Mono<Long> countByStatus(JobStatus status) {
            return Mono.just(0L);
        }
    }

    /** No files: uploading one fails, and as none was ever kept, there is nothing to find, read or delete. */
    private static final class NoFiles implements FileRepository {

        static final NoFiles INSTANCE = new NoFiles();

        @Override
        public Mono<StoredFile> create(StoredFile file, Flux<byte[]> content, long maxBytes) {
            return Mono.error(NoStore::unsupported);
        }

        @Override
        public Mono<StoredFile> findById(String id) {
            return Mono.empty();
        }

        @Override
        public Flux<StoredFile> list(String ownerKeyId, String purpose, String afterId, boolean ascending, int limit) {
            return Flux.empty();
        }

        @Override
        public Flux<byte[]> content(String id) {
            return Flux.empty();
        }

        @Override
        public Mono<Boolean> delete(String id, Instant now) {
            return Mono.just(false);
        }

        @Override
        public Mono<Long> deleteExpired(Instant now) {
            return Mono.just(0L);
        }

        @Override
        public Mono<Void> erase(String id) {
            return Mono.empty();
        }

        @Override
        public Mono<Long> eraseOrphanUploads(Instant writtenBefore) {
            return Mono.just(0L);
        }

        @Override
        public Mono<Long> purgeDeleted(Instant deletedBefore) {
            return Mono.just(0L);
        }
    }

    /** No batches: creating one fails, and as none was ever kept, there is nothing to find, claim, run or list. */
    private static final class NoBatches implements BatchRepository {

        static final NoBatches INSTANCE = new NoBatches();

        @Override
        public Mono<Batch> insert(Batch batch) {
            return Mono.error(NoStore::unsupported);
        }

        @Override
        public Mono<Batch> findById(String id) {
            return Mono.empty();
        }

        @Override
        public Flux<Batch> list(String ownerKeyId, String afterId, int limit) {
            return Flux.empty();
        }

        @Override
        public Flux<Batch> findExhausted(Instant now, int maxAttempts, int limit) {
            return Flux.empty();
        }

        @Override
        public Mono<Boolean> readsFile(String fileId) {
            return Mono.just(false);
        }

        @Override
        public Flux<Batch> claim(String owner, Instant now, Duration lease, int limit, int maxAttempts) {
            return Flux.empty();
        }

        @Override
        public Mono<Boolean> renewLease(String id, String owner, Instant until) {
            return Mono.just(false);
        }

        @Override
        public Mono<Boolean> update(Batch batch, String owner, BatchStatus expected) {
            return Mono.just(false);
        }

        @Override
        public Mono<Boolean> requestCancel(String id, Instant now) {
            return Mono.just(false);
        }

        @Override
        public Mono<Boolean> recordResult(String batchId, LineResult result) {
            return Mono.just(false);
        }

        @Override
        public Mono<Integer> recordResults(String batchId, List<LineResult> results) {
            return Mono.just(0);
        }

        @Override
        public Flux<Integer> finishedLines(String batchId) {
            return Flux.empty();
        }

        @Override
        public Flux<LineResult> results(String batchId, boolean errors) {
            return Flux.empty();
        }

        @Override
        public Mono<Long> releaseLeases(String owner) {
            return Mono.just(0L);
        }
    }
}
