package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.compat.harness.Await;
import dev.paddock.compat.harness.Events;
import dev.paddock.compat.harness.MemberProcesses;
import dev.paddock.compat.harness.RawClient;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryForever;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.proto.ConnectRequest;
import org.apache.zookeeper.proto.ConnectResponse;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Local sessions, then read-only mode on the same ensemble (one ensemble start instead of two keeps the suite short).
 * Read-only mode ({@code -Dreadonlymode.enabled=true}): a member cut off from its quorum keeps serving reads to
 * clients that allow read-only sessions, refuses the others, fails writes with NotReadOnly, and goes back to
 * read-write when the quorum returns; the Java client follows (ConnectedReadOnly, then SyncConnected), and so does
 * Curator with {@code canBeReadOnly} (READ_ONLY, SUSPENDED, then CONNECTED: the read-write session is new), and so does
 * kazoo with {@code read_only=True} (CONNECTED_RO, NotReadOnlyCallError, then CONNECTED, found through isro). Members are
 * child JVMs; each scenario runs against ZooKeeper 3.9.5 and against Paddock with the same expectations.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS) // child JVMs, restarts and the read-only grace period
class LocalSessionsAndReadOnlyModeTest {
    private static final Duration SLOW = Duration.ofSeconds(60);
    private static final byte[] BEFORE = "before".getBytes(StandardCharsets.UTF_8);
    private static final byte[] DATA = "x".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "paddock={0}")
    @ValueSource(booleans = {false, true})
    void localSessionsThenAMemberCutOffFromItsQuorumServesReadOnlyClientsUntilTheQuorumReturns(boolean paddock) throws Exception {
        try (MemberProcesses m = new MemberProcesses(dir.resolve(paddock ? "p" : "z"), paddock, 3)) {
            m.jvmOptions("-Dreadonlymode.enabled=true");
            for (int id = 1; id <= 3; id++) {
                List<String> lines = new ArrayList<>(List.of("localSessionsEnabled=true",
                        "localSessionsUpgradingEnabled=" + (id == 1)));
                lines.addAll(m.voters(1, 2, 3));
                m.startStatic(id, lines);
            }
            localSessions(m);
            Events writerEvents = new Events();
            try (ZooKeeper writer = new ZooKeeper(m.connectString(1, 2, 3), 10_000, writerEvents)) {
                writerEvents.awaitState(KeeperState.SyncConnected, SLOW);
                writer.create("/ro", BEFORE, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            assertThat(m.fourLetterWordOf(1, "isro")).isEqualTo("rw");

            m.stop(2);
            m.stop(3);
            m.awaitMode(1, "read-only");
            assertThat(m.fourLetterWordOf(1, "isro")).isEqualTo("ro");
            assertThat(m.fourLetterWordOf(1, "mntr")).contains("zk_server_state\tread-only\n");

            Events events = new Events();
            List<ConnectionState> curatorStates = new CopyOnWriteArrayList<>();
            try (ZooKeeper ro = new ZooKeeper(m.connectString(1, 2, 3), 10_000, events, true);
                 CuratorFramework curator = CuratorFrameworkFactory.builder().connectString(m.connectString(1, 2, 3))
                         .canBeReadOnly(true).sessionTimeoutMs(10_000).connectionTimeoutMs(10_000)
                         .retryPolicy(new RetryForever(200)).build()) {
                curator.getConnectionStateListenable().addListener((client, state) -> curatorStates.add(state));
                curator.start();
                events.awaitState(KeeperState.ConnectedReadOnly, SLOW);
                Await.until("Curator read-only", SLOW, () -> curatorStates.contains(ConnectionState.READ_ONLY));
                assertThat(curator.getData().forPath("/ro")).isEqualTo(BEFORE);
                assertThatThrownBy(() -> curator.setData().forPath("/ro", BEFORE))
                        .isInstanceOf(KeeperException.NotReadOnlyException.class);
                assertThat(ro.getData("/ro", false, null)).isEqualTo(BEFORE);
                assertThat(ro.getChildren("/", false)).contains("ro", "zookeeper");
                assertThatThrownBy(() -> ro.create("/no", BEFORE, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT))
                        .isInstanceOf(KeeperException.NotReadOnlyException.class);
                assertThatThrownBy(() -> ro.setData("/ro", BEFORE, -1))
                        .isInstanceOf(KeeperException.NotReadOnlyException.class);
                assertThatThrownBy(() -> ro.delete("/ro", -1))
                        .isInstanceOf(KeeperException.NotReadOnlyException.class);
                assertThat(syncCode(ro)).isEqualTo(KeeperException.Code.NOTREADONLY.intValue());
                ro.exists("/later", true); // a watch can be set read-only

                assertRefusesNotReadOnlyClients(m.clientPort(1));
                ConnectResponse roHandshake = readOnlyHandshake(m.clientPort(1));
                assertThat(roHandshake.getReadOnly()).isTrue();
                assertThat(roHandshake.getTimeOut()).isPositive();

                KazooProcess kazoo = KazooProcess.startIfAvailable(m.connectString(1, 2, 3));
                if (kazoo != null) {
                    assertThat(kazoo.nextLines(3)).containsExactly("connected read-only True", "read before",
                            "write NotReadOnlyCallError");
                }

                m.restart(2);
                m.restart(3);
                events.awaitState(KeeperState.SyncConnected, SLOW);
                if (kazoo != null) {
                    try (kazoo) {
                        kazoo.send("quorum back");
                        assertThat(kazoo.nextLines(3)).containsExactly("connected read-write True", "write after True",
                                "done");
                    }
                }
                Await.until("a write once read-write again", SLOW, () -> {
                    try {
                        ro.create("/after", BEFORE, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                        return true;
                    } catch (KeeperException.ConnectionLossException e) {
                        return false;
                    }
                });
                assertThat(ro.exists("/after", false)).isNotNull();
                Await.until("a Curator write once read-write again", SLOW, () -> {
                    try {
                        curator.create().forPath("/curator-after", BEFORE);
                        return true;
                    } catch (KeeperException.NotReadOnlyException | KeeperException.ConnectionLossException e) {
                        return false;
                    }
                });
                // The read-write session is a new one: Curator says CONNECTED, not RECONNECTED, as with ZooKeeper.
                assertThat(curatorStates).containsSubsequence(ConnectionState.READ_ONLY, ConnectionState.SUSPENDED,
                        ConnectionState.CONNECTED).endsWith(ConnectionState.CONNECTED);
                m.awaitMode(1, "leader|follower");
                assertThat(m.fourLetterWordOf(1, "isro")).isEqualTo("rw");
            }
        }
    }

    /**
     * Without local sessions a read-only member has no way to create a session: ZooKeeper 3.9.5 answers the
     * handshake of a read-only client with a reply header carrying NotReadOnly (a frame its own client cannot read
     * as a ConnectResponse, so it tries again), which is why read-only mode needs {@code localSessionsEnabled}.
     */
    @ParameterizedTest(name = "paddock={0}")
    @ValueSource(booleans = {false, true})
    void withoutLocalSessionsAReadOnlyMemberGivesNoSession(boolean paddock) throws Exception {
        try (MemberProcesses m = new MemberProcesses(dir.resolve(paddock ? "p" : "z"), paddock, 3)) {
            m.jvmOptions("-Dreadonlymode.enabled=true");
            m.startStatic(1, m.voters(1, 2, 3));
            m.awaitMode(1, "read-only");
            assertThat(m.fourLetterWordOf(1, "isro")).isEqualTo("ro");
            assertThat(m.fourLetterWordOf(1, "srvr")).contains("\nREAD-ONLY mode; serving only read-only clients\n");
            // a read-only server is a plain server: mntr has the standalone keys, no quorum ones
            String mntr = m.fourLetterWordOf(1, "mntr");
            assertThat(mntr).contains("zk_server_state\tread-only\n", "zk_local_sessions\t0\n")
                    .doesNotContain("zk_peer_state", "zk_quorum_size");
            assertRefusesNotReadOnlyClients(m.clientPort(1));
            try (RawClient raw = RawClient.open(m.clientPort(1))) {
                raw.sendFrame(RawClient.serialize(null, new ConnectRequest(0, 0, 10_000, 0, new byte[16], true)));
                byte[] frame = raw.readFrame();
                DataInputStream in = new DataInputStream(new ByteArrayInputStream(frame));
                assertThat(frame).hasSize(16);
                assertThat(in.readInt()).as("xid").isZero();
                in.readLong();
                assertThat(in.readInt()).as("err").isEqualTo(KeeperException.Code.NOTREADONLY.intValue());
            }
        }
    }

    /**
     * Local sessions: a new session lives on the member it connected to only, until an ephemeral needs it global
     * (then it is upgraded through the log, if the member allows upgrading; otherwise the create fails with
     * EphemeralOnLocalSession). Member 1 upgrades, members 2 and 3 do not: the setting is each member's own, so one
     * ensemble shows both.
     */
    private static void localSessions(MemberProcesses m) throws Exception {
        int leader = m.leader(1, 2, 3);
        for (int id = 1; id <= 3; id++) {
            m.awaitMode(id, "leader|follower");
        }
        // A follower that does not upgrade (2 or 3; they cannot both lead): persistent nodes are fine, an
        // ephemeral is refused. (A ZooKeeper leader lets the multi below create the ephemeral, a bug not copied.)
        int plain = leader == 2 ? 3 : 2;
        int other = 5 - plain;
        Events local = new Events();
        ZooKeeper onPlain = new ZooKeeper(m.connectString(plain), 10_000, local);
        local.awaitState(KeeperState.SyncConnected, SLOW);
        onPlain.create("/local", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertThat(monitor(m, plain, "zk_local_sessions")).isEqualTo("1");
        // dump: the local sessions first, then the follower's global ones (none)
        assertThat(m.fourLetterWordOf(plain, "dump")).startsWith("SessionTracker dump:\nLocal Session Sets (")
                .contains(")/(1):\n", "\t0x" + Long.toHexString(onPlain.getSessionId()) + "\n",
                        "Global Sessions(0):\n");
        for (int id = 1; id <= 3; id++) {
            assertThat(monitor(m, id, "zk_global_sessions")).isEqualTo("0");
        }
        assertThatThrownBy(() -> onPlain.create("/local/e", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL))
                .isInstanceOf(KeeperException.EphemeralOnLocalSessionException.class);
        // A multi gets what the leader, which does not know the session, answers: SessionExpired; the session
        // itself lives on.
        assertThatThrownBy(() -> onPlain.multi(List.of(
                Op.create("/local/m", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL))))
                .isInstanceOf(KeeperException.SessionExpiredException.class);
        assertThat(onPlain.getChildren("/local", false)).isEmpty();
        assertThat(onPlain.getState()).isEqualTo(ZooKeeper.States.CONNECTED);

        // The session is unknown elsewhere: reconnecting it to another member finds it expired.
        Events moved = new Events();
        ZooKeeper onOther = new ZooKeeper(m.connectString(other), 10_000, moved, onPlain.getSessionId(),
                onPlain.getSessionPasswd());
        moved.awaitState(KeeperState.Expired, SLOW);
        onOther.close();
        // Closing a local session is local too.
        onPlain.close();
        assertThat(monitor(m, plain, "zk_local_sessions")).isEqualTo("0");

        // Member 1 upgrades: the ephemeral makes the session global, known to every member.
        Events upgraded = new Events();
        try (ZooKeeper onOne = new ZooKeeper(m.connectString(1), 10_000, upgraded)) {
            upgraded.awaitState(KeeperState.SyncConnected, SLOW);
            assertThat(monitor(m, 1, "zk_local_sessions")).isEqualTo("1");
            onOne.create("/local/e", DATA, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
            assertThat(monitor(m, 1, "zk_local_sessions")).isEqualTo("0");
            assertThat(monitor(m, 1, "zk_global_sessions")).isEqualTo("1");
            Events there = new Events();
            try (ZooKeeper again = new ZooKeeper(m.connectString(plain), 10_000, there, onOne.getSessionId(),
                    onOne.getSessionPasswd())) {
                there.awaitState(KeeperState.SyncConnected, SLOW);
                assertThat(again.getSessionId()).isEqualTo(onOne.getSessionId());
                Stat stat = again.exists("/local/e", false);
                assertThat(stat).isNotNull();
                assertThat(stat.getEphemeralOwner()).isEqualTo(onOne.getSessionId());
            }
        }
    }

    private static String monitor(MemberProcesses m, int id, String key) {
        for (String line : m.fourLetterWordOf(id, "mntr").split("\n")) {
            String[] kv = line.split("\t", 2);
            if (kv[0].equals(key)) {
                return kv[1];
            }
        }
        return "";
    }

    private static int syncCode(ZooKeeper zk) throws Exception {
        CompletableFuture<Integer> rc = new CompletableFuture<>();
        zk.sync("/ro", (code, path, ctx) -> rc.complete(code), null);
        return rc.get(30, TimeUnit.SECONDS);
    }

    /** A client whose ConnectRequest does not allow read-only gets no answer: the connection is closed. */
    private static void assertRefusesNotReadOnlyClients(int port) throws IOException {
        try (RawClient raw = RawClient.open(port)) {
            raw.sendFrame(RawClient.serialize(null, new ConnectRequest(0, 0, 10_000, 0, new byte[16], false)));
            assertThatThrownBy(raw::readFrame).isInstanceOf(IOException.class)
                    .isNotInstanceOf(SocketTimeoutException.class);
        }
    }

    private static ConnectResponse readOnlyHandshake(int port) throws IOException {
        try (RawClient raw = RawClient.open(port)) {
            raw.sendFrame(RawClient.serialize(null, new ConnectRequest(0, 0, 10_000, 0, new byte[16], true)));
            return raw.readConnectResponse();
        }
    }

    /**
     * kazoo ({@code python3-kazoo} under /usr/bin/python3, installed by apt-get when missing, as
     * {@link NativeClientScenarios} does) with {@code read_only=True}: its script prints a line per step and waits
     * on its standard input for the quorum to come back. Null where kazoo cannot be had (the rest of the test runs).
     */
    private static final class KazooProcess implements AutoCloseable {
        private final Process process;
        private final java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();

        private KazooProcess(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (java.io.BufferedReader r = new java.io.BufferedReader(
                        new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        lines.add(l.strip());
                    }
                } catch (IOException e) {
                    lines.add("reader failed: " + e);
                }
            }, "kazoo-output");
            reader.setDaemon(true);
            reader.start();
        }

        static KazooProcess startIfAvailable(String connectString) throws IOException {
            if (NativeClientScenarios.ensurePackages("/dev/null", "kazoo", "python3-kazoo") != null) {
                return null;
            }
            Path script = NativeClientScenarios.resource("kazoo_read_only.py");
            return new KazooProcess(new ProcessBuilder(NativeClientScenarios.PYTHON.toString(), script.toString(),
                    connectString).redirectErrorStream(true).start());
        }

        /** The next n lines that are steps (kazoo's own log lines start with a level or a name and are skipped). */
        List<String> nextLines(int n) throws InterruptedException {
            List<String> out = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            long deadline = System.nanoTime() + SLOW.toNanos() * 2;
            while (out.size() < n) {
                String l = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (l == null) {
                    throw new AssertionError("kazoo printed " + out + " then nothing; other output: " + skipped);
                }
                if (STEPS.stream().anyMatch(l::startsWith)) {
                    out.add(l);
                } else {
                    skipped.add(l);
                }
            }
            return out;
        }

        private static final List<String> STEPS = List.of("connected ", "read ", "write ", "done");

        void send(String line) throws IOException {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        }

        @Override
        public void close() throws InterruptedException {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
