package dev.paddock.bench;

import java.util.Arrays;

/** A growable array of latency samples in nanoseconds, with percentiles. Not thread-safe. */
final class Latencies {
    private long[] samples = new long[1024];
    private int size;

    void add(long nanos) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
    }

    void addAll(Latencies other) {
        for (int i = 0; i < other.size; i++) {
            add(other.samples[i]);
        }
    }

    int size() {
        return size;
    }

    /** Sorts in place; call once before reading percentiles. */
    Latencies sorted() {
        Arrays.sort(samples, 0, size);
        return this;
    }

    /** Percentile (0-100) of sorted samples, nearest rank; NaN when empty. */
    double percentileNanos(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * size);
        return samples[Math.min(size - 1, Math.max(0, rank - 1))];
    }

    double meanNanos() {
        if (size == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum += samples[i];
        }
        return sum / size;
    }

    double maxNanos() {
        return size == 0 ? Double.NaN : samples[size - 1];
    }
}
