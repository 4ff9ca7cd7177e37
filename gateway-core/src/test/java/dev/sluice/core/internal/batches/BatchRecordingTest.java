package dev.sluice.core.internal.batches;

import dev.sluice.core.Gateway;
import dev.sluice.core.batches.Batch;
import dev.sluice.core.batches.BatchRequest;
import dev.sluice.core.batches.BatchStatus;
import dev.sluice.core.files.StoredFile;
import dev.sluice.core.internal.batches.ResultRecorder;
import dev.sluice.core.provider.ProviderAdapter;
import dev.sluice.core.provider.ProviderCall;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.request.Caller;
import dev.sluice.core.sse.SseEvent;
import dev.sluice.core.store.Store;
import dev.sluice.core.store.r2dbc.R2dbcStore;
import dev.sluice.core.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Results recorded in groups (see {@link ResultRecorder}) through the whole engine on an H2 store: each line is
 * recorded exactly once and the counters agree with the files, when a batch runs to its end, when it is cancelled
 * in the middle, and when the instance shuts down in the middle and another resumes the batch.
 */
class BatchRecordingTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern CONTENT = Pattern.compile("\"content\":\"([^\"]*)\"");
    private static final Pattern CUSTOM_ID = Pattern.compile("\"custom_id\":\"([^\"]*)\"");

    @TempDir
    Path directory;

    /** An OpenAI-compatible upstream answering after a random delay of up to {@code maxDelayMs}, counting calls per line. */
    private static final class JitteryUpstream implements ProviderAdapter {
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        private final int maxDelayMs;

        JitteryUpstream(int maxDelayMs) {
            this.maxDelayMs = maxDelayMs;
        }

        @Override
        public Mono<byte[]> call(ProviderCall call) {
            Matcher content = CONTENT.matcher(new String(call.body(), StandardCharsets.UTF_8));
            String text = content.find() ? content.group(1) : "?";
            calls.computeIfAbsent(text, line -> new AtomicInteger()).incrementAndGet();
            byte[] answer = ("{\"id\":\"c\",\"object\":\"chat.completion\",\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":"
                    + "{\"role\":\"assistant\",\"content\":\"" + text + "\"},\"finish_reason\":\"stop\"}],"
                    + "\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":1,\"total_tokens\":3}}").getBytes(StandardCharsets.UTF_8);
            return Mono.delay(Duration.ofMillis(ThreadLocalRandom.current().nextInt(maxDelayMs + 1))).thenReturn(answer);
        }

        @Override
        public Flux<SseEvent> stream(ProviderCall call) {
            return Flux.error(new UnsupportedOperationException("batches never stream"));
        }
    }

    private static Gateway gateway(Store store, JitteryUpstream upstream) {
        return Gateway.builder().store(store).provider(ProviderConfig.builder("up", "openai").build(), upstream).batches(32, 1).build();
    }

    private static Store open(String url) {
        return R2dbcStore.open(url, 10).block(WAIT);
    }

    private static Batch start(Gateway gateway, int lines) {
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            file.append("{\"custom_id\":\"line-").append(i).append("\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",")
                    .append("\"body\":{\"model\":\"up/m\",\"messages\":[{\"role\":\"user\",\"content\":\"line-").append(i).append("\"}]}}\n");
        }
        StoredFile input = gateway.files().upload(Caller.anonymous(), "in.jsonl", "batch", null,
                Flux.just(file.toString().getBytes(StandardCharsets.UTF_8))).block(WAIT);
        return gateway.batches().create(Caller.anonymous(), new BatchRequest(input.id(), "/v1/chat/completions", "24h", Map.of(), null))
                .block(WAIT);
    }

    private static Batch await(Gateway gateway, String id, Predicate<Batch> done) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Batch batch = gateway.batches().get(id, Caller.anonymous()).block(WAIT);
            if (done.test(batch)) {
                return batch;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("batch " + id + " did not get there within " + WAIT);
    }

    private static List<String> customIds(Gateway gateway, String fileId) {
        if (fileId == null) {
            return List.of();
        }
        byte[] content = gateway.files().content(fileId).reduce(new byte[0], (a, b) -> {
            byte[] out = new byte[a.length + b.length];
            System.arraycopy(a, 0, out, 0, a.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }).block(WAIT);
        List<String> ids = new ArrayList<>();
        for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                Matcher id = CUSTOM_ID.matcher(line);
                ids.add(id.find() ? id.group(1) : "?");
            }
        }
        return ids;
    }

    @Test
    void everyLineOfABusyBatchIsRecordedExactlyOnce() {
        JitteryUpstream upstream = new JitteryUpstream(5);
        Gateway gateway = gateway(open(TestDatabases.h2File(directory)), upstream);
        try {
            Batch batch = start(gateway, 3000);
            Batch done = await(gateway, batch.id(), current -> current.status().isFinal());

            assertThat(done.status()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(done.counts().completed()).isEqualTo(3000);
            assertThat(done.counts().failed()).isZero();
            assertThat(customIds(gateway, done.outputFileId())).hasSize(3000).doesNotHaveDuplicates();
            assertThat(upstream.calls.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        } finally {
            gateway.close().block(WAIT);
        }
    }

    @Test
    void aBatchCancelledInTheMiddleHasFilesThatAgreeWithItsCounters() {
        JitteryUpstream upstream = new JitteryUpstream(20);
        Gateway gateway = gateway(open(TestDatabases.h2File(directory)), upstream);
        try {
            Batch batch = start(gateway, 3000);
            await(gateway, batch.id(), current -> current.counts().completed() >= 300);
            gateway.batches().cancel(batch.id(), Caller.anonymous()).block(WAIT);
            Batch done = await(gateway, batch.id(), current -> current.status().isFinal());

            assertThat(done.status()).isEqualTo(BatchStatus.CANCELLED);
            assertThat(done.counts().completed()).isBetween(300, 2999);
            List<String> output = customIds(gateway, done.outputFileId());
            assertThat(output).hasSize(done.counts().completed()).doesNotHaveDuplicates();
            // Nothing is written after the files: the counters read later still agree with them.
            Batch later = gateway.batches().get(batch.id(), Caller.anonymous()).delaySubscription(Duration.ofMillis(300)).block(WAIT);
            assertThat(later.counts().completed()).isEqualTo(done.counts().completed());
        } finally {
            gateway.close().block(WAIT);
        }
    }

    @Test
    void aBatchResumedAfterAShutdownInTheMiddleRecordsEachLineOnce() {
        String url = TestDatabases.h2File(directory);
        JitteryUpstream upstream = new JitteryUpstream(20);
        String id;
        Gateway first = gateway(open(url), upstream);
        try {
            id = start(first, 3000).id();
            await(first, id, current -> current.counts().completed() >= 300);
        } finally {
            first.close().block(WAIT); // hands the batch back in the middle of its lines
        }
        Gateway second = gateway(open(url), upstream);
        try {
            Batch done = await(second, id, current -> current.status().isFinal());

            assertThat(done.status()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(done.counts().completed()).isEqualTo(3000);
            assertThat(customIds(second, done.outputFileId())).hasSize(3000).doesNotHaveDuplicates();
            // A line is sent again only if its answer was not recorded before the shutdown: at most those in flight.
            long resent = upstream.calls.values().stream().filter(count -> count.get() > 1).count();
            assertThat(resent).isLessThanOrEqualTo(32 + ResultRecorder.MAX_GROUP);
        } finally {
            second.close().block(WAIT);
        }
    }
}
