package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.compat.harness.Await;
import dev.paddock.compat.harness.MemberProcesses;
import dev.paddock.compat.harness.MemberShell;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.ensemble.EnsembleProvider;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.imps.EnsembleTracker;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.admin.ZooKeeperAdmin;
import org.apache.zookeeper.cli.CliWrapperException;
import org.apache.zookeeper.cli.ReconfigCommand;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.server.quorum.flexible.QuorumMaj;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reconfiguration scenarios of Curator's own TestReconfiguration, written again as our own and run with
 * members as child JVMs against ZooKeeper 3.9.5 and against Paddock with the same expectations: Curator's
 * {@code reconfig()} in its incremental, non-incremental and conditional forms, {@code getConfig()} with its stat
 * and watch, the EnsembleTracker's connection string following each change, the Java client's
 * {@code updateServerList} after a change, the errors a reconfig can meet, and the shell's {@code reconfig}.
 */
class CuratorReconfigurationTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "paddock={0}")
    @ValueSource(booleans = {false, true})
    void curatorReconfigFollowedByTheEnsembleTrackerAndTheClients(boolean paddock) throws Exception {
        try (MemberProcesses m = new MemberProcesses(dir.resolve(paddock ? "p" : "z"), paddock, 4)) {
            startVoters(m, 1, 2, 3);
            TrackedConnectString tracked = new TrackedConnectString(m.connectString(1, 2, 3));
            try (CuratorFramework curator = curator(tracked);
                 ZooKeeper plain = new ZooKeeper(m.connectString(1), 15_000, e -> { })) {
                curator.start();
                Stat stat = new Stat();
                byte[] initial = curator.getConfig().storingStatIn(stat).forEnsemble();
                assertThat(servers(initial)).containsExactlyInAnyOrder("1", "2", "3");
                assertThat(stat.getDataLength()).isEqualTo(initial.length);
                long v0 = version(initial);
                // The tracker reads the config as soon as it connects and gives its client addresses to the provider.
                tracked.await(EnsembleTracker.configToConnectionString(new QuorumMaj(properties(initial))));

                m.start(4, m.voters(1, 2, 3, 4));
                m.awaitMode(4, "follower");
                CountDownLatch changed = configChangeWaiter(curator);
                byte[] added = curator.reconfig().joining(m.line(4, "participant")).storingStatIn(stat)
                        .fromConfig(v0).forEnsemble();
                assertThat(servers(added)).containsExactlyInAnyOrder("1", "2", "3", "4");
                long v1 = version(added);
                assertThat(v1).isGreaterThan(v0);
                assertThat(stat.getMzxid()).as("the config's version is the zxid that changed it").isEqualTo(v1);
                assertThat(changed.await(30, TimeUnit.SECONDS)).as("the config watch fired").isTrue();
                tracked.await(EnsembleTracker.configToConnectionString(new QuorumMaj(properties(added))));
                assertThat(tracked.current()).contains(m.connectString(4));
                Stat read = new Stat();
                assertThat(curator.getConfig().storingStatIn(read).forEnsemble()).isEqualTo(added);
                assertThat(read.getMzxid()).isEqualTo(v1);

                // The Java client learns the new member list from the config, as the tracker does.
                assertThat(Await.value("an ephemeral", Duration.ofSeconds(30), () -> plain.create("/plain", null,
                        ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL), p -> true)).isEqualTo("/plain");
                long plainSession = plain.getSessionId();
                plain.updateServerList(EnsembleTracker.configToConnectionString(new QuorumMaj(properties(added))));

                // A reconfig conditioned on a version that is no longer current is refused.
                assertThatThrownBy(() -> curator.reconfig().leaving("4").fromConfig(v0).forEnsemble())
                        .isInstanceOf(KeeperException.BadVersionException.class);

                // Leaving and joining in one request: the voter 4 becomes an observer.
                byte[] demoted = curator.reconfig().joining(m.line(4, "observer")).leaving("4").fromConfig(v1)
                        .forEnsemble();
                assertThat(new String(demoted, StandardCharsets.UTF_8)).contains(m.line(4, "observer"));
                m.awaitMode(4, "observer");
                long v2 = version(demoted);

                // Non-incremental: the three first members only.
                byte[] three = curator.reconfig().withNewMembers(m.voters(1, 2, 3)).fromConfig(v2).forEnsemble();
                assertThat(servers(three)).containsExactlyInAnyOrder("1", "2", "3");
                tracked.await(EnsembleTracker.configToConnectionString(new QuorumMaj(properties(three))));
                assertThat(tracked.current()).doesNotContain(m.connectString(4));

                // Empty lists change nothing but the version, and the watch still fires.
                CountDownLatch again = configChangeWaiter(curator);
                byte[] same = curator.reconfig().joining(Collections.emptyList()).leaving(Collections.emptyList())
                        .fromConfig(version(three)).forEnsemble();
                assertThat(servers(same)).containsExactlyInAnyOrder("1", "2", "3");
                assertThat(version(same)).isGreaterThan(version(three));
                assertThat(again.await(30, TimeUnit.SECONDS)).isTrue();
                byte[] sameAgain = curator.reconfig().withNewMembers(Collections.emptyList()).forEnsemble();
                assertThat(servers(sameAgain)).containsExactlyInAnyOrder("1", "2", "3");

                assertReconfigInProgressWhilePending(m);

                // Member 1 goes away: the client that first knew only member 1 moves on with its session.
                m.stop(1);
                Await.until("the plain client reconnected", Duration.ofSeconds(60), () -> plain.exists("/", false) != null);
                assertThat(plain.getSessionId()).isEqualTo(plainSession);
                assertThat(plain.exists("/plain", false).getEphemeralOwner()).isEqualTo(plainSession);
            }
        }
    }

    /**
     * Reconfigs sent back to back on one session: the leader resolves each while the one before it is not yet
     * committed, so the later ones meet ReconfigInProgress (at least one of them; every answer is one of the two).
     */
    private static void assertReconfigInProgressWhilePending(MemberProcesses m) throws Exception {
        try (ZooKeeperAdmin admin = admin(m.connectString(2))) {
            List<Integer> codes = new CopyOnWriteArrayList<>();
            CountDownLatch answered = new CountDownLatch(4);
            for (int i = 0; i < 4; i++) {
                admin.reconfigure((String) null, null, null, -1, (rc, path, ctx, data, stat) -> {
                    codes.add(rc);
                    answered.countDown();
                }, null);
            }
            assertThat(answered.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(codes.get(0)).isEqualTo(KeeperException.Code.OK.intValue());
            assertThat(codes).allMatch(rc -> rc == KeeperException.Code.OK.intValue()
                    || rc == KeeperException.Code.RECONFIGINPROGRESS.intValue());
            assertThat(codes).contains(KeeperException.Code.RECONFIGINPROGRESS.intValue());
        }
    }

    @ParameterizedTest(name = "paddock={0}")
    @ValueSource(booleans = {false, true})
    void shellReconfigAddRemoveMembersFileAndVersion(boolean paddock) throws Exception {
        try (MemberProcesses m = new MemberProcesses(dir.resolve(paddock ? "p" : "z"), paddock, 6)) {
            startVoters(m, 1, 2, 3);
            m.start(4, m.voters(1, 2, 3, 4));
            m.awaitMode(4, "follower");
            try (ZooKeeperAdmin admin = admin(m.connectString(1, 2, 3));
                 ZooKeeperAdmin anonymous = new ZooKeeperAdmin(m.connectString(1, 2, 3), 15_000, e -> { })) {
                String added = reconfig(admin, "-add", m.line(4, "participant"));
                assertThat(added).startsWith("Committed new configuration:\n").contains(m.line(4, "participant"));
                MemberShell.awaitSameConfig(m, 4, 1, 2, 3, 4);
                long current = version(added.substring(added.indexOf('\n') + 1).getBytes(StandardCharsets.UTF_8));

                assertThatThrownBy(() -> reconfig(admin, "-remove", "4", "-v", Long.toHexString(current - 1)))
                        .isInstanceOf(CliWrapperException.class).hasCauseInstanceOf(KeeperException.BadVersionException.class);
                String removed = reconfig(admin, "-remove", "4", "-v", Long.toHexString(current));
                assertThat(removed).doesNotContain("server.4=");
                MemberShell.awaitSameConfig(m, 3, 1, 2, 3);

                String members = reconfig(admin, "-members", String.join(",", m.voters(1, 2, 3, 4)));
                assertThat(members).contains(m.line(4, "participant"));
                MemberShell.awaitSameConfig(m, 4, 1, 2, 3, 4);

                Path file = dir.resolve(paddock ? "p" : "z").resolve("three.cfg");
                Files.write(file, m.voters(1, 2, 3));
                String fromFile = reconfig(admin, "-file", file.toString());
                assertThat(fromFile).doesNotContain("server.4=").contains(m.line(3, "participant"));
                String config = MemberShell.awaitSameConfig(m, 3, 1, 2, 3);
                assertThat(config).doesNotContain("server.4=");

                // The errors: no ADMIN on /zookeeper/config, no voter left, a new quorum that is not running.
                Await.until("anonymous connected", Duration.ofSeconds(30), () -> anonymous.getState().isConnected());
                assertThatThrownBy(() -> reconfig(anonymous, "-add", m.line(4, "participant")))
                        .hasCauseInstanceOf(KeeperException.NoAuthException.class);
                assertThatThrownBy(() -> reconfig(admin, "-remove", "1,2,3"))
                        .hasCauseInstanceOf(KeeperException.BadArgumentsException.class);
                List<String> elsewhere = new ArrayList<>(m.voters(1));
                elsewhere.addAll(m.voters(5, 6));
                assertThatThrownBy(() -> reconfig(admin, "-members", String.join(",", elsewhere)))
                        .hasCauseInstanceOf(KeeperException.NewConfigNoQuorum.class);
                assertThat(MemberShell.awaitSameConfig(m, 3, 1, 2, 3)).isEqualTo(config);
            }
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private static String reconfig(ZooKeeperAdmin admin, String... args) throws Exception {
        String[] all = new String[args.length + 1];
        all[0] = "reconfig";
        System.arraycopy(args, 0, all, 1, args.length);
        return MemberShell.run(admin, new ReconfigCommand(), all);
    }

    private static void startVoters(MemberProcesses m, int... ids) throws Exception {
        for (int id : ids) {
            m.start(id, m.voters(ids));
        }
        for (int id : ids) {
            m.awaitMode(id, "leader|follower");
        }
    }

    private static ZooKeeperAdmin admin(String connectString) throws Exception {
        ZooKeeperAdmin admin = new ZooKeeperAdmin(connectString, 15_000, e -> { });
        Await.until("connected", Duration.ofSeconds(30), () -> admin.getState().isConnected());
        admin.addAuthInfo("digest", "super:test".getBytes(StandardCharsets.UTF_8));
        return admin;
    }

    private static CuratorFramework curator(EnsembleProvider provider) {
        return CuratorFrameworkFactory.builder().ensembleProvider(provider).ensembleTracker(true)
                .sessionTimeoutMs(15_000).connectionTimeoutMs(15_000)
                .authorization("digest", "super:test".getBytes(StandardCharsets.UTF_8))
                .retryPolicy(new RetryOneTime(200)).build();
    }

    private static CountDownLatch configChangeWaiter(CuratorFramework curator) throws Exception {
        CountDownLatch latch = new CountDownLatch(1);
        curator.getConfig().usingWatcher((Watcher) e -> {
            if (e.getType() == Watcher.Event.EventType.NodeDataChanged) {
                latch.countDown();
            }
        }).forEnsemble();
        return latch;
    }

    private static Properties properties(byte[] config) throws Exception {
        Properties p = new Properties();
        p.load(new ByteArrayInputStream(config));
        return p;
    }

    private static List<String> servers(byte[] config) throws Exception {
        List<String> ids = new ArrayList<>();
        for (String key : properties(config).stringPropertyNames()) {
            if (key.startsWith("server.")) {
                ids.add(key.substring("server.".length()));
            }
        }
        return ids;
    }

    private static long version(byte[] config) throws Exception {
        return Long.parseLong(properties(config).getProperty("version"), 16);
    }

    /** An ensemble provider that keeps what the EnsembleTracker gives it (Curator's default provider is fixed). */
    private static final class TrackedConnectString implements EnsembleProvider {
        private final AtomicReference<String> current;

        TrackedConnectString(String initial) {
            current = new AtomicReference<>(initial);
        }

        String current() {
            return current.get();
        }

        void await(String expected) {
            Await.until("the tracked connection string " + expected, Duration.ofSeconds(30),
                    () -> expected.equals(current.get()));
        }

        @Override
        public void start() {
        }

        @Override
        public String getConnectionString() {
            return current.get();
        }

        @Override
        public void close() {
        }

        @Override
        public void setConnectionString(String connectionString) {
            current.set(connectionString);
        }

        @Override
        public boolean updateServerListEnabled() {
            return false;
        }
    }
}
