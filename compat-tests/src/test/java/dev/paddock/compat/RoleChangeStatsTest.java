package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.compat.harness.Await;
import dev.paddock.compat.harness.MemberProcesses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * srvr's and mntr's statistics after a role change, ZooKeeper 3.9.5 and Paddock ensembles of three as child
 * JVMs: ZooKeeper builds a new server object for every role it takes, so a follower that sees its leader go
 * and takes up a new role starts its packet counts (srvr's Received and Sent, mntr's zk_packets_received and
 * zk_packets_sent) again, while the process's metrics (zk_bytes_received_count) carry on.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS) // child JVMs and an election
class RoleChangeStatsTest {
    private static final int REQUESTS = 60;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "paddock={0}")
    @ValueSource(booleans = {false, true})
    void aNewRoleStartsThePacketCountsAgain(boolean paddock) throws Exception {
        try (MemberProcesses m = new MemberProcesses(dir.resolve(paddock ? "p" : "z"), paddock, 3)) {
            for (int id = 1; id <= 3; id++) {
                m.startStatic(id, m.voters(1, 2, 3));
            }
            int leader = m.leader(1, 2, 3);
            int follower = leader == 1 ? 2 : 1;
            m.awaitMode(follower, "follower");
            try (ZooKeeper zk = new ZooKeeper(m.connectString(follower), 30_000, e -> { })) {
                Await.until("connected", Duration.ofSeconds(30), () -> zk.getState().isConnected());
                for (int i = 0; i < REQUESTS; i++) {
                    zk.exists("/", false);
                }
            }
            long received = monitor(m, follower, "zk_packets_received");
            long bytes = monitor(m, follower, "zk_bytes_received_count");
            assertThat(received).isGreaterThanOrEqualTo(REQUESTS);
            // Each four-letter word counts as a received packet, so srvr, asked after mntr, shows more.
            assertThat(srvr(m, follower, "Received")).isGreaterThan(received);
            m.stop(leader);
            // A write through the follower succeeds only once the two left have a new leader, so the follower has
            // taken up its new role by then (srvr may still show the old one for a while). A handful of packets.
            try (ZooKeeper zk = new ZooKeeper(m.connectString(follower), 30_000, e -> { })) {
                Await.until("a write through member " + follower, Duration.ofSeconds(60), () -> {
                    try {
                        zk.create("/after", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                        return true;
                    } catch (KeeperException.ConnectionLossException e) {
                        return false;
                    } catch (KeeperException.NodeExistsException e) {
                        return true; // an earlier try went through, its answer lost
                    }
                });
            }
            assertThat(monitor(m, follower, "zk_packets_received")).isLessThan(REQUESTS);
            assertThat(monitor(m, follower, "zk_packets_sent")).isLessThan(REQUESTS);
            assertThat(srvr(m, follower, "Received")).isLessThan(REQUESTS);
            assertThat(monitor(m, follower, "zk_bytes_received_count")).isGreaterThanOrEqualTo(bytes);
        }
    }

    private static long monitor(MemberProcesses m, int id, String key) {
        for (String line : m.fourLetterWordOf(id, "mntr").split("\n")) {
            String[] kv = line.split("\t");
            if (kv[0].equals(key)) {
                return Long.parseLong(kv[1].strip());
            }
        }
        throw new AssertionError("mntr of member " + id + " has no " + key);
    }

    private static long srvr(MemberProcesses m, int id, String field) {
        for (String line : m.fourLetterWordOf(id, "srvr").split("\n")) {
            if (line.startsWith(field + ": ")) {
                return Long.parseLong(line.substring(field.length() + 2).strip());
            }
        }
        throw new AssertionError("srvr of member " + id + " has no " + field);
    }
}
