package dev.paddock.server.migration;

import dev.paddock.server.config.ServerConfig;
import dev.paddock.server.storage.LogFormat;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.TreeBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports a ZooKeeper data directory ({@code version-2} snapshots and transaction logs) into a Paddock one,
 * so that Paddock started on ZooKeeper's zoo.cfg serves the same tree: every path, data, ACL and stat field,
 * the sessions with their timeouts, the last zxid. ZooKeeper's files are only read, never changed, so going
 * back to ZooKeeper stays possible.
 *
 * <p>At start-up ({@link #importIfPresent}) this runs when the data directory holds ZooKeeper's files and no
 * Paddock data; {@code bin/paddock import <zoo.cfg>} runs it explicitly ({@link ImportTool}).
 */
public final class ZooKeeperImport {
    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperImport.class);

    private ZooKeeperImport() {
    }

    /** Paddock data is there: a {@code paddock-1} in dataDir, or a non-empty one in dataLogDir. */
    public static boolean hasPaddockData(Path dataDir, Path dataLogDir) throws IOException {
        if (Files.exists(dataDir.resolve(LogFormat.SUBDIR))) {
            return true;
        }
        Path logs = dataLogDir.resolve(LogFormat.SUBDIR);
        if (!Files.isDirectory(logs)) {
            return false;
        }
        try (Stream<Path> s = Files.list(logs)) {
            return s.findAny().isPresent();
        }
    }

    /**
     * Start-up: imports ZooKeeper's files when there are some and no Paddock data, logging the report.
     *
     * @return the report, or null when there was nothing to import
     * @throws ImportException when ZooKeeper's files cannot be imported (nothing is written then)
     */
    public static ImportReport importIfPresent(ServerConfig config) throws IOException {
        if (hasPaddockData(config.dataDir(), config.dataLogDir())) {
            return null;
        }
        ZkDataDir zk = ZkDataDir.of(config.dataDir(), config.dataLogDir());
        if (zk.isEmpty()) {
            return null;
        }
        LOG.info("{} holds ZooKeeper data and no Paddock data: importing it (ZooKeeper's files stay as they are)",
                zk.snapDir());
        ImportReport report = importInto(zk, config.dataDir(), config.extendedTypesEnabled());
        LOG.info("{}", report.describe());
        return report;
    }

    /** {@code bin/paddock import}: like start-up, but refuses when there is nothing to do. */
    public static ImportReport run(ServerConfig config) throws IOException {
        if (hasPaddockData(config.dataDir(), config.dataLogDir())) {
            String where = config.dataDir().resolve(LogFormat.SUBDIR).toString();
            if (!config.dataLogDir().equals(config.dataDir())) {
                where += " or " + config.dataLogDir().resolve(LogFormat.SUBDIR);
            }
            throw new ImportException(where + " already holds Paddock data; nothing imported");
        }
        ZkDataDir zk = ZkDataDir.of(config.dataDir(), config.dataLogDir());
        if (zk.isEmpty()) {
            throw new ImportException("no ZooKeeper snapshot or log in " + zk.snapDir() + " or " + zk.logDir());
        }
        return importInto(zk, config.dataDir(), config.extendedTypesEnabled());
    }

    /** Imports the ZooKeeper files of {@code dataDir}/{@code dataLogDir} into {@code dataDir} (no checks first). */
    public static ImportReport importInto(Path dataDir, Path dataLogDir, boolean extendedTypes) throws IOException {
        return importInto(ZkDataDir.of(dataDir, dataLogDir), dataDir, extendedTypes);
    }

    static ImportReport importInto(ZkDataDir zk, Path dataDir, boolean extendedTypes) throws IOException {
        long started = System.nanoTime();
        ZkRestore.Restored r = ZkRestore.restore(zk, extendedTypes);
        long restored = System.nanoTime();
        // Kept apart as ZooKeeper keeps them: the current epoch is what elections compare (with the last zxid),
        // and one a member only accepted (an election that never finished) must not make a member that holds
        // fewer transactions look newer than one that holds more (issue 12, the cut-over from mirrors).
        long current = Math.max(r.lastZxid() >>> 32, zk.currentEpoch());
        long epoch = Math.max(current, zk.acceptedEpoch());
        int ephemerals = 0;
        for (Set<String> s : r.tree().ephemerals.values()) {
            ephemerals += s.size();
        }
        int nodes = r.tree().nodes.size();
        StateMachine state = toImported(r.tree(), r.sessions(), r.lastZxid(), extendedTypes);
        long built = System.nanoTime();
        Path written = PaddockDataWriter.write(dataDir, state, epoch, current);
        long done = System.nanoTime();
        long millis = (done - started) / 1_000_000;
        String phases = "read and replay " + (restored - started) / 1_000_000 + " ms, build "
                + (built - restored) / 1_000_000 + " ms, write " + (done - built) / 1_000_000 + " ms";
        return new ImportReport(r.filesRead(), r.snapshotZxid(), r.firstReplayedZxid(), r.lastZxid(),
                r.replayed(), epoch, nodes, r.sessions().size(), ephemerals, r.tree().conflicts, r.problems(),
                r.digestCheck(), written.toString(), millis, phases);
    }

    /**
     * ZooKeeper's configuration node. Its text is the ZooKeeper ensemble's membership, which every ZooKeeper
     * server replaces with its own configuration when it starts (ZKDatabase.initConfigInZKDatabase); Paddock
     * does the same, but also adopts a text there that is newer than its own (a reconfig it applied before a
     * crash). Imported as it is, the old ensemble's text (version {@code epoch << 32} or later) would win over
     * the new members' zoo.cfg after a cut-over from mirrors and make them observers of ZooKeeper's voters.
     * So the import leaves it empty and each member writes its own configuration there at start-up.
     */
    static final String CONFIG_NODE = "/zookeeper/config";

    /**
     * The restored ZooKeeper tree as Paddock's state machine, every stored field as it is: what a live mirror
     * serves, where {@link #CONFIG_NODE} is the running ZooKeeper ensemble's, as on its observers.
     */
    public static StateMachine toPaddock(ZkTree tree, Map<Long, Integer> sessions, long zxid, boolean extendedTypes)
            throws ImportException {
        return build(tree, sessions, zxid, extendedTypes, false);
    }

    /** As {@link #toPaddock}, except the text of {@link #CONFIG_NODE}: what an import writes. */
    public static StateMachine toImported(ZkTree tree, Map<Long, Integer> sessions, long zxid, boolean extendedTypes)
            throws ImportException {
        return build(tree, sessions, zxid, extendedTypes, true);
    }

    private static StateMachine build(ZkTree tree, Map<Long, Integer> sessions, long zxid, boolean extendedTypes,
            boolean blankConfig)
            throws ImportException {
        TreeBuilder b = new TreeBuilder(extendedTypes);
        for (Map.Entry<String, ZkNode> e : tree.nodes.entrySet()) {
            ZkNode n = e.getValue();
            String path = e.getKey().isEmpty() ? "/" : e.getKey();
            byte[] data = blankConfig && path.equals(CONFIG_NODE) ? new byte[0] : n.data;
            b.node(path, data, n.acl, n.czxid, n.mzxid, n.pzxid, n.ctime, n.mtime, n.version, n.cversion,
                    n.aversion, n.ephemeralOwner);
        }
        try {
            return b.build(sessions, zxid);
        } catch (IllegalArgumentException e) {
            throw new ImportException("the restored tree is inconsistent: " + e.getMessage(), e);
        }
    }
}
