package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.compat.harness.Await;
import dev.paddock.compat.harness.MemberProcesses;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.admin.ZooKeeperAdmin;
import org.apache.zookeeper.cli.GetConfigCommand;
import org.apache.zookeeper.cli.ReconfigCommand;
import org.apache.zookeeper.data.Stat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The operators' membership procedures (the seeds' scale-out, scale-in, observers and moving an ensemble) with
 * members as child JVMs, each run the same way against ZooKeeper 3.9.5 and against Paddock with the same
 * expectations: a writer runs throughout and every write it got an answer for is on every remaining member at
 * the end; the shell's {@code config} shows the same text on every member; the members' modes follow the
 * configuration.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS) // up to six child JVMs started one by one on a shared machine
class ReconfigProceduresTest {
    @TempDir
    Path dir;

    /** Scale out 3 -> 5 with the shell's {@code reconfig -add}, then scale in 5 -> 3, the leader removed first. */
    @ParameterizedTest(name = "paddock={0}")
    @ValueSource(booleans = {false, true})
    void scaleOutThenScaleInRemovingTheLeader(boolean paddock) throws Exception {
        try (MemberProcesses m = new MemberProcesses(dir.resolve(paddock ? "p" : "z"), paddock, 5)) {
            startVoters(m, 1, 2, 3);
            try (Writer writer = new Writer(m.connectString(1, 2, 3, 4, 5));
                 ZooKeeperAdmin admin = admin(m.connectString(1, 2, 3))) {
                writer.awaitProgress();
                List<String> five = m.voters(1, 2, 3, 4, 5);
                m.start(4, five);
                m.start(5, five);
                m.awaitMode(4, "follower");
                m.awaitMode(5, "follower");
                String added = shell(admin, new ReconfigCommand(), "reconfig", "-add",
                        m.line(4, "participant") + "," + m.line(5, "participant"));
                assertThat(added).contains("server.4=").contains("server.5=");
                awaitSameConfig(m, 5, 1, 2, 3, 4, 5);
                writer.awaitProgress();

                int leader = m.leader(1, 2, 3, 4, 5);
                reconfigure(admin, null, Integer.toString(leader));
                int[] four = others(new int[] {1, 2, 3, 4, 5}, leader);
                m.leader(four);
                awaitSameConfig(m, 4, four);
                writer.awaitProgress();
                int second = four[0] == m.leader(four) ? four[1] : four[0];
                reconfigure(admin, null, Integer.toString(second));
                int[] three = others(four, second);
                awaitSameConfig(m, 3, three);
                for (int id : three) {
                    m.awaitMode(id, "leader|follower");
                }
                writer.awaitProgress();
                writer.stop();
                writer.assertAcknowledgedWritesOn(m, three);
            }
        }
    }

    /** Two observers added, one promoted to a voter, then a voter demoted to an observer. */
    @ParameterizedTest(name = "paddock={0}")
    @ValueSource(booleans = {false, true})
    void observersAddedPromotedAndDemoted(boolean paddock) throws Exception {
        try (MemberProcesses m = new MemberProcesses(dir.resolve(paddock ? "p" : "z"), paddock, 5)) {
            startVoters(m, 1, 2, 3);
            try (Writer writer = new Writer(m.connectString(1, 2, 3));
                 ZooKeeperAdmin admin = admin(m.connectString(1, 2, 3))) {
                writer.awaitProgress();
                // Observers are added before they run (no quorum needs them); each then starts with the new
                // configuration. (A ZooKeeper observer started before the config lists it joins as a non-voting
                // follower instead, taking the part its leader's config gives it.)
                reconfigure(admin, m.line(4, "observer") + "," + m.line(5, "observer"), null);
                for (int id = 4; id <= 5; id++) {
                    List<String> lines = m.voters(1, 2, 3);
                    lines.add(m.line(4, "observer"));
                    lines.add(m.line(5, "observer"));
                    m.start(id, lines);
                    m.awaitMode(id, "observer");
                }
                awaitSameConfig(m, 5, 1, 2, 3, 4, 5);
                reconfigure(admin, m.line(4, "participant"), null);
                m.awaitMode(4, "leader|follower");
                awaitSameConfig(m, 5, 1, 2, 3, 4, 5);
                writer.awaitProgress();
                int leader = m.leader(1, 2, 3, 4);
                int demoted = leader == 3 ? 2 : 3;
                reconfigure(admin, m.line(demoted, "observer"), null);
                m.awaitMode(demoted, "observer");
                awaitSameConfig(m, 5, 1, 2, 3, 4, 5);
                String config = config(m, 1);
                assertThat(config).contains(m.mask(m.line(4, "participant")))
                        .contains(m.mask(m.line(5, "observer"))).contains(m.mask(m.line(demoted, "observer")));
                writer.awaitProgress();
                writer.stop();
                writer.assertAcknowledgedWritesOn(m, 1, 2, 3, 4, 5);
            }
        }
    }

