package dev.paddock.compat.harness;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a scenario class needs from its server. Both implementations are given exactly these
 * values: zoo.cfg keys as zoo.cfg keys, process-wide system properties as system properties
 * (set before the server starts, restored when it closes).
 */
public final class ServerSettings {
    private int tickTimeMs = 2000;
    private int minSessionTimeoutMs = 4000;
    private int maxSessionTimeoutMs = 40000;
    private int maxClientCnxns = 60;
    private final Map<String, String> zooCfg = new LinkedHashMap<>();
    private final Map<String, String> systemProperties = new LinkedHashMap<>();

    public static ServerSettings defaults() {
        return new ServerSettings();
    }

    public ServerSettings tickTimeMs(int v) {
        tickTimeMs = v;
        return this;
    }

    public ServerSettings sessionTimeoutsMs(int min, int max) {
        minSessionTimeoutMs = min;
        maxSessionTimeoutMs = max;
        return this;
    }

    public ServerSettings maxClientCnxns(int v) {
        maxClientCnxns = v;
        return this;
    }

    /** An extra zoo.cfg key, given as written in a zoo.cfg file. */
    public ServerSettings zooCfg(String key, String value) {
        zooCfg.put(key, value);
        return this;
    }

    /** A JVM system property the server reads at start (or, in ZooKeeper, while running). */
    public ServerSettings systemProperty(String key, String value) {
        systemProperties.put(key, value);
        return this;
    }

    /** All zoo.cfg keys, the common ones first. */
    public Map<String, String> zooCfgKeys() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("tickTime", Integer.toString(tickTimeMs));
        m.put("minSessionTimeout", Integer.toString(minSessionTimeoutMs));
        m.put("maxSessionTimeout", Integer.toString(maxSessionTimeoutMs));
        m.put("maxClientCnxns", Integer.toString(maxClientCnxns));
        m.put("clientPortAddress", "127.0.0.1");
        m.put("4lw.commands.whitelist", GlobalSystemProperties.FOUR_LETTER_WHITELIST);
        m.putAll(zooCfg);
        return Collections.unmodifiableMap(m);
    }

    public Map<String, String> systemProperties() {
        return Collections.unmodifiableMap(systemProperties);
    }

    public int tickTimeMs() {
        return tickTimeMs;
    }

    public int maxClientCnxns() {
        return maxClientCnxns;
    }
}
