package dev.paddock.server.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first step of the seeds' migration by observers: a fourth server that no member's config lists (its
 * own zoo.cfg lists the three members and itself as {@code :observer}, with {@code peerType=observer}) joins
 * the running ensemble as an observer, as it would join ZooKeeper's: it learns the data written before it
 * came, serves reads, forwards its clients' writes and gets every new write, follows a new leader, and
 * never counts in a quorum (with two of the three members gone, nothing commits). Also pins
 * {@code /zookeeper/config}: each server holds its own config's text, never logged.
 */
class UnlistedObserverTest {
    @TempDir
    Path dir;

    private LoopbackEnsemble ensemble;

    @AfterEach
    void stop() throws Exception {
        if (ensemble != null) {
            ensemble.close();
        }
    }

    private String mode(int id) {
        return ensemble.mode(id);
    }

    /** Starts server {@code id} with the lines of {@code listed}; server 4 as {@code peerType=observer}. */
    private void start(int id, int... listed) throws Exception {
        ensemble.start(id, id == 4 ? Map.of("peerType", "observer") : Map.of(), listed);
    }

    /**
     * A server the members do not list that calls itself a voter is let in as ZooKeeper lets in a voter that
     * joins before the reconfig that adds it (its zoo.cfg lists the members and itself): a non-voting
     * follower, which syncs, serves clients and takes proposals, while the ensemble's quorum stays the
     * members' own.
     */
    @Test
    void anUnlistedVoterFollowsWithoutAVote() throws Exception {
        ensemble = new LoopbackEnsemble(dir, 4, Map.of());
        for (int id = 1; id <= 3; id++) {
            start(id, 1, 2, 3);
        }
        LoopbackEnsemble.await("a leader and two followers", () -> List.of(mode(1), mode(2), mode(3)).contains("leader"));
        // Its zoo.cfg lists the members and itself as a participant (no peerType).
        ensemble.start(4, Map.of("initLimit", "5", "syncLimit", "5"), 1, 2, 3, 4);
        LoopbackEnsemble.await("server 4 follows", () -> mode(4).equals("follower"));
        ZooKeeper member = ensemble.connect(1);
        for (int i = 0; i < 30; i++) {
            member.create("/w" + i, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
        ZooKeeper fourth = ensemble.connect(4);
        fourth.sync("/", null, null);
        assertThat(fourth.exists("/w29", false)).isNotNull();
        for (int id = 1; id <= 3; id++) {
            assertThat(mode(id)).isIn("leader", "follower");
        }
    }

    @Test
    void anObserverNoMemberListsJoinsServesAndNeverVotes() throws Exception {
        ensemble = new LoopbackEnsemble(dir, 4, Map.of(4, ":observer"));
        for (int id = 1; id <= 3; id++) {
            start(id, 1, 2, 3);
        }
        LoopbackEnsemble.await("a leader and two followers", () -> {
            List<String> modes = List.of(mode(1), mode(2), mode(3));
            return modes.contains("leader") && modes.stream().allMatch(m -> m.equals("leader") || m.equals("follower"));
        });
        ZooKeeper member = ensemble.connect(1);
        member.create("/before", "old".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);

        start(4, 1, 2, 3, 4);
        LoopbackEnsemble.await("server 4 observes", () -> mode(4).equals("observer"));
        ZooKeeper observer = ensemble.connect(4);
        assertThat(new String(observer.getData("/before", false, null))).isEqualTo("old");

        // New writes through a member reach it (with a watch), and its clients' writes reach the members.
        CountDownLatch changed = new CountDownLatch(1);
        observer.exists("/after", e -> changed.countDown());
        member.create("/after", "new".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertThat(changed.await(10, TimeUnit.SECONDS)).as("the observer saw the write").isTrue();
        assertThat(new String(observer.getData("/after", false, null))).isEqualTo("new");
        observer.create("/from-observer", "o".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        member.sync("/", (rc, path, ctx) -> { }, null);
        assertThat(new String(member.getData("/from-observer", false, null))).isEqualTo("o");

        // Each server's /zookeeper/config is its own config's text (as ZooKeeper's initConfigInZKDatabase).
        String three = "server.1=" + ensemble.line(1).replace(";", ":participant;") + "\n"
                + "server.2=" + ensemble.line(2).replace(";", ":participant;") + "\n"
                + "server.3=" + ensemble.line(3).replace(";", ":participant;") + "\n";
        Stat stat = new Stat();
        assertThat(new String(member.getConfig(false, stat), StandardCharsets.UTF_8)).isEqualTo(three + "version=0");
        assertThat(stat.getVersion()).isEqualTo(-1);
        assertThat(stat.getMzxid()).isZero();
        assertThat(new String(observer.getConfig(false, null), StandardCharsets.UTF_8))
                .isEqualTo(three + "server.4=" + ensemble.line(4) + "\nversion=0");

        // The leader goes away: the observer finds the new one and gets its writes.
        int leader = mode(1).equals("leader") ? 1 : mode(2).equals("leader") ? 2 : 3;
        ensemble.stop(leader);
        int[] left = java.util.stream.IntStream.rangeClosed(1, 3).filter(id -> id != leader).toArray();
        LoopbackEnsemble.await("a new leader", () -> mode(left[0]).equals("leader") || mode(left[1]).equals("leader"));
        LoopbackEnsemble.await("server 4 observes again", () -> mode(4).equals("observer"));
        ZooKeeper survivor = ensemble.connect(left[0]);
        survivor.create("/after-failover", "f".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        ZooKeeper observer2 = ensemble.connect(4);
        observer2.sync("/", (rc, path, ctx) -> { }, null);
        assertThat(new String(observer2.getData("/after-failover", false, null))).isEqualTo("f");

        // It never counts: with two of the three voters gone, the last cannot lead even with it.
        int kept = left[0];
        ensemble.stop(left[1]);
        LoopbackEnsemble.await("no quorum without two voters", () -> !mode(kept).equals("leader") && !mode(4).equals("observer"));
        ZooKeeper late = ensemble.track(new ZooKeeper(ensemble.connectString(kept), 2_000, e -> { }));
        try {
            late.create("/never", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            throw new AssertionError("a write committed without a quorum of voters");
        } catch (KeeperException.ConnectionLossException | KeeperException.SessionExpiredException expected) {
            // a member without a leader refuses clients
        }
    }
}
