package dev.paddock.testing;

import java.io.File;
import java.nio.file.Path;

/**
 * One member of a {@link TestingCluster} (curator-test's {@code InstanceSpec}): its id (the {@code server.N}
 * of zoo.cfg and its {@code myid}), its ports on 127.0.0.1, its data directory. Ports and directory stay the
 * same across kills and restarts.
 */
public final class ClusterMember {
    private final int id;
    private final int clientPort;
    private final int quorumPort;
    private final int electionPort;
    private final Path dataDir;

    ClusterMember(int id, int clientPort, int quorumPort, int electionPort, Path dataDir) {
        this.id = id;
        this.clientPort = clientPort;
        this.quorumPort = quorumPort;
        this.electionPort = electionPort;
        this.dataDir = dataDir;
    }

    public int getId() {
        return id;
    }

    public int getPort() {
        return clientPort;
    }

    public int getQuorumPort() {
        return quorumPort;
    }

    public int getElectionPort() {
        return electionPort;
    }

    public File getDataDirectory() {
        return dataDir.toFile();
    }

    /** {@code 127.0.0.1:clientPort}: a connect string for this member alone. */
    public String getConnectString() {
        return "127.0.0.1:" + clientPort;
    }

    /** The member's line in every zoo.cfg of the cluster. */
    String serverLine() {
        return "127.0.0.1:" + quorumPort + ":" + electionPort + ";127.0.0.1:" + clientPort;
    }

    Path dataPath() {
        return dataDir;
    }

    @Override
    public String toString() {
        return "member " + id + " (" + getConnectString() + ")";
    }
}
