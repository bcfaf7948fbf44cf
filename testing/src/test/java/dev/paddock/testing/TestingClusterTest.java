package dev.paddock.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TestingClusterTest {
    @Test
    void membersServeAndAKilledMemberComesBackWithItsData() throws Exception {
        try (TestingCluster cluster = new TestingCluster(3)) {
            cluster.start();
            List<ClusterMember> members = cluster.getServers();
            assertThat(members).extracting(ClusterMember::getId).containsExactly(1, 2, 3);
            assertThat(cluster.getConnectString()).isEqualTo(members.get(0).getConnectString() + ","
                    + members.get(1).getConnectString() + "," + members.get(2).getConnectString());
            ClusterMember leader = cluster.findLeader().orElseThrow();
            for (ClusterMember m : members) {
                assertThat(FourLetterWord.mode(m.getPort())).isEqualTo(m == leader ? "leader" : "follower");
            }
            ClusterMember follower = members.stream().filter(m -> m != leader).findFirst().orElseThrow();
            assertThat(cluster.killServer(follower)).isTrue();
            assertThat(cluster.killServer(follower)).isFalse();
            assertThat(cluster.isRunning(follower)).isFalse();
            assertThat(FourLetterWord.ask(follower.getPort(), "ruok")).isEmpty();
            try (ZooKeeper zk = Clients.connect(leader.getConnectString())) {
                zk.create("/while-down", "x".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                        CreateMode.PERSISTENT);
            }
            assertThat(cluster.restartServer(follower)).isTrue();
            assertThat(cluster.restartServer(follower)).isFalse();
            try (ZooKeeper zk = Clients.connect(follower.getConnectString())) {
                zk.sync("/", (rc, path, ctx) -> { }, null);
                assertThat(zk.getData("/while-down", false, null)).isEqualTo("x".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void curatorLockAndLeaderLatchSurviveTheLeadersDeath() throws Exception {
        try (TestingCluster cluster = new TestingCluster(3)) {
            cluster.start();
            try (CuratorFramework a = curator(cluster); CuratorFramework b = curator(cluster)) {
                InterProcessMutex lockA = new InterProcessMutex(a, "/locks/one");
                InterProcessMutex lockB = new InterProcessMutex(b, "/locks/one");
                assertThat(lockA.acquire(30, TimeUnit.SECONDS)).isTrue();
                try (LeaderLatch latchA = new LeaderLatch(a, "/latch", "a");
                     LeaderLatch latchB = new LeaderLatch(b, "/latch", "b")) {
                    latchA.start();
                    latchB.start();
                    awaitExactlyOneLeader(latchA, latchB);

                    ClusterMember leader = cluster.findLeader().orElseThrow();
                    assertThat(cluster.killServer(leader)).isTrue();
                    awaitNewLeader(cluster, leader);

                    // The lock is still a's (its session lived on through the election): b cannot take it.
                    assertThat(lockB.acquire(1, TimeUnit.SECONDS)).isFalse();
                    lockA.release();
                    assertThat(lockB.acquire(30, TimeUnit.SECONDS)).isTrue();
                    lockB.release();
                    awaitExactlyOneLeader(latchA, latchB);

                    assertThat(cluster.restartServer(leader)).isTrue();
                    assertThat(FourLetterWord.mode(leader.getPort())).isEqualTo("follower");
                    awaitExactlyOneLeader(latchA, latchB);
                }
            }
        }
    }

    private static CuratorFramework curator(TestingCluster cluster) {
        CuratorFramework c = CuratorFrameworkFactory.newClient(cluster.getConnectString(), 30_000, 15_000,
                new RetryNTimes(100, 100));
        c.start();
        return c;
    }

    private static void awaitNewLeader(TestingCluster cluster, ClusterMember old) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (cluster.findLeader().filter(m -> m != old).isEmpty()) {
            assertThat(System.nanoTime()).as("a new leader within 60 s").isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    /** Waits until one latch, and only one, holds leadership (Curator drops it while suspended). */
    private static void awaitExactlyOneLeader(LeaderLatch x, LeaderLatch y) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (x.hasLeadership() == y.hasLeadership()) {
            assertThat(x.hasLeadership() && y.hasLeadership()).as("two latch leaders at once").isFalse();
            assertThat(System.nanoTime()).as("one latch leader within 60 s").isLessThan(deadline);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }
}
