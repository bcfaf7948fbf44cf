package dev.paddock.server.admin;

import dev.paddock.server.config.EnsembleConfig;
import dev.paddock.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
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

    ConfText(ServerFacts facts) {
        this.facts = facts;
    }

    /**
     * conf: the serving configuration. {@code secureClientPort} is the TLS-only port (-1 without one, as in
     * ZooKeeper); {@code clientPortListenBacklog} is -1 (the listen backlog is the system's default). An ensemble member adds its quorum
     * settings and the membership, which ends without a newline, as ZooKeeper's does.
     */
    String conf(int clientPort, int secureClientPort) {
        ServerConfig c = facts.config();
        StringBuilder sb = new StringBuilder();
        line(sb, "clientPort", clientPort);
        line(sb, "secureClientPort", secureClientPort);
        line(sb, "dataDir", facts.snapDir().toAbsolutePath());
        line(sb, "dataDirSize", sizeBytes(facts.snapDir()));
        line(sb, "dataLogDir", facts.logDir().toAbsolutePath());
        line(sb, "dataLogSize", sizeBytes(facts.logDir()));
        line(sb, "tickTime", c.tickTimeMs());
        line(sb, "maxClientCnxns", c.maxClientCnxns());
        line(sb, "minSessionTimeout", c.minSessionTimeoutMs());
        line(sb, "maxSessionTimeout", c.maxSessionTimeoutMs());
        line(sb, "clientPortListenBacklog", -1);
        line(sb, "serverId", facts.serverId());
        EnsembleConfig ensemble = facts.ensemble();
        if (ensemble != null) {
            line(sb, "initLimit", c.initLimit());
            line(sb, "syncLimit", c.syncLimit());
            line(sb, "electionAlg", ELECTION_ALG);
            line(sb, "electionPort", ensemble.me().electionPort());
            line(sb, "quorumPort", ensemble.me().quorumPort());
            line(sb, "peerType", ensemble.me().observer() ? 1 : 0);
            sb.append("membership: \n");
            membership(sb, ensemble);
        }
        return sb.toString();
    }

    /** The server lines as ZooKeeper writes its dynamic configuration, then {@code version=0} (no reconfig). */
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

    /** dirs: the bytes under the snapshot and log directories. */
    String dirs() {
        return "datadir_size: " + sizeBytes(facts.snapDir()) + "\nlogdir_size: " + sizeBytes(facts.logDir()) + "\n";
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
