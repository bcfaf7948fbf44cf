package dev.paddock.compat.harness;

import java.util.LinkedHashMap;
import java.util.Map;
import javax.security.auth.login.Configuration;

/**
 * Sets system properties and puts the previous values back on close. The JVM reads the JAAS file named by
 * {@code java.security.auth.login.config} once and caches it; when that property changes either way, the
 * cached configuration is dropped, so servers and clients read the file now in force.
 */
public final class SystemPropertiesOverride implements AutoCloseable {
    static final String JAAS = "java.security.auth.login.config";
    private final Map<String, String> previous = new LinkedHashMap<>();

    public SystemPropertiesOverride(Map<String, String> values) {
        values.forEach((k, v) -> {
            previous.put(k, System.getProperty(k));
            System.setProperty(k, v);
        });
        forgetJaasIfChanged();
    }

    private void forgetJaasIfChanged() {
        if (previous.containsKey(JAAS)) {
            Configuration.setConfiguration(null);
        }
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
        forgetJaasIfChanged();
    }
}
