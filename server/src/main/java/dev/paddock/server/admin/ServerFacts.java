package dev.paddock.server.admin;

import dev.paddock.server.config.EnsembleConfig;
import dev.paddock.server.config.ServerConfig;
import java.nio.file.Path;

/**
 * What the four-letter words say about the server that does not change while it runs: its configuration,
 * its ensemble (null when standalone), where its snapshots and log live and when it started (monotonic ms,
 * for zk_uptime).
 */
public record ServerFacts(ServerConfig config, EnsembleConfig ensemble, Path snapDir, Path logDir, long startedMs) {
    /** The id conf and dump show: 0 when standalone, as in ZooKeeper. */
    public int serverId() {
        return ensemble == null ? 0 : ensemble.myId();
    }

    /** Voting members, ZooKeeper's zk_quorum_size. */
    public int quorumSize() {
        return ensemble == null ? 1 : ensemble.voters().size();
    }

    public boolean observer() {
        return ensemble != null && ensemble.me().observer();
    }
}
