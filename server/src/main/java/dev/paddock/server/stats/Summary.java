package dev.paddock.server.stats;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * A series of values as mntr reports it: average, minimum, maximum, count and sum, and, when asked for,
 * the 50th, 95th, 99th and 99.9th percentiles of the last {@value #SAMPLES} values (ZooKeeper samples its
 * percentiles too; a bounded window keeps the cost fixed). Thread-safe; updates are uncontended in
 * practice (the request thread).
 */
public final class Summary {
    static final int SAMPLES = 1024;

    private final long[] window;
    private long count;
    private long sum;
    private long min = Long.MAX_VALUE;
    private long max;
    private int next;

    public Summary(boolean percentiles) {
        this.window = percentiles ? new long[SAMPLES] : null;
    }

    public synchronized void add(long value) {
        count++;
        sum += value;
        min = Math.min(min, value);
        max = Math.max(max, value);
        if (window != null) {
            window[next] = value;
            next = (next + 1) % SAMPLES;
        }
    }

    public synchronized void reset() {
        count = 0;
        sum = 0;
        min = Long.MAX_VALUE;
        max = 0;
        next = 0;
    }

    public synchronized long count() {
        return count;
    }

    public synchronized long sum() {
        return sum;
    }

    public synchronized long min() {
        return count == 0 ? 0 : min;
    }

    public synchronized long max() {
        return max;
    }

    /** The mean rounded half up to 4 places, as ZooKeeper prints it (0.0 when empty). */
    public synchronized double avg() {
        if (count == 0) {
            return 0;
        }
        return new BigDecimal((double) sum / count).setScale(4, RoundingMode.HALF_UP).doubleValue();
    }

    /** The 50th, 95th, 99th and 99.9th percentiles (nearest rank) of the window; zeros when empty. */
    public long[] percentiles() {
        double[] q = quantiles(0.5, 0.95, 0.99, 0.999);
        long[] result = new long[q.length];
        for (int i = 0; i < q.length; i++) {
            result[i] = Double.isNaN(q[i]) ? 0 : (long) q[i];
        }
        return result;
    }

    /**
     * The given quantiles (nearest rank) of the window, NaN when it is empty (Prometheus' value for a
     * summary without observations). Called when someone asks (mntr, a scrape), never per request.
     */
    public double[] quantiles(double... ranks) {
        long[] sorted;
        synchronized (this) {
            int n = (int) Math.min(count, SAMPLES);
            sorted = window == null ? new long[0] : Arrays.copyOf(window, n);
        }
        Arrays.sort(sorted);
        double[] result = new double[ranks.length];
        for (int i = 0; i < ranks.length; i++) {
            if (sorted.length == 0) {
                result[i] = Double.NaN;
                continue;
            }
            int index = (int) Math.ceil(ranks[i] * sorted.length) - 1;
            result[i] = sorted[Math.max(0, index)];
        }
        return result;
    }
}