    /** The whole ensemble moved to three new members: add the new ones, remove the old ones, same clients. */
    @ParameterizedTest(name = "paddock={0}")
    @ValueSource(booleans = {false, true})
    void anEnsembleMovesToNewMembers(boolean paddock) throws Exception {
        try (MemberProcesses m = new MemberProcesses(dir.resolve(paddock ? "p" : "z"), paddock, 6)) {
            startVoters(m, 1, 2, 3);
            try (Writer writer = new Writer(m.connectString(1, 2, 3, 4, 5, 6));
                 ZooKeeperAdmin admin = admin(m.connectString(1, 2, 3, 4, 5, 6))) {
                writer.awaitProgress();
                for (int id = 4; id <= 6; id++) {
                    List<String> lines = m.voters(1, 2, 3);
                    lines.add(m.line(id, "participant"));
                    m.start(id, lines);
                    m.awaitMode(id, "follower");
                }
                reconfigure(admin, m.line(4, "participant") + "," + m.line(5, "participant") + ","
                        + m.line(6, "participant"), null);
                awaitSameConfig(m, 6, 1, 2, 3, 4, 5, 6);
                writer.awaitProgress();
                reconfigure(admin, null, "1,2,3");
                m.leader(4, 5, 6);
                awaitSameConfig(m, 3, 4, 5, 6);
                for (int id = 1; id <= 3; id++) {
                    m.stop(id);
                }
                writer.awaitProgress();
                writer.stop();
                writer.assertAcknowledgedWritesOn(m, 4, 5, 6);
            }
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private static void startVoters(MemberProcesses m, int... ids) throws Exception {
        for (int id : ids) {
            m.start(id, m.voters(ids));
        }
        for (int id : ids) {
            m.awaitMode(id, "leader|follower");
        }
    }

    private static int[] others(int[] ids, int without) {
        return java.util.Arrays.stream(ids).filter(i -> i != without).toArray();
    }

    private static ZooKeeperAdmin admin(String connectString) throws Exception {
        ZooKeeperAdmin admin = new ZooKeeperAdmin(connectString, 15_000, e -> { });
        Await.until("connected", Duration.ofSeconds(30), () -> admin.getState().isConnected());
        admin.addAuthInfo("digest", "super:test".getBytes(StandardCharsets.UTF_8));
        return admin;
    }

    /** A reconfig, retried while the ensemble is between leaders (connection loss) or still busy with one. */
    private static void reconfigure(ZooKeeperAdmin admin, String joining, String leaving) {
        Await.value("reconfig " + joining + " / " + leaving, Duration.ofSeconds(60), () -> {
            try {
                admin.reconfigure(joining, leaving, null, -1, new Stat());
                return true;
            } catch (KeeperException.ConnectionLossException | KeeperException.ReconfigInProgress
                     | KeeperException.NewConfigNoQuorum e) {
                return false;
            }
        }, done -> done);
    }

    private static String shell(ZooKeeper zk, org.apache.zookeeper.cli.CliCommand cmd, String... args)
            throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        cmd.setZk(zk);
        cmd.setOut(out);
        cmd.setErr(out);
        cmd.parse(args).exec();
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** The shell's {@code config} on member {@code id}, ports and version masked. */
    private static String config(MemberProcesses m, int id) throws Exception {
        try (ZooKeeper zk = new ZooKeeper(m.connectString(id), 15_000, e -> { })) {
            Await.until("connected to " + id, Duration.ofSeconds(30), () -> zk.getState().isConnected());
            zk.sync("/", null, null);
            return m.mask(shell(zk, new GetConfigCommand(), "config"));
        }
    }

    /** Waits until every member shows the same config with {@code servers} server lines. */
    private static void awaitSameConfig(MemberProcesses m, int servers, int... ids) {
        Await.until("the same config of " + servers + " servers on " + java.util.Arrays.toString(ids),
                Duration.ofSeconds(60), () -> {
                    Set<String> seen = new HashSet<>();
                    for (int id : ids) {
                        String c = config(m, id);
                        if (c.lines().filter(l -> l.startsWith("server.")).count() != servers) {
                            return false;
                        }
                        seen.add(String.join("\n", c.lines().sorted().toList()));
                    }
                    return seen.size() == 1;
                });
    }

    /**
     * Creates sequential nodes under /w as fast as one synchronous client can until stopped, remembering every
     * one it got an answer for; writes that failed with connection loss may or may not have happened.
     */
    private static final class Writer implements AutoCloseable {
        private final ZooKeeper zk;
        private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;

        Writer(String connectString) throws Exception {
            zk = new ZooKeeper(connectString, 15_000, e -> { });
            Await.until("writer connected", Duration.ofSeconds(30), () -> zk.getState().isConnected());
            try {
                zk.create("/w", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            } catch (KeeperException.NodeExistsException e) {
                // a second writer of the same run
            }
            thread = new Thread(this::run, "writer");
            thread.start();
        }

        private void run() {
            for (int i = 0; i < 200_000 && !stop.get(); i++) {
                try {
                    acknowledged.add(zk.create("/w/n-", null, ZooDefs.Ids.OPEN_ACL_UNSAFE,
                            CreateMode.PERSISTENT_SEQUENTIAL));
                    Thread.sleep(5);
                } catch (KeeperException e) {
                    pause();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private static void pause() {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Waits for ten more acknowledged writes (the ensemble takes writes now). */
        void awaitProgress() {
            int from = acknowledged.size();
            Await.until("ten more acknowledged writes", Duration.ofSeconds(60), () -> acknowledged.size() >= from + 10);
        }

        void stop() throws InterruptedException {
            stop.set(true);
            thread.join(30_000);
        }

        void assertAcknowledgedWritesOn(MemberProcesses m, int... ids) throws Exception {
            assertThat(acknowledged).isNotEmpty();
            for (int id : ids) {
                try (ZooKeeper reader = new ZooKeeper(m.connectString(id), 15_000, e -> { })) {
                    Await.until("reader connected to " + id, Duration.ofSeconds(30),
                            () -> reader.getState().isConnected());
                    reader.sync("/", null, null);
                    List<String> children = new ArrayList<>();
                    for (String c : Await.value("children of /w on " + id, Duration.ofSeconds(30),
                            () -> reader.getChildren("/w", false), l -> true)) {
                        children.add("/w/" + c);
                    }
                    assertThat(children).as("acknowledged writes on member " + id).containsAll(acknowledged);
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop();
            zk.close();
        }
    }
}
