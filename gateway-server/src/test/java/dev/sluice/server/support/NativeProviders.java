package dev.sluice.server.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.provider.ProviderConfig;
import dev.sluice.core.provider.ProviderKey;
import dev.sluice.core.resilience.RetryPolicy;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A gateway with one provider of each type: {@code openai} (OpenAI-compatible), {@code anthropic} and {@code gemini},
 * each on a MockWebServer answering recorded fixtures, and {@code demo}, the built-in mock. Every fixture answers
 * "Hello world", or calls {@code get_weather} for Paris, in its provider's own wire format.
 */
public final class NativeProviders implements AutoCloseable {

    /** The provider types, with the model each serves. */
    public enum Kind {
        OPENAI("openai/gpt-4o-mini"),
        ANTHROPIC("anthropic/claude-sonnet-4"),
        GEMINI("gemini/gemini-2.0-flash"),
        MOCK("demo/echo");

        private final String model;

        Kind(String model) {
            this.model = model;
        }

        /** The model as a caller names it, {@code provider/model}. */
        public String model() {
            return model;
        }
    }

    public static final String TEXT = "Hello world";
    public static final String TOOL = "get_weather";

    private final MockWebServer openai = new MockWebServer();
    private final MockWebServer anthropic = new MockWebServer();
    private final MockWebServer gemini = new MockWebServer();
    private final RunningGateway gateway;

    public NativeProviders() {
        try {
            openai.start();
            anthropic.start();
            gemini.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Errors are passed on as the providers send them, not retried: retries are FaultScenariosTest's subject.
        gateway = RunningGateway.start(
                ProviderConfig.builder("openai", "openai").baseUrl(openai.url("/v1").toString())
                        .key(ProviderKey.of("main", "sk-openai-test")).retry(RetryPolicy.NONE).build(),
                ProviderConfig.builder("anthropic", "anthropic").baseUrl(anthropic.url("/").toString())
                        .key(ProviderKey.of("main", "sk-ant-test")).retry(RetryPolicy.NONE).build(),
                ProviderConfig.builder("gemini", "gemini").baseUrl(gemini.url("/v1beta").toString())
                        .key(ProviderKey.of("main", "goog-test")).retry(RetryPolicy.NONE).build(),
                RunningGateway.mock("demo"));
    }

    public RunningGateway gateway() {
        return gateway;
    }

    public MockWebServer upstream(Kind kind) {
        return switch (kind) {
            case OPENAI -> openai;
            case ANTHROPIC -> anthropic;
            case GEMINI -> gemini;
            case MOCK -> null;
        };
    }

    /** Queues the provider's answer "Hello world", whole or streamed; the mock needs none (it echoes). */
    public void answerText(Kind kind, boolean stream) {
        enqueue(kind, stream, switch (kind) {
            case OPENAI -> stream ? UpstreamFixtures.OPENAI_TEXT_STREAM : UpstreamFixtures.OPENAI_TEXT;
            case ANTHROPIC -> stream ? UpstreamFixtures.ANTHROPIC_TEXT_STREAM : UpstreamFixtures.ANTHROPIC_TEXT;
            case GEMINI -> stream ? UpstreamFixtures.GEMINI_TEXT_STREAM : UpstreamFixtures.GEMINI_TEXT;
            case MOCK -> null;
        });
    }

    /** Queues the provider's call of {@code get_weather} for Paris, whole or streamed; the mock calls it by itself. */
    public void answerToolCall(Kind kind, boolean stream) {
        enqueue(kind, stream, switch (kind) {
            case OPENAI -> stream ? UpstreamFixtures.OPENAI_TOOL_STREAM : UpstreamFixtures.OPENAI_TOOL;
            case ANTHROPIC -> stream ? UpstreamFixtures.ANTHROPIC_TOOL_STREAM : UpstreamFixtures.ANTHROPIC_TOOL;
            case GEMINI -> stream ? UpstreamFixtures.GEMINI_TOOL_STREAM : UpstreamFixtures.GEMINI_TOOL;
            case MOCK -> null;
        });
    }

    /** The arguments the answer's tool call carries: the fixtures ask for Paris, the mock passes none. */
    public static Map<String, Object> toolArguments(Kind kind) {
        return kind == Kind.MOCK ? Map.of() : Map.of("city", "Paris");
    }

    /** Queues an error answer with this status and body. */
    public void answerError(Kind kind, int status, String body) {
        upstream(kind).enqueue(new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json").setBody(body));
    }

    /** The request the provider received, or {@code null} for the mock. */
    public RecordedRequest sent(Kind kind) {
        MockWebServer server = upstream(kind);
        if (server == null) {
            return null;
        }
        try {
            RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
            if (request == null) {
                throw new AssertionError("provider " + kind + " received no request");
            }
            return request;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The name of the first tool a provider request body offers, read in that provider's format. */
    public static String offeredTool(Kind kind, JsonNode body) {
        return switch (kind) {
            case OPENAI -> body.at("/tools/0/function/name").asText();
            case ANTHROPIC -> body.at("/tools/0/name").asText();
            case GEMINI -> body.at("/tools/0/functionDeclarations/0/name").asText();
            case MOCK -> TOOL;
        };
    }

    /** The text of the last user turn of a provider request body, read in that provider's format. */
    public static String lastUserText(Kind kind, JsonNode body) {
        return switch (kind) {
            case OPENAI, ANTHROPIC -> {
                JsonNode content = body.path("messages").get(body.path("messages").size() - 1).path("content");
                yield content.isTextual() ? content.asText() : content.at("/0/text").asText();
            }
            case GEMINI -> body.path("contents").get(body.path("contents").size() - 1).at("/parts/0/text").asText();
            case MOCK -> null;
        };
    }

    private void enqueue(Kind kind, boolean stream, String body) {
        if (kind == Kind.MOCK) {
            return;
        }
        upstream(kind).enqueue(new MockResponse().setHeader("Content-Type", stream ? "text/event-stream" : "application/json").setBody(body));
    }

    @Override
    public void close() throws IOException {
        gateway.close();
        openai.shutdown();
        anthropic.shutdown();
        gemini.shutdown();
    }
}
