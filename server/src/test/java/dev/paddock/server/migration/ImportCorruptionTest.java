package dev.paddock.server.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.server.ServerTestSupport;
import dev.paddock.server.storage.LogFormat;
import dev.paddock.server.storage.SnapshotFile;
import dev.paddock.server.tree.TreeDigest;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged ZooKeeper files, made from a data directory a real ZooKeeper 3.9.5 wrote: each case imports a
 * damaged copy. Corruption ZooKeeper refuses (a checksum that does not match, every snapshot unreadable, a
 * log file missing) is an {@link ImportException} naming the file and the offset, and leaves nothing behind;
 * damage ZooKeeper steps over (a torn last entry, an unreadable newest snapshot with an older one and the
 * logs after it) imports as ZooKeeper would load it, with a note in the report.
 */
class ImportCorruptionTest {
    @TempDir
    static Path shared;
    static Path pristine;
    static String pristineDigest;
    static ImportReport pristineReport;

    @TempDir
    Path dir;

    @BeforeAll
    static void zooKeeperWritesADataDirectory() throws Exception {
        Path zkDir = shared.resolve("zk");
        Files.createDirectories(zkDir);
        int port = ServerTestSupport.freePort();
        Map<String, String> cfg = ZooKeeperImportTest.zooCfg(port, zkDir.resolve("data"));
        Map<String, String> props = new LinkedHashMap<>();
        props.put("zookeeper.snapCount", "40");
        props.put("zookeeper.extendedTypesEnabled", "true");
        try (RealZooKeeper zk = RealZooKeeper.start(zkDir, cfg, props, RealZooKeeper.testClassPath(),
                "org.apache.zookeeper.server.ZooKeeperServerMain")) {
            ZooKeeper c = RealZooKeeper.client(zk.connectString(), 30_000);
            c.create("/d", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            for (int i = 0; i < 150; i++) {
                c.create("/d/n-", ("value " + i).getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT_SEQUENTIAL);
                if (i % 5 == 0) {
                    c.setData("/d", ("at " + i).getBytes(), -1);
                }
            }
            c.close();
            zk.kill();
        }
        pristine = zkDir.resolve("data");
        Path copy = shared.resolve("pristine-import");
        copyTree(pristine, copy);
        pristineReport = importInto(copy);
        pristineDigest = digestOf(copy);
        assertThat(pristineReport.nodes()).isEqualTo(151 + 4);
        assertThat(pristineReport.digestCheck()).startsWith("matches ZooKeeper's digest");
    }

    private static ImportReport importInto(Path dataDir) throws Exception {
        return ZooKeeperImport.importInto(ZkDataDir.of(dataDir, dataDir), dataDir, true);
    }

    private static String digestOf(Path dataDir) throws Exception {
        Path snapDir = dataDir.resolve(LogFormat.SUBDIR);
        try (Stream<Path> s = Files.list(snapDir)) {
            Path snap = s.filter(p -> p.getFileName().toString().startsWith("snapshot.")).findFirst().orElseThrow();
            return TreeDigest.of(SnapshotFile.read(snap, true).stateMachine());
        }
    }

    private Path damagedCopy() throws Exception {
        Path copy = dir.resolve("data");
        copyTree(pristine, copy);
        return copy;
    }

    private static List<Path> files(Path dataDir, String prefix) throws Exception {
        try (Stream<Path> s = Files.list(dataDir.resolve("version-2"))) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .sorted(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().split("\\.")[1], 16)))
                    .toList();
        }
    }

    private static void assertNothingWritten(Path dataDir) {
        assertThat(dataDir.resolve(LogFormat.SUBDIR)).doesNotExist();
        assertThat(dataDir.resolve(LogFormat.SUBDIR + PaddockDataWriter.TEMP_SUFFIX)).doesNotExist();
    }

    @Test
    void aLogEntryWhoseChecksumDoesNotMatchStopsTheImportNamingFileAndOffset() throws Exception {
        Path data = damagedCopy();
        Path log = files(data, "log.").get(files(data, "log.").size() - 1);
        // The first entry starts after the 16-byte header: checksum (8), length (4), then the payload.
        flip(log, 16 + 12 + 30);
        assertThatThrownBy(() -> importInto(data)).isInstanceOf(ImportException.class)
                .hasMessageContaining(log.toString()).hasMessageContaining("at offset 16")
                .hasMessageContaining("checksum mismatch");
        assertNothingWritten(data);
    }

    @Test
    void aTornLastEntryEndsTheLogAsZooKeeperEndsIt() throws Exception {
        Path data = damagedCopy();
        List<Path> logs = files(data, "log.");
        Path last = logs.get(logs.size() - 1);
        long end = endOfEntries(last);
        try (RandomAccessFile f = new RandomAccessFile(last.toFile(), "rw")) {
            f.setLength(end - 3);
        }
        ImportReport report = importInto(data);
        assertThat(report.lastZxid()).isEqualTo(pristineReport.lastZxid() - 1);
        assertThat(report.problems()).anyMatch(p -> p.contains(last.toString()) && p.contains("partial entry"));
    }

    @Test
    void anUnreadableNewestSnapshotFallsBackToTheOlderOneAndTheSameState() throws Exception {
        Path data = damagedCopy();
        List<Path> snaps = files(data, "snapshot.");
        Path newest = snaps.get(snaps.size() - 1);
        flip(newest, Files.size(newest) / 2);
        ImportReport report = importInto(data);
        assertThat(report.problems()).anyMatch(p -> p.contains(newest.toString()) && p.contains("at offset"));
        assertThat(report.snapshotZxid()).isLessThan(pristineReport.snapshotZxid());
        assertThat(digestOf(data)).isEqualTo(pristineDigest);
    }

    @Test
    void noReadableSnapshotStopsTheImport() throws Exception {
        Path data = damagedCopy();
        for (Path snap : files(data, "snapshot.")) {
            try (RandomAccessFile f = new RandomAccessFile(snap.toFile(), "rw")) {
                f.setLength(f.length() - 20);
            }
        }
        assertThatThrownBy(() -> importInto(data)).isInstanceOf(ImportException.class)
                .hasMessageContaining("no readable ZooKeeper snapshot").hasMessageContaining("at offset");
        assertNothingWritten(data);
    }

    @Test
    void aMissingLogFileIsAGapNotSilentLoss() throws Exception {
        Path data = damagedCopy();
        List<Path> snaps = files(data, "snapshot.");
        List<Path> logs = files(data, "log.");
        // Keep only the oldest snapshot, so the logs after it are needed, and lose one of them.
        for (Path s : snaps.subList(1, snaps.size())) {
            Files.delete(s);
        }
        assertThat(logs).hasSizeGreaterThan(2);
        Files.delete(logs.get(1));
        assertThatThrownBy(() -> importInto(data)).isInstanceOf(ImportException.class)
                .hasMessageContaining("are missing");
        assertNothingWritten(data);
    }

    @Test
    void garbageWhereALogHeaderShouldBe() throws Exception {
        Path data = damagedCopy();
        Path first = files(data, "log.").get(0);
        Files.write(first, "not a log".getBytes());
        List<Path> snaps = files(data, "snapshot.");
        for (Path s : snaps.subList(1, snaps.size())) {
            Files.delete(s);
        }
        assertThatThrownBy(() -> importInto(data)).isInstanceOf(ImportException.class)
                .hasMessageContaining(first.toString());
        assertNothingWritten(data);
    }

    @Test
    void importIsRefusedWhenPaddockDataIsThere() throws Exception {
        Path data = damagedCopy();
        Files.createDirectories(data.resolve(LogFormat.SUBDIR));
        assertThat(ZooKeeperImport.hasPaddockData(data, data)).isTrue();
        assertThatThrownBy(() -> importInto(data)).isInstanceOf(ImportException.class)
                .hasMessageContaining("already");
    }

    @Test
    void theCommandReportsWhatItReadAndRefusesASecondImport() throws Exception {
        Path data = damagedCopy();
        // ZooKeeper's logs in a dataLogDir of their own.
        Path logs = dir.resolve("logs");
        Files.createDirectories(logs.resolve("version-2"));
        for (Path log : files(data, "log.")) {
            Files.move(log, logs.resolve("version-2").resolve(log.getFileName()));
        }
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("dataDir", data.toString());
        cfg.put("dataLogDir", logs.toString());
        cfg.put("clientPort", Integer.toString(ServerTestSupport.freePort()));
        cfg.put("extendedTypesEnabled", "true");
        dev.paddock.server.config.ServerConfig config = ServerTestSupport.config(dir, cfg);
        ImportReport report = ZooKeeperImport.run(config);
        String text = report.describe();
        assertThat(text).contains("files read:").contains("log.").contains("snapshot.")
                .contains("last zxid:       0x" + Long.toHexString(pristineReport.lastZxid()))
                .contains("znodes:          " + pristineReport.nodes());
        assertThat(digestOf(data)).isEqualTo(pristineDigest);
        assertThat(ZooKeeperImport.importIfPresent(config)).as("Paddock data is there now").isNull();
        assertThatThrownBy(() -> ZooKeeperImport.run(config)).isInstanceOf(ImportException.class)
                .hasMessageContaining("already holds Paddock data");
    }

    /** Where the entries of a log end: the offset of the zero length of its preallocated tail. */
    private static long endOfEntries(Path log) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long at = 16;
            while (true) {
                f.seek(at + 8);
                int len = f.readInt();
                if (len == 0) {
                    return at;
                }
                at += 12 + len + 1;
            }
        }
    }

    private static void flip(Path file, long offset) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x5a);
        }
    }

    static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
