package dev.sluice.server.http;

import dev.sluice.core.request.GatewayResponse;
import dev.sluice.core.request.Served;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Tells the caller who answered: {@code x-sluice-provider}, {@code x-sluice-model} (the provider's own model name) and
 * {@code x-sluice-fallback-index} (0 for the requested model, {@code n} for its n-th fallback).
 */
public final class ServedHeaders {

    public static final String PROVIDER = "x-sluice-provider";
    public static final String MODEL = "x-sluice-model";
    public static final String FALLBACK_INDEX = "x-sluice-fallback-index";

    private ServedHeaders() {
    }

    /** Adds the headers of a unary answer, and keeps its report for the request's access log and metrics. */
    public static HttpServerResponse on(HttpServerResponse response, GatewayResponse answer) {
        ExchangeReport.of(response).record(answer.report());
        return on(response, answer.served());
    }

    /** Adds the headers to a response not yet sent; nothing when {@code served} is {@code null}. */
    public static HttpServerResponse on(HttpServerResponse response, Served served) {
        if (served != null) {
            // The model may be the caller's own text: a header value must never fail the answer.
            response.header(PROVIDER, HeaderValues.safe(served.provider()))
                    .header(MODEL, HeaderValues.safe(served.model()))
                    .header(FALLBACK_INDEX, Integer.toString(served.fallbackIndex()));
        }
        return response;
    }
}
