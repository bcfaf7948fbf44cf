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
        long epoch = Math.max(r.lastZxid() >>> 32, zk.fileEpoch());
        int ephemerals = 0;
        for (Set<String> s : r.tree().ephemerals.values()) {
            ephemerals += s.size();
        }
        int nodes = r.tree().nodes.size();
        StateMachine state = toPaddock(r.tree(), r.sessions(), r.lastZxid(), extendedTypes);
        long built = System.nanoTime();
        Path written = PaddockDataWriter.write(dataDir, state, epoch);
        long done = System.nanoTime();
        long millis = (done - started) / 1_000_000;
        String phases = "read and replay " + (restored - started) / 1_000_000 + " ms, build "
                + (built - restored) / 1_000_000 + " ms, write " + (done - built) / 1_000_000 + " ms";
        return new ImportReport(r.filesRead(), r.snapshotZxid(), r.firstReplayedZxid(), r.lastZxid(),
                r.replayed(), epoch, nodes, r.sessions().size(), ephemerals, r.tree().conflicts, r.problems(),
                r.digestCheck(), written.toString(), millis, phases);
    }

    /** The restored ZooKeeper tree as Paddock's state machine, every stored field as it is. */
    public static StateMachine toPaddock(ZkTree tree, Map<Long, Integer> sessions, long zxid, boolean extendedTypes)
            throws ImportException {
        TreeBuilder b = new TreeBuilder(extendedTypes);
        for (Map.Entry<String, ZkNode> e : tree.nodes.entrySet()) {
            ZkNode n = e.getValue();
            String path = e.getKey().isEmpty() ? "/" : e.getKey();
            b.node(path, n.data, n.acl, n.czxid, n.mzxid, n.pzxid, n.ctime, n.mtime, n.version, n.cversion,
                    n.aversion, n.ephemeralOwner);
        }
        try {
            return b.build(sessions, zxid);
        } catch (IllegalArgumentException e) {
            throw new ImportException("the restored tree is inconsistent: " + e.getMessage(), e);
        }
    }
}
