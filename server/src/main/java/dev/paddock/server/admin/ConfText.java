package dev.paddock.server.admin;

import dev.paddock.server.config.EnsembleConfig;
import dev.paddock.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * conf and dirs as ZooKeeper 3.9.5 prints them. They read the disk (the sizes of the snapshot and log
 * directories, every file below them, as ZooKeeper counts them), so they run off the request thread. The
 * directories are Paddock's own ({@code <dataDir>/paddock-1}, {@code <dataLogDir>/paddock-1}), where
 * ZooKeeper names its {@code version-2}.
 */
final class ConfText {
    /** ZooKeeper's fast leader election, the only one it has; Paddock's election plays the same part. */
    private static final int ELECTION_ALG = 3;

    private final ServerFacts facts;
    /** The membership in force (it changes with reconfig); the zoo.cfg's until the server wires it. */
    private volatile Supplier<String> membership;

    ConfText(ServerFacts facts) {
        this.facts = facts;
    }

    /**
     * conf: the serving configuration. {@code secureClientPort} is the TLS-only port (-1 without one, as in
     * ZooKeeper); {@code clientPortListenBacklog} is -1 (the listen backlog is the system's default). An ensemble member adds its quorum
     * settings and the membership, which ends without a newline, as ZooKeeper's does.
     */
    String conf(int clientPort, int secureClientPort) {
        StringBuilder sb = new StringBuilder();
        values(clientPort, secureClientPort).forEach((key, value) -> line(sb, key, value));
        EnsembleConfig ensemble = facts.ensemble();
        if (ensemble != null) {
            sb.append("membership: \n");
            Supplier<String> current = membership;
            if (current != null) {
                sb.append(current.get());
            } else {
                membership(sb, ensemble);
            }
        }
        return sb.toString();
    }

    /** conf's key=value settings in ZooKeeper's order (the membership aside); reads the disk. */
    Map<String, Object> values(int clientPort) {
        return values(clientPort, -1);
    }

    /** The same with the TLS-only port ({@code -1} without one). */
    Map<String, Object> values(int clientPort, int secureClientPort) {
        ServerConfig c = facts.config();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("clientPort", clientPort);
        v.put("secureClientPort", secureClientPort);
        v.put("dataDir", facts.snapDir().toAbsolutePath().toString());
        v.put("dataDirSize", sizeBytes(facts.snapDir()));
        v.put("dataLogDir", facts.logDir().toAbsolutePath().toString());
        v.put("dataLogSize", sizeBytes(facts.logDir()));
        v.put("tickTime", c.tickTimeMs());
        v.put("maxClientCnxns", c.maxClientCnxns());
        v.put("minSessionTimeout", c.minSessionTimeoutMs());
        v.put("maxSessionTimeout", c.maxSessionTimeoutMs());
        v.put("clientPortListenBacklog", -1);
        v.put("serverId", facts.serverId());
        EnsembleConfig ensemble = facts.ensemble();
        if (ensemble != null) {
            v.put("initLimit", c.initLimit());
            v.put("syncLimit", c.syncLimit());
            v.put("electionAlg", ELECTION_ALG);
            v.put("electionPort", ensemble.me().electionPort());
            v.put("quorumPort", ensemble.me().quorumPort());
            v.put("peerType", ensemble.me().observer() ? 1 : 0);
        }
        return v;
    }

    /**
     * The AdminServer's configuration: ZooKeeper's ZooKeeperServerConf, the same nine keys in every mode, in
     * its order and snake case, rendered from the same values as conf.
     */
    Map<String, Object> json(int clientPort) {
        Map<String, Object> v = values(clientPort);
        Map<String, Object> m = new LinkedHashMap<>();
        for (String key : JSON_KEYS) {
            m.put(snakeCase(key), v.get(key));
        }
        return m;
    }

    private static final List<String> JSON_KEYS = List.of("clientPort", "dataDir", "dataLogDir", "tickTime",
            "maxClientCnxns", "minSessionTimeout", "maxSessionTimeout", "serverId", "clientPortListenBacklog");

    private static String snakeCase(String camel) {
        StringBuilder sb = new StringBuilder();
        for (char ch : camel.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                sb.append('_').append(Character.toLowerCase(ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    /** The server lines as ZooKeeper writes its dynamic configuration, then {@code version=0} (no reconfig). */
    /**
     * Where conf reads the membership in force: the configuration text as {@code /zookeeper/config} holds it,
     * which is what ZooKeeper's conf prints (its quorum verifier's text), version included. Any thread.
     */
    void membershipFrom(Supplier<String> text) {
        this.membership = text;
    }

    private static void membership(StringBuilder sb, EnsembleConfig ensemble) {
        for (EnsembleConfig.Peer p : ensemble.peers().values()) {
            sb.append("server.").append(p.id()).append('=').append(hostString(p.host())).append(':')
                    .append(p.quorumPort()).append(':').append(p.electionPort())
                    .append(p.observer() ? ":observer" : ":participant");
            if (p.clientAddress() != null) {
                sb.append(';').append(hostString(p.clientAddress().getHostString())).append(':')
                        .append(p.clientAddress().getPort());
            }
            sb.append('\n');
        }
        sb.append("version=0");
    }

    /** IPv6 literals in brackets, as ZooKeeper writes them. */
    private static String hostString(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** dirs and the AdminServer's dirs: the bytes under the snapshot and log directories (reads the disk). */
    Map<String, Object> dirSizes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("datadir_size", sizeBytes(facts.snapDir()));
        m.put("logdir_size", sizeBytes(facts.logDir()));
        return m;
    }

    static String dirs(Map<String, Object> sizes) {
        return "datadir_size: " + sizes.get("datadir_size") + "\nlogdir_size: " + sizes.get("logdir_size") + "\n";
    }

    /** Every file below {@code dir}, by length (a preallocated segment counts whole, as in ZooKeeper). */
    static long sizeBytes(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        AtomicLong total = new AtomicLong();
        try (Stream<Path> files = Files.walk(dir)) {
            files.forEach(f -> {
                try {
                    BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                    if (a.isRegularFile()) {
                        total.addAndGet(a.size());
                    }
                } catch (IOException e) {
                    // A file removed meanwhile (purge, a rolled .tmp) no longer counts.
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // The directory changed under the walk; what was counted stands, as ZooKeeper's listing would.
        }
        return total.get();
    }

    private static void line(StringBuilder sb, String key, Object value) {
        sb.append(key).append('=').append(value).append('\n');
    }
}
