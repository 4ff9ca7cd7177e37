package dev.sluice.core.store;

import dev.sluice.core.files.FileRepository;
import dev.sluice.core.batches.BatchRepository;
import dev.sluice.core.jobs.AsyncJobRepository;
import dev.sluice.core.keys.VirtualKeyRepository;
import dev.sluice.core.usage.UsageRepository;
import reactor.core.publisher.Mono;

/** The gateway's durable state: one set of repositories over one database, closed once at shutdown. */
public interface Store {

    VirtualKeyRepository virtualKeys();

    UsageRepository usage();

    /** The durable queue of asynchronous jobs. */
    AsyncJobRepository jobs();

    /** Files of the Files API and their content. */
    FileRepository files();
    /** Batches and the results of their lines. */
    BatchRepository batches();

    /** Whether the database answers; for readiness checks. */
    Mono<Boolean> ping();

    /** Closes the connection pool. */
    Mono<Void> close();

    /** A store that keeps nothing: an engine with it serves anonymous callers only. */
    static Store none() {
        return NoStore.INSTANCE;
    }
}
