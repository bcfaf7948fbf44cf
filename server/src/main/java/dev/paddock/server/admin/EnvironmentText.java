package dev.paddock.server.admin;

import java.net.InetAddress;
import java.net.UnknownHostException;

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

    String text() {
        StringBuilder sb = new StringBuilder("Environment:\n");
        line(sb, "zookeeper.version", FourLetterWords.VERSION);
        line(sb, "host.name", hostName());
        for (String key : PROPERTIES) {
            line(sb, key, System.getProperty(key, NOT_AVAILABLE));
        }
        Runtime runtime = Runtime.getRuntime();
        line(sb, "os.memory.free", runtime.freeMemory() / MB + "MB");
        line(sb, "os.memory.max", runtime.maxMemory() / MB + "MB");
        line(sb, "os.memory.total", runtime.totalMemory() / MB + "MB");
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

    private static void line(StringBuilder sb, String key, String value) {
        sb.append(key).append('=').append(value).append('\n');
    }
}
