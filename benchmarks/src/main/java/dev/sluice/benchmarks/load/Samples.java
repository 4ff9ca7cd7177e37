package dev.sluice.benchmarks.load;

import java.util.Arrays;

/** A growable list of long samples (nanoseconds), read as percentiles once a run is over. Not thread-safe. */
final class Samples {

    private long[] values = new long[1024];
    private int size;

    void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    void addAll(Samples other) {
        for (int i = 0; i < other.size; i++) {
            add(other.values[i]);
        }
    }

    int size() {
        return size;
    }

    /** Sorts the samples; call once before reading percentiles. */
    Samples sorted() {
        Arrays.sort(values, 0, size);
        return this;
    }

    /** The nearest-rank percentile of sorted samples, in milliseconds; NaN when there are none. */
    double percentileMs(double percentile) {
        if (size == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percentile / 100.0 * size);
        return values[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
    }

    double meanMs() {
        if (size == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum += values[i];
        }
        return sum / size / 1e6;
    }
}
