package dev.sluice.server.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

/** CORS preflight for browser clients of the Files and Batches APIs: {@code OPTIONS} answers 204. */
public final class Cors {

    private static final String ALLOWED_HEADERS = "Authorization, Content-Type, OpenAI-Organization, OpenAI-Project, OpenAI-Beta, "
            + "x-bf-vk, x-api-key, x-stainless-arch, x-stainless-lang, x-stainless-os, x-stainless-package-version, "
            + "x-stainless-retry-count, x-stainless-runtime, x-stainless-runtime-version, x-stainless-timeout";

    private Cors() {
    }

    public static void allow(HttpRoutes routes, String... paths) {
        for (String path : paths) {
            routes.add(HttpMethod.OPTIONS, path, (request, response, params) -> response
                    .status(HttpResponseStatus.NO_CONTENT)
                    .header("Access-Control-Allow-Origin", "*")
                    .header("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS")
                    .header("Access-Control-Allow-Headers", ALLOWED_HEADERS)
                    .header("Access-Control-Max-Age", "86400")
                    .send());
        }
    }
}
