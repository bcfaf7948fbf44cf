package dev.paddock.compat.harness;

import java.util.LinkedHashMap;
import java.util.Map;

/** Sets system properties and puts the previous values back on close. */
final class SystemPropertiesOverride implements AutoCloseable {
    private final Map<String, String> previous = new LinkedHashMap<>();

    SystemPropertiesOverride(Map<String, String> values) {
        values.forEach((k, v) -> {
            previous.put(k, System.getProperty(k));
            System.setProperty(k, v);
        });
    }

    @Override
    public void close() {
        previous.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
    }
}
