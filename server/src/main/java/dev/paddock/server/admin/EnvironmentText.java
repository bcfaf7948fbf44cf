package dev.paddock.server.admin;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * envi as ZooKeeper 3.9.5 prints it: "Environment:", then key=value lines in ZooKeeper's order. The first
 * is {@code zookeeper.version}, which kazoo's {@code server_version()} parses (the digits before the first
 * '-'), so it starts with the ZooKeeper release Paddock speaks. Runs off the request thread: the host name
 * may need a DNS lookup, done once.
 */
final class EnvironmentText {
    private static final String NOT_AVAILABLE = "<NA>";
    private static final long MB = 1024 * 1024;
    private static final String[] PROPERTIES = {"java.version", "java.vendor", "java.home", "java.class.path",
        "java.library.path", "java.io.tmpdir", "java.compiler", "os.name", "os.arch", "os.version", "user.name",
        "user.home", "user.dir"};

    private volatile String hostName;

    /** The keys and values, in ZooKeeper's order: envi prints them as lines, environment as JSON. */
    Map<String, Object> entries() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("zookeeper.version", FourLetterWords.VERSION);
        m.put("host.name", hostName());
        for (String key : PROPERTIES) {
            m.put(key, System.getProperty(key, NOT_AVAILABLE));
        }
        Runtime runtime = Runtime.getRuntime();
        m.put("os.memory.free", runtime.freeMemory() / MB + "MB");
        m.put("os.memory.max", runtime.maxMemory() / MB + "MB");
        m.put("os.memory.total", runtime.totalMemory() / MB + "MB");
        return m;
    }

    String text() {
        StringBuilder sb = new StringBuilder("Environment:\n");
        entries().forEach((key, value) -> sb.append(key).append('=').append(value).append('\n'));
        return sb.toString();
    }

    private String hostName() {
        String name = hostName;
        if (name == null) {
            try {
                name = InetAddress.getLocalHost().getCanonicalHostName();
            } catch (UnknownHostException e) {
                name = NOT_AVAILABLE;
            }
            hostName = name;
        }
        return name;
    }
}
