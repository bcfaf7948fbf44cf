package dev.paddock.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/** The extension's scopes: one server shared by a class's tests; a fresh one per test; a cluster. */
@PaddockTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PaddockExtensionTest {
    private static TestingServer shared;

    @Test
    @Order(1)
    void injectsAStartedServerAndItsConnectString(TestingServer server, @ConnectString String connect) throws Exception {
        shared = server;
        assertThat(connect).isEqualTo(server.getConnectString());
        try (ZooKeeper zk = Clients.connect(connect)) {
            zk.create("/from-first-test", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
    }

    @Test
    @Order(2)
    void theClassesTestsShareIt(TestingServer server, @ConnectString String connect) throws Exception {
        assertThat(server).isSameAs(shared);
        try (ZooKeeper zk = Clients.connect(connect)) {
            assertThat(zk.exists("/from-first-test", false)).isNotNull();
        }
    }

    @Nested
    @PaddockTest(perTest = true)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class PerTest {
        private static TestingServer previous;

        @Test
        @Order(1)
        void first(TestingServer server) throws Exception {
            previous = server;
            assertThat(server).isNotSameAs(shared);
            try (ZooKeeper zk = Clients.connect(server.getConnectString())) {
                zk.create("/only-here", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
        }

        @Test
        @Order(2)
        void secondGetsAFreshServer(TestingServer server) throws Exception {
            assertThat(server).isNotSameAs(previous);
            assertThat(previous.isRunning()).as("the first test's server was closed").isFalse();
            try (ZooKeeper zk = Clients.connect(server.getConnectString())) {
                assertThat(zk.exists("/only-here", false)).isNull();
            }
        }
    }

    @Nested
    @PaddockTest(members = 3)
    class Cluster {
        @Test
        void injectsAServingCluster(TestingCluster cluster, @ConnectString String connect) throws Exception {
            assertThat(connect).isEqualTo(cluster.getConnectString());
            assertThat(cluster.findLeader()).isPresent();
            try (ZooKeeper zk = Clients.connect(connect)) {
                assertThat(zk.exists("/", false)).isNotNull();
            }
        }
    }
}
