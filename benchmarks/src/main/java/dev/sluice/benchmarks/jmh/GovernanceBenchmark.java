package dev.sluice.benchmarks.jmh;

import dev.sluice.core.internal.governance.Governor;
import dev.sluice.core.internal.governance.Reservation;
import dev.sluice.core.keys.RateLimit;
import dev.sluice.core.keys.VirtualKey;
import dev.sluice.core.keys.VirtualKeyRepository;
import dev.sluice.core.keys.VirtualKeyValues;
import dev.sluice.core.request.Caller;
import dev.sluice.core.routing.ModelPattern;
import dev.sluice.core.usage.Pricing;
import dev.sluice.core.usage.Usage;
import dev.sluice.core.usage.UsageRepository;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Governance on every request: finding the virtual key behind the presented value (a cache hit after the first
 * lookup, as for a busy caller), checking that it may use the model, and taking one request from its rate limit.
 * The repository is an in-memory map, so the score is the gateway's own cost, without a database.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GovernanceBenchmark {

    private static final String VALUE = "sk-bf-benchmark-key-0000000000000001";

    private static final byte[] BODY = "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
            .getBytes(StandardCharsets.UTF_8);

    private Governor governor;
    private Caller caller;

    @Setup
    public void setUp() {
        VirtualKey key = new VirtualKey("key-1", "bench", VirtualKeyValues.hash(VALUE), VirtualKeyValues.hint(VALUE),
                List.of(ModelPattern.of("openai/*"), ModelPattern.of("demo/*")),
                // High enough never to refuse: the benchmark measures the check, not a refusal.
                new RateLimit(Integer.MAX_VALUE, Integer.MAX_VALUE), null, true, null, Instant.EPOCH);
        governor = new Governor(new InMemoryKeys(key), new NoUsage(), Pricing.FREE, Clock.systemUTC(), false);
        caller = Caller.withKey(VALUE);
    }

    @Benchmark
    public Reservation identifyAndAdmit() {
        return governor.identify(caller).flatMap(admission -> governor.admit(admission, "openai/gpt-4o-mini", BODY)).block();
    }

    @Benchmark
    public String hashPresentedValue() {
        return VirtualKeyValues.hash(VALUE);
    }

    private static final class InMemoryKeys implements VirtualKeyRepository {
        private final Map<String, VirtualKey> byHash = new ConcurrentHashMap<>();

        InMemoryKeys(VirtualKey key) {
            byHash.put(key.valueHash(), key);
        }

        @Override
        public Mono<VirtualKey> findByValueHash(String valueHash) {
            return Mono.justOrEmpty(byHash.get(valueHash));
        }

        @Override
        public Mono<VirtualKey> findByName(String name) {
            return Flux.fromIterable(byHash.values()).filter(key -> key.name().equals(name)).next();
        }

        @Override
        public Mono<VirtualKey> findById(String id) {
            return Flux.fromIterable(byHash.values()).filter(key -> key.id().equals(id)).next();
        }

        @Override
        public Flux<VirtualKey> findAll() {
            return Flux.fromIterable(byHash.values());
        }

        @Override
        public Mono<VirtualKey> insert(VirtualKey key) {
            return Mono.error(new UnsupportedOperationException("read-only"));
        }

        @Override
        public Mono<VirtualKey> update(VirtualKey key) {
            return Mono.error(new UnsupportedOperationException("read-only"));
        }

        @Override
        public Mono<VirtualKey> upsertByName(VirtualKey key) {
            return Mono.error(new UnsupportedOperationException("read-only"));
        }

        @Override
        public Mono<Boolean> deleteByName(String name) {
            return Mono.just(false);
        }
    }

    private static final class NoUsage implements UsageRepository {
        @Override
        public Mono<Void> add(String keyId, Instant periodStart, Usage delta) {
            return Mono.empty();
        }

        @Override
        public Mono<Usage> find(String keyId, Instant periodStart) {
            return Mono.just(new Usage(0, 0, 0, 0));
        }
    }
}
