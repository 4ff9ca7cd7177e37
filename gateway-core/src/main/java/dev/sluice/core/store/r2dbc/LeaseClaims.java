package dev.sluice.core.store.r2dbc;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.Result;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Claiming leased work (jobs, batches) in a way that is safe across instances and portable across databases:
 * read the oldest candidates, then take each with a compare-and-set update that repeats the "claimable"
 * condition; a row count of 1 means this owner got it. No {@code SKIP LOCKED}, which H2 and PostgreSQL
 * spell differently.
 */
final class LeaseClaims {

    /** Candidates read beyond the number wanted, so that losing a few races still fills the claim. */
    private static final int CANDIDATE_SLACK = 4;

    /** Rounds of candidates read in one claim while races are lost and the claim is not full. */
    private static final int MAX_CLAIM_ROUNDS = 4;

    /**
     * One table's claim statements.
     *
     * @param candidatesSql selects {@code id} of claimable rows, oldest first; binds {@code $1} now, {@code $2} the
     *                      attempts a row may have had before this claim, {@code $3} limit
     * @param claimOne      the compare-and-set update of one row
     * @param reread        reads one claimed row back as this owner holds it
     */
    record Statements<T>(String candidatesSql, ClaimOne claimOne, Reread<T> reread, Comparator<T> oldestFirst) {
    }

    /** The compare-and-set update of one candidate. */
    @FunctionalInterface
    interface ClaimOne {
        Publisher<? extends Result> execute(Connection connection, Claim claim, String id);
    }

    /** Reads a row this owner has just claimed. */
    @FunctionalInterface
    interface Reread<T> {
        Flux<T> read(Connection connection, Claim claim, String id);
    }

    /**
     * The parameters of one claim, instants in epoch milliseconds as stored.
     *
     * @param maxAttempts a row is claimed only while it has had fewer attempts
     */
    record Claim(String owner, long now, long leaseExpiresAt, int maxAttempts) {
    }

    private LeaseClaims() {
    }

    /**
     * Takes up to {@code limit} claimable rows that have had fewer than {@code maxAttempts} attempts for {@code owner},
     * leased until {@code now + lease}; emits them oldest first.
     */
    static <T> Flux<T> claim(Database database, Statements<T> statements, String owner, Instant now, Duration lease, int limit,
                             int maxAttempts) {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(lease, "lease");
        if (!lease.isPositive()) {
            return Flux.error(new IllegalArgumentException("lease: " + lease + " (expected: > 0)"));
        }
        if (limit <= 0) {
            return Flux.error(new IllegalArgumentException("limit: " + limit + " (expected: > 0)"));
        }
        if (maxAttempts <= 0) {
            return Flux.error(new IllegalArgumentException("max_attempts: " + maxAttempts + " (expected: > 0)"));
        }
        Claim claim = new Claim(owner, now.toEpochMilli(), now.plus(lease).toEpochMilli(), maxAttempts);
        return database.withConnection(connection -> claimIds(connection, statements, claim, limit, 1)
                .flatMapMany(Flux::fromIterable)
                .concatMap(id -> statements.reread().read(connection, claim, id))
                .sort(statements.oldestFirst()));
    }

    /** Extends a lease while {@code owner} holds it; {@code renewSql} binds {@code $1} until, {@code $2} id, {@code $3} owner. */
    static Mono<Boolean> renew(Database database, String renewSql, String id, String owner, Instant until) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(until, "until");
        return database.withConnectionMono(connection -> Database.rowsUpdated(connection.createStatement(renewSql)
                        .bind(0, until.toEpochMilli())
                        .bind(1, id)
                        .bind(2, owner)
                        .execute()))
                .map(count -> count == 1);
    }

    /**
     * One round: read candidates, claim them one by one until {@code wanted} are ours. When races were lost and
     * the claim is short, others may have taken our candidates while older-than-the-rest rows remain: read again.
     */
    private static Mono<List<String>> claimIds(Connection connection, Statements<?> statements, Claim claim, int wanted, int round) {
        return Flux.from(connection.createStatement(statements.candidatesSql())
                        .bind(0, claim.now())
                        .bind(1, claim.maxAttempts())
                        .bind(2, wanted + CANDIDATE_SLACK)
                        .execute())
                .concatMap(result -> result.map((row, meta) -> row.get("id", String.class)))
                .collectList()
                .flatMap(candidates -> {
                    List<String> won = new ArrayList<>();
                    int[] lost = {0};
                    return Flux.fromIterable(candidates)
                            .concatMap(id -> Mono.defer(() -> won.size() >= wanted ? Mono.<Boolean>empty()
                                    : Database.rowsUpdated(statements.claimOne().execute(connection, claim, id))
                                    .map(count -> count == 1)
                                    .doOnNext(applied -> {
                                        if (applied) {
                                            won.add(id);
                                        } else {
                                            lost[0]++;
                                        }
                                    })))
                            .then(Mono.defer(() -> {
                                if (won.size() < wanted && lost[0] > 0 && round < MAX_CLAIM_ROUNDS) {
                                    return claimIds(connection, statements, claim, wanted - won.size(), round + 1).map(more -> {
                                        won.addAll(more);
                                        return won;
                                    });
                                }
                                return Mono.just(won);
                            }));
                });
    }
}
