package dev.paddock.kafka;

import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * server.properties for a broker in ZooKeeper mode, as an operator would write it, sized for a two-core
 * machine. Every listener is SASL_PLAINTEXT with PLAIN so that ACLs have principals to act on:
 * {@code admin} is a super user (and the inter-broker identity), {@code alice} is not.
 */
final class BrokerConfig {
    static final String ADMIN = "admin";
    static final String ADMIN_PASSWORD = "admin-secret";
    static final String ALICE = "alice";
    static final String ALICE_PASSWORD = "alice-secret";

    private BrokerConfig() {}

    static Properties broker(int brokerId, String zookeeperConnect, int port, Path logDir, int replication) {
        Properties p = new Properties();
        p.setProperty("broker.id", Integer.toString(brokerId));
        p.setProperty("zookeeper.connect", zookeeperConnect);
        p.setProperty("zookeeper.session.timeout.ms", "6000");
        p.setProperty("zookeeper.connection.timeout.ms", "15000");
        p.setProperty("listeners", "SASL_PLAINTEXT://127.0.0.1:" + port);
        p.setProperty("security.inter.broker.protocol", "SASL_PLAINTEXT");
        p.setProperty("sasl.mechanism.inter.broker.protocol", "PLAIN");
        p.setProperty("sasl.enabled.mechanisms", "PLAIN");
        p.setProperty("listener.name.sasl_plaintext.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"" + ADMIN + "\" password=\"" + ADMIN_PASSWORD + "\""
                        + " user_" + ADMIN + "=\"" + ADMIN_PASSWORD + "\""
                        + " user_" + ALICE + "=\"" + ALICE_PASSWORD + "\";");
        p.setProperty("authorizer.class.name", "kafka.security.authorizer.AclAuthorizer");
        p.setProperty("super.users", "User:" + ADMIN);
        p.setProperty("log.dirs", logDir.toString());
        p.setProperty("num.partitions", "1");
        p.setProperty("default.replication.factor", Integer.toString(replication));
        p.setProperty("offsets.topic.replication.factor", Integer.toString(replication));
        p.setProperty("offsets.topic.num.partitions", "3");
        p.setProperty("transaction.state.log.replication.factor", Integer.toString(replication));
        p.setProperty("transaction.state.log.min.isr", Integer.toString(Math.min(2, replication)));
        p.setProperty("transaction.state.log.num.partitions", "3");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("num.network.threads", "2");
        p.setProperty("num.io.threads", "2");
        p.setProperty("num.recovery.threads.per.data.dir", "1");
        p.setProperty("background.threads", "2");
        p.setProperty("log.cleaner.enable", "false");
        p.setProperty("replica.lag.time.max.ms", "10000");
        p.setProperty("controlled.shutdown.enable", "true");
        p.setProperty("unclean.leader.election.enable", "false");
        return p;
    }

    /** Client settings for {@code user}. */
    static Properties client(String bootstrap, String user, String password) {
        Properties p = new Properties();
        p.setProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.setProperty(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        p.setProperty(SaslConfigs.SASL_MECHANISM, "PLAIN");
        p.setProperty(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required"
                + " username=\"" + user + "\" password=\"" + password + "\";");
        return p;
    }

    static Properties admin(String bootstrap) {
        return client(bootstrap, ADMIN, ADMIN_PASSWORD);
    }
}
