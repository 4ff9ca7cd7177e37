package dev.sluice.server.observe;

/** Durations as milliseconds with three decimals ({@code 0.412}), for headers and log lines; no formatter, no locale. */
final class Millis {

    private Millis() {
    }

    static String format(long nanos) {
        long micros = Math.max(0, nanos) / 1_000;
        long fraction = micros % 1_000;
        return (micros / 1_000) + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
    }

    static double of(long nanos) {
        return Math.max(0, nanos) / 1_000 / 1_000.0;
    }
}
