package dev.sluice.core.files;

import reactor.core.publisher.Mono;

/** Tells whether something still reads a file (a running batch its input), so that it is not deleted under it. */
@FunctionalInterface
public interface FileReaders {

    /** Nothing ever reads a file beyond its download. */
    FileReaders NONE = fileId -> Mono.just(false);

    /** Whether something that is not finished reads {@code fileId}. */
    Mono<Boolean> readsFile(String fileId);
}
