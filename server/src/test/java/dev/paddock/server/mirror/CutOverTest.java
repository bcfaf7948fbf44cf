package dev.paddock.server.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.ServerTestSupport;
import dev.paddock.server.migration.RealZooKeeper;
import dev.paddock.server.migration.ZkLastZxid;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 section 3, the cut-over: three ZooKeeper 3.9.5 voters (child JVMs) serve clients while three
 * Paddock mirrors (child JVMs: the server in mirror mode, {@link MirrorProcess}) follow them as observers and
 * serve clients too (the clients' connect strings list both); then the voters are stopped, each mirror is stopped (saving its state as a ZooKeeper snapshot), the check of the README's
 * procedure is made (the most advanced mirror holds at least what a quorum of voters logged; members behind
 * the most advanced state get a copy of it), and the mirrors restart as the participants of a Paddock
 * ensemble on the same data directories and client ports. Paddock's start-up import turns each saved state
 * into Paddock data, and the members form an ensemble continuing from the last zxid in a later epoch.
 *
 * <p>Clients list the voters and the new members. Through the cut-over: a writer records every acknowledged
 * write, all of which must be on every Paddock member afterwards; a client holding an ephemeral keeps its
 * session, its ephemeral and can write; a Curator service (a LeaderLatch and a CuratorCache) never sees its
 * connection LOST, keeps leadership and sees the writes made on Paddock. The pause (the ZooKeeper stop to the
 * first write acknowledged by Paddock) is printed.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class CutOverTest {
    private static final int MIRRORS = 3;
    /** Curator's default session timeout; the pause must stay below it (on the shared build machine too). */
    private static final int SESSION_MS = 60_000;
    private static final int FIRST_MIRROR = ZooKeeperEnsemble.MIRROR_ID;

    @TempDir
    Path dir;
    private final List<AutoCloseable> cleanup = new ArrayList<>();
    private final List<String> expired = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
        if (System.getProperty("cutover.keep") != null) {
            ServerTestSupport.copyTree(dir, Path.of(System.getProperty("cutover.keep")));
        }
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        cleanup.add(c);
        return c;
    }

    @Test
    void mirrorsBecomeAPaddockEnsembleWithoutLosingWritesOrSessions() throws Exception {
        ZooKeeperEnsemble zk = closeLater(ZooKeeperEnsemble.start(dir, MIRRORS));
        Map<Integer, MirrorProcess> mirrors = new TreeMap<>();
        for (int id = FIRST_MIRROR; id < FIRST_MIRROR + MIRRORS; id++) {
            mirrors.put(id, closeLater(MirrorProcess.start(home(id), id, mirrorConfig(zk, id, home(id)))));
        }
        String connect = zk.connectString() + "," + paddockConnectString(zk);

        ZooKeeper admin = closeLater(client(connect, "admin"));
        admin.create("/cut", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        admin.create("/cut/w", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        ZooKeeper holder = closeLater(client(connect, "holder"));
        holder.create("/cut/holder", "held".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                CreateMode.EPHEMERAL);
        long holderSession = holder.getSessionId();

        CuratorService curator = closeLater(new CuratorService(connect));
        await("the Curator latch leads", curator.latch::hasLeadership);
        ZooKeeper writerClient = closeLater(client(connect, "writer"));
        long writerSession = writerClient.getSessionId();
        AckedWriter writer = closeLater(new AckedWriter(writerClient, "/cut/w"));
        await("200 acknowledged writes on ZooKeeper", () -> writer.ackCount() >= 200);
        long onZooKeeper = writer.acks().get(writer.ackCount() - 1).zxid();
        for (MirrorProcess m : mirrors.values()) {
            await("every mirror follows the writes", () -> m.zxid() >= onZooKeeper);
        }

        // The cut-over. 1: the voters stop (no write can commit from here on; Paddock forms no quorum before).
        long stopped = System.nanoTime();
        step("stopping the ZooKeeper voters");
        zk.killAll();
        step("voters stopped");
        // 2: each mirror stops and saves its state; the check compares it with what the voters logged.
        // (All at once, as operators on three machines would.)
        mirrors.values().forEach(MirrorProcess::signalStop);
        Map<Integer, Long> saved = new TreeMap<>();
        for (Map.Entry<Integer, MirrorProcess> m : mirrors.entrySet()) {
            saved.put(m.getKey(), m.getValue().awaitSaved());
            assertThat(ZkLastZxid.of(home(m.getKey()).resolve("data"), home(m.getKey()).resolve("data")).zxid())
                    .as("what bin/paddock lastzxid reads from mirror %d's saved state", m.getKey())
                    .isEqualTo(saved.get(m.getKey()));
        }
        step("mirrors stopped");
        String checked = check(saved);
        // 3: the mirrors restart as a Paddock ensemble on the same directories and client ports.
        long restarting = System.nanoTime();
        for (int id : mirrors.keySet()) {
            closeLater(PaddockProcess.start(home(id), paddockConfig(zk, id)));
        }
        step("Paddock members started");
        await("a write acknowledged by Paddock", () -> writer.firstAfterEpoch(onZooKeeper >>> 32) != null);
        step("first write acknowledged by Paddock");
        AckedWriter.Ack first = writer.firstAfterEpoch(onZooKeeper >>> 32);
        int acksAtFirst = writer.ackCount();
        await("100 more writes on Paddock", () -> writer.ackCount() >= acksAtFirst + 100);
        writer.close();
        System.out.printf("cut-over: %s; mirrors stopped and saved in %d ms; pause %d ms (ZooKeeper stop to the"
                        + " first write Paddock acknowledged, zxid 0x%x); %d writes acknowledged, %d of unknown outcome%n",
                checked, TimeUnit.NANOSECONDS.toMillis(restarting - stopped),
                TimeUnit.NANOSECONDS.toMillis(first.nanos() - stopped), first.zxid(), writer.ackCount(),
                writer.unknown());

        assertThat(writer.failures()).as("writes that failed other than by a lost connection").isEmpty();
        assertEveryAcknowledgedWriteOnEveryMember(zk, writer.acks());
        assertThat(writerClient.getSessionId()).isEqualTo(writerSession);
        assertThat(expired).as("sessions that expired").isEmpty();
        // The holder kept its session and its ephemeral, and writes through it.
        await("the holder connected", () -> holder.getState() == ZooKeeper.States.CONNECTED);
        assertThat(holder.getSessionId()).isEqualTo(holderSession);
        assertThat(holder.exists("/cut/holder", false).getEphemeralOwner()).isEqualTo(holderSession);
        holder.setData("/cut/holder", "still held".getBytes(StandardCharsets.UTF_8), -1);
        // Curator never declared the session lost, leads again, and its cache saw the writes made on Paddock.
        await("the Curator latch leads after the cut-over", curator.latch::hasLeadership);
        String lastPath = "/cut/w/n-" + writer.acks().get(writer.ackCount() - 1).seq();
        await("the Curator cache sees Paddock's writes", () -> curator.seen.contains(lastPath)
                && curator.seen.contains("/cut/w/n-" + first.seq()));
        assertThat(curator.states).as("Curator's connection states").doesNotContain(ConnectionState.LOST);
    }

    /**
     * The README's check: every write a ZooKeeper voter acknowledged to a client was logged by a quorum of
     * voters, so it is at or below the quorum-th largest of the voters' last logged zxids; the most advanced
     * mirror must hold at least that. If it does not (a committed INFORM lost when the leader stopped, or
     * proposals a quorum logged but the leader had not committed), the README's second remedy: the ZooKeeper
     * files of the voter with the largest zxid, which the import reads as well, become the most advanced
     * state. Then every member behind it gets a copy of it, so that any two members that form the first
     * quorum hold everything (a member started late with more than the ensemble it joins would be told to
     * truncate below its imported snapshot, which it refuses).
     */
    private String check(Map<Integer, Long> saved) throws Exception {
        List<Long> voters = new ArrayList<>();
        long highest = -1;
        int highestVoter = -1;
        for (int id = 1; id < FIRST_MIRROR; id++) {
            Path data = ZooKeeperEnsemble.dataDir(dir, id);
            long z = ZkLastZxid.of(data, data).zxid();
            voters.add(z);
            if (z > highest) {
                highest = z;
                highestVoter = id;
            }
        }
        voters.sort(Collections.reverseOrder());
        long quorumLogged = voters.get(voters.size() / 2);
        int bestMirror = FIRST_MIRROR;
        for (Map.Entry<Integer, Long> m : saved.entrySet()) {
            if (m.getValue() > saved.get(bestMirror)) {
                bestMirror = m.getKey();
            }
        }
        String facts = "voters logged " + hex(voters) + ", mirrors saved " + hex(new ArrayList<>(saved.values()));
        Path source = home(bestMirror).resolve("data").resolve("version-2");
        long sourceZxid = saved.get(bestMirror);
        String outcome = ", check passed";
        if (sourceZxid < quorumLogged) {
            source = ZooKeeperEnsemble.dataDir(dir, highestVoter).resolve("version-2");
            sourceZxid = highest;
            outcome = ", check failed: the members take voter " + highestVoter + "'s files";
        }
        for (Map.Entry<Integer, Long> m : saved.entrySet()) {
            Path target = home(m.getKey()).resolve("data").resolve("version-2");
            if (m.getValue() < sourceZxid && !target.equals(source)) {
                replaceWithCopy(source, target);
                outcome += "; member " + m.getKey() + " levelled";
            }
        }
        return facts + outcome;
    }

    private static void replaceWithCopy(Path source, Path target) throws Exception {
        if (Files.isDirectory(target)) {
            try (var files = Files.list(target)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
        }
        ServerTestSupport.copyTree(source, target);
    }

    /** The time of day of each step, to read beside the members' logs. */
    private static void step(String what) {
        System.out.println(java.time.LocalTime.now() + " cut-over step: " + what);
    }

    private static String hex(List<Long> zxids) {
        List<String> out = new ArrayList<>();
        zxids.forEach(z -> out.add("0x" + Long.toHexString(z)));
        return out.toString();
    }

    /** Every acknowledged write is on every member, each read after a sync (so a follower is level too). */
    private void assertEveryAcknowledgedWriteOnEveryMember(ZooKeeperEnsemble zk, List<AckedWriter.Ack> acks)
            throws Exception {
        for (int id = FIRST_MIRROR; id < FIRST_MIRROR + MIRRORS; id++) {
            try (ZooKeeper member = client("127.0.0.1:" + zk.clientPorts.get(id), "check")) {
                CountDownLatch synced = new CountDownLatch(1);
                member.sync("/cut/w", (rc, path, ctx) -> synced.countDown(), null);
                assertThat(synced.await(30, TimeUnit.SECONDS)).isTrue();
                Set<String> children = new HashSet<>(member.getChildren("/cut/w", false));
                List<String> missing = new ArrayList<>();
                for (AckedWriter.Ack a : acks) {
                    String name = "n-" + a.seq();
                    if (!children.contains(name)) {
                        missing.add(name + " (zxid 0x" + Long.toHexString(a.zxid()) + ")");
                    } else if (id == FIRST_MIRROR) {
                        Stat stat = new Stat();
                        byte[] data = member.getData("/cut/w/" + name, false, stat);
                        assertThat(new String(data, StandardCharsets.US_ASCII)).isEqualTo(Long.toString(a.seq()));
                        assertThat(stat.getCzxid()).isEqualTo(a.zxid());
                    }
                }
                assertThat(missing).as("acknowledged writes missing on member %d", id).isEmpty();
            }
        }
    }

    private Path home(int id) {
        return dir.resolve("m" + id);
    }

    /** The zoo.cfg of a ZooKeeper observer of the ensemble, plus quorumProtocol=zookeeper. */
    private Map<String, String> mirrorConfig(ZooKeeperEnsemble zk, int id, Path home) {
        Map<String, String> cfg = new LinkedHashMap<>(zk.baseConfig(home));
        cfg.put("clientPort", Integer.toString(zk.clientPorts.get(id)));
        cfg.put("peerType", "observer");
        cfg.put("extendedTypesEnabled", "true");
        cfg.put(MirrorConfig.PROTOCOL_KEY, "zookeeper");
        return cfg;
    }

    /**
     * The same member's zoo.cfg after the cut-over: the new members as participants, the same myid, dataDir
     * and client port, no quorumProtocol, no ZooKeeper voter.
     */
    private Map<String, String> paddockConfig(ZooKeeperEnsemble zk, int id) {
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("tickTime", Integer.toString(ZooKeeperEnsemble.TICK_MS));
        cfg.put("initLimit", "10");
        cfg.put("syncLimit", "5");
        cfg.put("dataDir", home(id).resolve("data").toString());
        cfg.put("clientPort", Integer.toString(zk.clientPorts.get(id)));
        cfg.put("maxSessionTimeout", Integer.toString(SESSION_MS));
        cfg.put("extendedTypesEnabled", "true");
        cfg.put("4lw.commands.whitelist", "*");
        cfg.put("admin.enableServer", "false");
        for (int m = FIRST_MIRROR; m < FIRST_MIRROR + MIRRORS; m++) {
            cfg.put("server." + m, "127.0.0.1:" + zk.quorumPorts.get(m) + ":" + zk.electionPorts.get(m));
        }
        return cfg;
    }

    private static String paddockConnectString(ZooKeeperEnsemble zk) {
        List<String> s = new ArrayList<>();
        for (int id = FIRST_MIRROR; id < FIRST_MIRROR + MIRRORS; id++) {
            s.add("127.0.0.1:" + zk.clientPorts.get(id));
        }
        return String.join(",", s);
    }

    /** A client whose session expiring is recorded (it must not happen). */
    private ZooKeeper client(String connect, String name) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper z = new ZooKeeper(connect, SESSION_MS, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            } else if (e.getState() == Watcher.Event.KeeperState.Expired) {
                expired.add(name);
                step("session of " + name + " expired");
            }
        });
        if (!connected.await(30, TimeUnit.SECONDS)) {
            z.close();
            throw new IllegalStateException("no connection to " + connect);
        }
        return z;
    }

    /** A Curator client with a leader latch and a cache of the writer's nodes, recording connection states. */
    private static final class CuratorService implements AutoCloseable {
        final CuratorFramework client;
        final LeaderLatch latch;
        final CuratorCache cache;
        final List<ConnectionState> states = new CopyOnWriteArrayList<>();
        final Set<String> seen = ConcurrentHashMap.newKeySet();

        CuratorService(String connect) throws Exception {
            client = CuratorFrameworkFactory.newClient(connect, SESSION_MS, 15_000, new RetryNTimes(1000, 100));
            client.getConnectionStateListenable().addListener((c, state) -> states.add(state));
            client.start();
            latch = new LeaderLatch(client, "/cut/latch", "service");
            latch.start();
            cache = CuratorCache.build(client, "/cut/w");
            cache.listenable().addListener(CuratorCacheListener.builder()
                    .forCreates(node -> seen.add(node.getPath())).build());
            cache.start();
        }

        @Override
        public void close() throws Exception {
            cache.close();
            latch.close();
            client.close();
        }
    }

    /** Polls every 20 ms for at most two minutes (the class's timeout bounds the whole run). */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
        }
    }
}
