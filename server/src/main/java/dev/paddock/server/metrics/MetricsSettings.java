package dev.paddock.server.metrics;

import dev.paddock.server.config.ConfigException;
import dev.paddock.server.config.ServerConfig;
import java.util.Map;
import java.util.Set;

/**
 * zoo.cfg's {@code metricsProvider.*} keys, as ZooKeeper 3.9.5 reads them: {@code className} names the
 * provider; Paddock serves {@value #PROMETHEUS} itself (its own exporter, with ZooKeeper's metric names) on
 * {@code httpHost}:{@code httpPort} (0.0.0.0:7000), with the JVM's metrics unless {@code exportJvmInfo=false}.
 * ZooKeeper's two built-in providers that export nothing over HTTP (the default and the null one) mean "no
 * exporter"; any other class is refused at start, as ZooKeeper refuses a provider it cannot load.
 */
public record MetricsSettings(boolean enabled, String host, int port, boolean exportJvmInfo) {
    public static final String PROMETHEUS = "org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider";
    private static final Set<String> NO_EXPORTER = Set.of("org.apache.zookeeper.metrics.impl.DefaultMetricsProvider",
            "org.apache.zookeeper.metrics.impl.NullMetricsProvider");
    public static final int DEFAULT_PORT = 7000;
    public static final String DEFAULT_HOST = "0.0.0.0";

    public static MetricsSettings of(ServerConfig config) throws ConfigException {
        Map<String, String> cfg = config.otherKeys();
        String className = cfg.getOrDefault("metricsProvider.className", "").strip();
        if (className.isEmpty() || NO_EXPORTER.contains(className)) {
            return new MetricsSettings(false, DEFAULT_HOST, DEFAULT_PORT, true);
        }
        if (!className.equals(PROMETHEUS)) {
            throw new ConfigException("metricsProvider.className " + className + " is not available: Paddock "
                    + "provides " + PROMETHEUS);
        }
        String host = cfg.getOrDefault("metricsProvider.httpHost", DEFAULT_HOST).strip();
        String portText = cfg.getOrDefault("metricsProvider.httpPort", Integer.toString(DEFAULT_PORT)).strip();
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new ConfigException("metricsProvider.httpPort must be a number but is '" + portText + "'");
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException("metricsProvider.httpPort out of range: " + port);
        }
        // ZooKeeper reads it with Boolean.parseBoolean: anything but "true" (any case) is false.
        boolean jvm = Boolean.parseBoolean(cfg.getOrDefault("metricsProvider.exportJvmInfo", "true").strip());
        return new MetricsSettings(true, host, port, jvm);
    }
}
