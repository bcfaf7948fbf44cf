package dev.paddock.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.it.Coordinator;
import dev.paddock.it.ReferenceZooKeeper;
import dev.paddock.it.Wait;
import dev.paddock.it.ZkInspector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A broker that secures its znodes the way Kafka's security guide says: SASL (DIGEST-MD5) from the
 * broker to the coordination server and {@code zookeeper.set.acl=true}. The broker runs in a child JVM
 * because the JAAS "Client" section is process-wide and would switch every other client in this JVM to
 * SASL too.
 */
abstract class SecuredZooKeeperSuite {
    private static final String CHROOT = "/kafka-secured";
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private Coordinator coordinator;
    private ChildBroker broker;
    private Configuration previousJaas;

    abstract Coordinator startCoordinator(Path dir) throws Exception;

    @AfterEach
    void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
        if (coordinator != null) {
            coordinator.close();
        }
        if (previousJaas != null) {
            Configuration.setConfiguration(previousJaas);
        }
        System.clearProperty("zookeeper.authProvider.sasl");
    }

    @Test
    void brokerAuthenticatesWithSaslAndProtectsItsZnodes() throws Exception {
        Path dir = Files.createTempDirectory(SingleBrokerSuite.workDir(), getClass().getSimpleName());
        // The server's side of DIGEST-MD5 ("Server" section) for the reference ZooKeeper in this JVM; no
        // "Client" section here, so the other clients of this JVM stay unauthenticated.
        previousJaas = Configuration.getConfiguration();
        Configuration.setConfiguration(new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                if (!name.equals("Server")) {
                    return previousJaas.getAppConfigurationEntry(name);
                }
                return new AppConfigurationEntry[] {new AppConfigurationEntry(
                        "org.apache.zookeeper.server.auth.DigestLoginModule",
                        AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of("user_kafka", "kafka-secret"))};
            }
        });
        System.setProperty("zookeeper.authProvider.sasl", "org.apache.zookeeper.server.auth.SASLAuthenticationProvider");
        coordinator = startCoordinator(dir.resolve("zk"));

        Path jaas = dir.resolve("broker-jaas.conf");
        Files.writeString(jaas, "Client {\n  org.apache.zookeeper.server.auth.DigestLoginModule required\n"
                + "  username=\"kafka\"\n  password=\"kafka-secret\";\n};\n");
        int port = ReferenceZooKeeper.freePort();
        Properties config = BrokerConfig.broker(0, coordinator.connectString() + CHROOT, port, dir.resolve("logs"), 1);
        config.setProperty("zookeeper.set.acl", "true");
        broker = ChildBroker.start(0, config, dir.resolve("broker"), List.of("-Djava.security.auth.login.config=" + jaas));

        try (ZkInspector zk = ZkInspector.connect(coordinator.connectString())) {
            Wait.until("the secured broker's /brokers/ids/0", TIMEOUT, () -> zk.stat(CHROOT + "/brokers/ids/0") != null);
            String bootstrap = "127.0.0.1:" + port;
            try (Admin admin = Kafka.admin(bootstrap)) {
                Kafka.get(admin.createTopics(List.of(new NewTopic("guarded", 1, (short) 1))).all());
            }
            Wait.until("the topic znode", TIMEOUT, () -> zk.stat(CHROOT + "/brokers/topics/guarded") != null);
            List<ACL> acls = zk.acl(CHROOT + "/brokers/topics/guarded");
            assertThat(acls).as("ACL Kafka set on its topic znode").contains(
                    new ACL(ZooDefs.Perms.ALL, new org.apache.zookeeper.data.Id("sasl", "kafka")));
            // An unauthenticated client may read but not change what Kafka protected.
            Stat stat = zk.stat(CHROOT + "/brokers/topics/guarded");
            assertThat(zk.trySetData(CHROOT + "/brokers/topics/guarded", stat.getVersion()))
                    .isEqualTo(org.apache.zookeeper.KeeperException.Code.NOAUTH);
        }
    }
}
