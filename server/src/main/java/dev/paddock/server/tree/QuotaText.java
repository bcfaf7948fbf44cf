package dev.paddock.server.tree;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The text ZooKeeper keeps in a quota's {@code zookeeper_limits} and {@code zookeeper_stats} nodes (its
 * {@code StatsTrack}): {@code key=value} pairs separated by {@code ,} or {@code ;}, a missing key reading as
 * -1. Written as {@code count=N,bytes=M}, and when other keys are present (the hard limits) as
 * {@code count=N,bytes=M=;byteHardLimit=X;countHardLimit=Y}: count and bytes first, the rest sorted after
 * a spurious '=' and ';', which is how ZooKeeper keeps the text readable by the 3.4 parser. Every key read
 * is kept, so rewriting the count and bytes of a stats node keeps whatever else it held, as ZooKeeper's does.
 */
final class QuotaText {
    static final String COUNT = "count";
    static final String BYTES = "bytes";
    static final String COUNT_HARD = "countHardLimit";
    static final String BYTES_HARD = "byteHardLimit";
    private static final Pattern SEPARATORS = Pattern.compile("[,;]+");

    private final Map<String, Long> values = new HashMap<>();

    private QuotaText() {
    }

    /** Only count and bytes: the text ZooKeeper writes when it recomputes a stats node. */
    static QuotaText usage(long count, long bytes) {
        QuotaText t = new QuotaText();
        t.values.put(COUNT, count);
        t.values.put(BYTES, bytes);
        return t;
    }

    /** The text of a node's data; null when it does not parse (ZooKeeper would throw there). */
    static QuotaText parse(byte[] data) {
        QuotaText t = new QuotaText();
        if (data == null || data.length == 0) {
            return t;
        }
        try {
            for (String pair : SEPARATORS.split(new String(data, StandardCharsets.UTF_8))) {
                String[] kv = pair.split("=");
                t.values.put(kv[0], kv[1].isEmpty() ? -1L : Long.parseLong(kv[1]));
            }
        } catch (RuntimeException e) {
            return null;
        }
        return t;
    }

    long get(String key) {
        Long v = values.get(key);
        return v == null ? -1 : v;
    }

    void set(String key, long value) {
        values.put(key, value);
    }

    /** The limit that decides for count or bytes: the hard one when set, else the soft one (-1: none). */
    long limit(String soft, String hard) {
        return get(hard) > -1 ? get(hard) : get(soft);
    }

    byte[] bytes() {
        StringBuilder b = new StringBuilder();
        b.append(COUNT).append('=').append(get(COUNT)).append(',').append(BYTES).append('=').append(get(BYTES));
        List<String> others = new ArrayList<>(values.keySet());
        others.remove(COUNT);
        others.remove(BYTES);
        if (!others.isEmpty()) {
            b.append('=');
            Collections.sort(others);
            for (String key : others) {
                b.append(';').append(key).append('=').append(values.get(key));
            }
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
