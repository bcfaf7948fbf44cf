package dev.paddock.server.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * A setting ZooKeeper reads from a {@code zookeeper.<key>} system property, which its zoo.cfg parsing also
 * sets from an unknown key {@code <key>}: looked up as zoo.cfg key {@code k} (or {@code zookeeper.k}) first,
 * then as the system property, the file winning as in ZooKeeper.
 */
record ZooKeeperKeys(Map<String, String> cfg, Properties system) {
    private static final String PREFIX = "zookeeper.";

    String get(String key) {
        String v = cfg.get(key);
        if (v == null) {
            v = cfg.get(PREFIX + key);
        }
        return v != null ? v.strip() : system.getProperty(PREFIX + key);
    }

    String getOr(String key, String fallback) {
        String v = get(key);
        return v == null ? fallback : v;
    }

    /** Every key either source holds, without the prefix. */
    List<String> keys() {
        Set<String> keys = new LinkedHashSet<>();
        for (String k : cfg.keySet()) {
            keys.add(k.startsWith(PREFIX) ? k.substring(PREFIX.length()) : k);
        }
        for (String k : system.stringPropertyNames()) {
            if (k.startsWith(PREFIX)) {
                keys.add(k.substring(PREFIX.length()));
            }
        }
        return new ArrayList<>(keys);
    }
}
