package dev.paddock.server.migration;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;

/**
 * The writes a ZooKeeper server goes through before an import: every node type (persistent, ephemeral,
 * sequential, container, TTL), ACLs of several schemes, setData and setACL, multis that succeed and fail,
 * failed writes (which ZooKeeper logs as error transactions), deletes, a closed session and an expired one,
 * enough of them that a small snapCount makes ZooKeeper snapshot (and roll its log) many times mid-load.
 * {@code extended} says whether containers and TTL nodes are created (not on ZooKeeper 3.4).
 */
final class MixedWorkload {
    static final String USER = "importer:secret";

    private MixedWorkload() {
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static void run(ZooKeeper zk, String connect, boolean extended, String classPath) throws Exception {
        zk.addAuthInfo("digest", b(USER));
        List<ACL> open = ZooDefs.Ids.OPEN_ACL_UNSAFE;
        zk.create("/app", b("root of the app"), open, CreateMode.PERSISTENT);
        zk.create("/app/seq", null, open, CreateMode.PERSISTENT);
        zk.create("/app/acl", new byte[0], open, CreateMode.PERSISTENT);
        zk.create("/app/acl/creator", b("mine"), ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
        zk.create("/app/acl/ip", b("local"), java.util.Arrays.asList(new ACL(ZooDefs.Perms.ALL, new Id("ip", "127.0.0.1"))),
                CreateMode.PERSISTENT);
        zk.create("/app/acl/readonly", b("ro"), ZooDefs.Ids.READ_ACL_UNSAFE, CreateMode.PERSISTENT);
        zk.create("/app/acl/writeonly", b("wo"), java.util.Arrays.asList(new ACL(ZooDefs.Perms.WRITE | ZooDefs.Perms.ADMIN,
                ZooDefs.Ids.ANYONE_ID_UNSAFE)), CreateMode.PERSISTENT);
        zk.setACL("/app/acl/ip", java.util.Arrays.asList(new ACL(ZooDefs.Perms.READ | ZooDefs.Perms.WRITE, new Id("ip", "127.0.0.1")),
                new ACL(ZooDefs.Perms.ALL, new Id("auth", ""))), 0);
        zk.create("/app/unicode-\u00e9\u4e2d", b("\u00e9t\u00e9"), open, CreateMode.PERSISTENT);
        zk.create("/app/big", new byte[200_000], open, CreateMode.PERSISTENT);
        for (int round = 0; round < 12; round++) {
            oneRound(zk, round, open);
        }
        if (extended) {
            containersAndTtl(zk, open);
        }
        sessions(zk, connect, open, classPath);
        multis(zk, open, extended);
    }

    private static void oneRound(ZooKeeper zk, int round, List<ACL> open) throws Exception {
        String dir = "/app/r" + round;
        zk.create(dir, b("round " + round), open, CreateMode.PERSISTENT);
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            made.add(zk.create(dir + "/n" + i, b("v" + i), open, CreateMode.PERSISTENT));
            zk.create("/app/seq/item-", b("r" + round + "i" + i), open, CreateMode.PERSISTENT_SEQUENTIAL);
        }
        for (int i = 0; i < 10; i += 2) {
            zk.setData(made.get(i), b("changed " + round), -1);
            zk.setData(made.get(i), b("changed twice " + round), 1);
        }
        for (int i = 1; i < 10; i += 3) {
            zk.delete(made.get(i), -1);
        }
        expectFailure(() -> zk.create(dir, null, open, CreateMode.PERSISTENT));
        expectFailure(() -> zk.setData(made.get(0), b("stale"), 0));
        expectFailure(() -> zk.delete(dir, -1));
        zk.create(dir + "/e", b("ephemeral"), open, CreateMode.EPHEMERAL_SEQUENTIAL);
        if (round % 3 == 0) {
            zk.setACL(dir, ZooDefs.Ids.CREATOR_ALL_ACL, -1);
        }
    }

    /** Containers and TTL nodes (ZooKeeper 3.5+, TTL with extended types enabled). */
    private static void containersAndTtl(ZooKeeper zk, List<ACL> open) throws Exception {
        zk.create("/app/box", b("container"), open, CreateMode.CONTAINER);
        zk.create("/app/box/kept", b("child"), open, CreateMode.PERSISTENT);
        zk.create("/app/emptied", null, open, CreateMode.CONTAINER);
        zk.create("/app/emptied/child", null, open, CreateMode.PERSISTENT);
        zk.delete("/app/emptied/child", -1);
        {
            zk.create("/app/ttl", null, open, CreateMode.PERSISTENT);
            zk.create("/app/ttl/long", b("an hour"), open, CreateMode.PERSISTENT_WITH_TTL, null, 3_600_000);
            zk.create("/app/ttl/seq-", b("seq ttl"), open, CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, null,
                    3_600_000);
            zk.create("/app/ttl/short", null, open, CreateMode.PERSISTENT_WITH_TTL, null, 1);
        }
        // The container manager removes the emptied container (and the expired TTL node) with a
        // deleteContainer transaction; wait for it, so the dump sees the tree at rest.
        await(() -> zk.exists("/app/emptied", false) == null && zk.exists("/app/ttl/short", false) == null);
    }

    private static void sessions(ZooKeeper zk, String connect, List<ACL> open, String classPath) throws Exception {
        ZooKeeper closing = RealZooKeeper.client(connect, 4000);
        closing.create("/app/closed-eph", null, open, CreateMode.EPHEMERAL);
        closing.close();
        try (RealZooKeeper.Holder expiring = RealZooKeeper.Holder.start(connect, 2000, classPath,
                "/app/expiring-1", "/app/expiring-2")) {
            expiring.close();
            await(() -> zk.exists("/app/expiring-1", false) == null && zk.exists("/app/expiring-2", false) == null);
        }
    }

    private static void multis(ZooKeeper zk, List<ACL> open, boolean extended) throws Exception {
        zk.multi(List.of(
                Op.create("/app/m", b("multi"), open, CreateMode.PERSISTENT),
                Op.create("/app/m/seq-", null, open, CreateMode.PERSISTENT_SEQUENTIAL),
                Op.setData("/app/r1/n0", b("by multi"), -1),
                Op.check("/app/r1/n5", 0),
                Op.delete("/app/r1/n9", -1)));
        expectFailure(() -> zk.multi(List.of(
                Op.create("/app/never", null, open, CreateMode.PERSISTENT),
                Op.check("/app/r1/n5", 42),
                Op.delete("/app/r1/n3", -1))));
        zk.multi(List.of(
                Op.create("/app/m/box", null, open, extended ? CreateMode.CONTAINER : CreateMode.PERSISTENT),
                Op.create("/app/m/box/in", null, open, CreateMode.PERSISTENT),
                Op.create("/app/m/eph", null, open, CreateMode.EPHEMERAL)));
    }

    interface Action {
        void run() throws Exception;
    }

    static void expectFailure(Action a) throws Exception {
        try {
            a.run();
        } catch (KeeperException e) {
            return;
        }
        throw new AssertionError("expected the server to refuse");
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    static void await(Condition c) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!c.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 60 s");
            }
            Thread.sleep(50);
        }
    }
}
