package dev.paddock.server.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.storage.EpochFiles;
import dev.paddock.server.storage.LogFormat;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.wire.proto.Acl;
import dev.paddock.wire.proto.Id;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a cut-over from mirrors asks of the import, on a saved mirror's directory (a ZooKeeper snapshot and
 * ZooKeeper's two epoch files, as MirrorState.saveTo writes them): the current and accepted epochs stay apart
 * (an epoch only accepted must not make a member look newer in Paddock's election), the old ensemble's
 * {@code /zookeeper/config} text is not carried over (the member's own zoo.cfg writes it), and
 * {@code bin/paddock lastzxid} reads the snapshot's zxid.
 */
class CutOverImportTest {
    private static final List<Acl> OPEN = List.of(new Acl(31, new Id("world", "anyone")));
    private static final long ZXID = (5L << 32) | 0x2a;

    @TempDir
    Path dataDir;

    @Test
    void importKeepsEpochsApartAndLeavesTheConfigNodeToTheMember() throws Exception {
        ZkTree tree = tree();
        Path zk = dataDir.resolve("version-2");
        Files.createDirectories(zk);
        ZkSnapshotWriter.write(zk.resolve("snapshot." + Long.toHexString(ZXID)), tree, Map.of(0x100L, 30_000));
        Files.writeString(zk.resolve("currentEpoch"), "5");
        Files.writeString(zk.resolve("acceptedEpoch"), "7");

        assertThat(ZkLastZxid.of(dataDir, dataDir).zxid()).isEqualTo(ZXID);
        assertThat(ZkLastZxid.of(dataDir, dataDir).describe()).startsWith("lastZxid 0x50000002a (epoch 5, counter 42)");

        ImportReport report = ZooKeeperImport.importInto(dataDir, dataDir, false);
        assertThat(report.lastZxid()).isEqualTo(ZXID);
        assertThat(report.epoch()).as("the epoch Paddock continues after").isEqualTo(7);
        EpochFiles epochs = new EpochFiles(dataDir.resolve(LogFormat.SUBDIR));
        assertThat(epochs.currentEpoch()).isEqualTo(5);
        assertThat(epochs.acceptedEpoch()).isEqualTo(7);

        StateMachine state = ZooKeeperImport.toImported(tree, Map.of(0x100L, 30_000), ZXID, false);
        assertThat(state.configNodeData()).as("the old ensemble's configuration text").isEmpty();
        assertThat(state.tree().exists("/a")).isTrue();
        assertThat(state.tree().stat("/zookeeper/config").mzxid()).as("the node itself is kept").isEqualTo(ZXID);
        // A live mirror serves the running ensemble's text there, as a ZooKeeper observer does.
        StateMachine mirrored = ZooKeeperImport.toPaddock(tree, Map.of(0x100L, 30_000), ZXID, false);
        assertThat(new String(mirrored.configNodeData(), java.nio.charset.StandardCharsets.UTF_8))
                .startsWith("server.1=127.0.0.1:2888:3888:participant");
    }

    @Test
    void nothingSavedGivesZeroAndNoImport() throws Exception {
        assertThat(ZkLastZxid.of(dataDir, dataDir)).isEqualTo(new ZkLastZxid(0, "nothing"));
        assertThat(ZooKeeperImport.hasPaddockData(dataDir, dataDir)).isFalse();
    }

    /** The nodes every ZooKeeper 3.5+ tree has, a configuration text of the old ensemble, and /a. */
    private static ZkTree tree() {
        ZkTree t = new ZkTree(false);
        t.putFromSnapshot("", node(new byte[0], 1));
        t.putFromSnapshot("/zookeeper", node(new byte[0], 0));
        t.putFromSnapshot("/zookeeper/quota", node(new byte[0], 0));
        t.putFromSnapshot("/zookeeper/config", node(("server.1=127.0.0.1:2888:3888:participant\n"
                + "server.4=127.0.0.1:2889:3889:observer\nversion=100000000").getBytes(StandardCharsets.UTF_8), 0));
        t.putFromSnapshot("/a", node("a".getBytes(StandardCharsets.UTF_8), 0));
        return t;
    }

    private static ZkNode node(byte[] data, int cversion) {
        ZkNode n = new ZkNode();
        n.data = data;
        n.acl = OPEN;
        n.czxid = ZXID;
        n.mzxid = ZXID;
        n.pzxid = ZXID;
        n.cversion = cversion;
        return n;
    }
}
