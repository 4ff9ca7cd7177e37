package dev.sluice.server.fuzz;

import java.util.List;

/** Every route of the server, as the route tables register them, with sample values in the placeholders. */
final class FuzzRoutes {

    /**
     * A route to aim at.
     *
     * @param headers extra request headers ({@code Name: value}) the route needs to get past its guard
     */
    record Route(String method, String path, String... headers) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** Routes that read a JSON body. */
    static final List<Route> JSON_BODY = List.of(
            new Route("POST", "/v1/chat/completions"),
            new Route("POST", "/v1/completions"),
            new Route("POST", "/v1/responses"),
            new Route("POST", "/v1/embeddings"),
            new Route("POST", "/openai/v1/chat/completions"),
            new Route("POST", "/openai/chat/completions"),
            new Route("POST", "/openai/v1/responses"),
            new Route("POST", "/openai/embeddings"),
            new Route("POST", "/anthropic/v1/messages"),
            new Route("POST", "/anthropic/v1/messages/count_tokens"),
            new Route("POST", "/genai/v1beta/models/demo/echo:generateContent"),
            new Route("POST", "/genai/v1beta/models/echo:streamGenerateContent?alt=sse"),
            new Route("POST", "/genai/v1beta/models/demo/embed:embedContent"),
            new Route("POST", "/genai/v1/models/embed:batchEmbedContents"),
            new Route("POST", "/genai/v1beta/models/echo:countTokens"),
            new Route("POST", "/v1/async/chat/completions"),
            new Route("POST", "/v1/async/completions"),
            new Route("POST", "/v1/async/responses"),
            new Route("POST", "/v1/async/embeddings"),
            new Route("POST", "/v1/batches"),
            new Route("POST", "/api/virtual-keys", FuzzGateway.ADMIN),
            new Route("PATCH", "/api/virtual-keys/fuzz", FuzzGateway.ADMIN));

    /** Routes without a body worth fuzzing: their paths and queries are. */
    static final List<Route> OTHERS = List.of(
            new Route("GET", "/health"),
            new Route("GET", "/health/ready"),
            new Route("GET", "/metrics"),
            new Route("GET", "/v1/models"),
            new Route("GET", "/openai/v1/models"),
            new Route("GET", "/openai/models"),
            new Route("GET", "/v1/responses/resp_x"),
            new Route("POST", "/v1/responses/resp_x/cancel"),
            new Route("GET", "/openai/responses/resp_x"),
            new Route("GET", "/v1/async/chat/completions/job-x"),
            new Route("GET", "/v1/async/embeddings/job-x"),
            new Route("POST", "/v1/files"),
            new Route("GET", "/v1/files"),
            new Route("GET", "/v1/files/file-x"),
            new Route("GET", "/v1/files/file-x/content"),
            new Route("DELETE", "/v1/files/file-x"),
            new Route("GET", "/v1/batches"),
            new Route("GET", "/v1/batches/batch_x"),
            new Route("POST", "/v1/batches/batch_x/cancel"),
            new Route("GET", "/api/virtual-keys", FuzzGateway.ADMIN),
            new Route("GET", "/api/virtual-keys/fuzz", FuzzGateway.ADMIN),
            new Route("GET", "/api/virtual-keys/fuzz/usage", FuzzGateway.ADMIN),
            new Route("DELETE", "/api/virtual-keys/nobody", FuzzGateway.ADMIN));

    private FuzzRoutes() {
    }
}
