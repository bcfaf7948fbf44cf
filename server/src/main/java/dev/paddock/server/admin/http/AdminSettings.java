package dev.paddock.server.admin.http;

import dev.paddock.server.config.ConfigException;
import dev.paddock.server.config.ServerConfig;
import java.util.Map;
import java.util.Properties;

/**
 * The AdminServer's settings, as ZooKeeper 3.9.5 reads them: zoo.cfg's {@code admin.*} keys, which
 * ZooKeeper copies to the {@code zookeeper.admin.*} system properties, or those properties themselves; a
 * zoo.cfg key wins. Defaults: enabled, 0.0.0.0:8080, command URL /commands, idle timeout 30 s.
 */
public record AdminSettings(boolean enabled, String address, int port, String commandUrl, int idleTimeoutMs) {
    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_ADDRESS = "0.0.0.0";
    public static final String DEFAULT_COMMAND_URL = "/commands";
    public static final int DEFAULT_IDLE_TIMEOUT_MS = 30_000;

    public static AdminSettings of(ServerConfig config, Properties system) throws ConfigException {
        Map<String, String> cfg = config.otherKeys();
        // ZooKeeper enables the server unless the value is exactly "false".
        boolean enabled = !"false".equals(value(cfg, system, "enableServer", "true"));
        String address = value(cfg, system, "serverAddress", DEFAULT_ADDRESS);
        int port = number(cfg, system, "serverPort", DEFAULT_PORT);
        if (port < 0 || port > 65535) {
            throw new ConfigException("admin.serverPort out of range: " + port);
        }
        String url = value(cfg, system, "commandURL", DEFAULT_COMMAND_URL);
        int idle = number(cfg, system, "idleTimeout", DEFAULT_IDLE_TIMEOUT_MS);
        return new AdminSettings(enabled, address, port, url.endsWith("/") ? url.substring(0, url.length() - 1) : url,
                idle);
    }

    private static String value(Map<String, String> cfg, Properties system, String key, String fallback) {
        String v = cfg.get("admin." + key);
        if (v == null) {
            v = system.getProperty("zookeeper.admin." + key);
        }
        return v == null ? fallback : v.strip();
    }

    private static int number(Map<String, String> cfg, Properties system, String key, int fallback)
            throws ConfigException {
        String v = value(cfg, system, key, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigException("admin." + key + " must be a number but is '" + v + "'");
        }
    }
}
