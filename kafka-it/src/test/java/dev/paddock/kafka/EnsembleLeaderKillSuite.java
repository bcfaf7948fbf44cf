package dev.paddock.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.it.Ensemble;
import dev.paddock.it.Wait;
import dev.paddock.it.ZkInspector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A 3-member ensemble (child JVMs) under three running brokers (in this JVM, replication factor 3,
 * min.insync.replicas 2) whose {@code zookeeper.connect} lists all three members with a chroot. The
 * ensemble's leader is SIGKILLed while a producer writes with acks=all: Kafka notices no more than a
 * reconnect. Every broker keeps its ZooKeeper session (its {@code /brokers/ids} entry keeps its ephemeral
 * owner), the controller stays (same broker, same session, same epoch), no ZooKeeper session of a broker
 * expires, no acknowledged record is lost, and Kafka keeps writing to ZooKeeper (a new topic, a consumer
 * group's offsets topic). The killed member is restarted and rejoins as a follower with the writes made
 * while it was down.
 */
abstract class EnsembleLeaderKillSuite {
    private static final String CHROOT = "/kafka-ensemble";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int BROKERS = 3;
    private static final int MAX_RECORDS = 500_000;

    abstract Ensemble.Kind kind();

    private final List<InProcessBroker> brokers = new ArrayList<>();
    private Ensemble ensemble;
    private ZkInspector zk;

    @AfterEach
    void stopAll() throws Exception {
        for (InProcessBroker b : brokers) {
            b.close();
        }
        if (zk != null) {
            zk.close();
        }
        if (ensemble != null) {
            ensemble.close();
        }
    }

    @Test
    void killingTheEnsembleLeaderIsOnlyAReconnectForKafka() throws Exception {
        Path dir = Files.createTempDirectory(SingleBrokerSuite.workDir(), "ensemble-leader-kill");
        ensemble = Ensemble.start(kind(), dir.resolve("ensemble"));
        String name = kind().label;
        Wait.until("three " + name + " members serving", TIMEOUT, () -> ensemble.serving() == Ensemble.MEMBERS);
        log(name + " ensemble serving at " + ensemble.connectString() + ", leader member " + ensemble.leader());
        zk = ZkInspector.connect(ensemble.connectString());

        for (int id = 0; id < BROKERS; id++) {
            Properties config = BrokerConfig.broker(id, ensemble.connectString() + CHROOT, 0,
                    dir.resolve("broker-" + id), BROKERS);
            config.setProperty("min.insync.replicas", "2");
            // No broker stops during the test; at teardown the last ones could not hand leadership to anyone
            // and would retry controlled shutdown for about 15 s.
            config.setProperty("controlled.shutdown.enable", "false");
            brokers.add(InProcessBroker.start(config));
        }
        String bootstrap = String.join(",", brokers.stream().map(InProcessBroker::bootstrap).toList());
        Wait.until("three brokers in /brokers/ids", TIMEOUT, () -> brokerIds().equals(Set.of("0", "1", "2")));
        String topic = "ledger";
        try (Admin admin = Kafka.admin(bootstrap)) {
            Kafka.createTopics(admin, List.of(new NewTopic(topic, 3, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2"))));
            Kafka.awaitPartitions(TIMEOUT, admin, topic, "every partition with 3 in sync", p -> p.isr().size() == 3 && p.leader() != null);
        }

        // What must not change: each broker's session, the controller, its epoch.
        Map<String, Long> owners = brokerSessions();
        int controller = controllerId();
        long controllerOwner = zk.stat(CHROOT + "/controller").getEphemeralOwner();
        String controllerEpoch = new String(zk.data(CHROOT + "/controller_epoch"), StandardCharsets.UTF_8);
        long expiresBefore = Kafka.brokerZkEvents("ZooKeeperExpiresPerSec");
        long disconnectsBefore = Kafka.brokerZkEvents("ZooKeeperDisconnectsPerSec");
        log("brokers registered with sessions " + hex(owners) + "; controller broker " + controller
                + ", epoch " + controllerEpoch);

        AckedProducer writer = AckedProducer.start(bootstrap, topic, MAX_RECORDS, 1);
        int leader;
        try {
            Wait.until("200 acknowledged records before the kill", TIMEOUT, () -> writer.acknowledgedCount() >= 200);

            leader = ensemble.leader();
            assertThat(leader).as("a " + name + " leader").isPositive();
            StringBuilder placement = new StringBuilder();
            for (int id = 1; id <= Ensemble.MEMBERS; id++) {
                placement.append(" member ").append(id).append(": ").append(ensemble.clients(id));
            }
            long killedAt = System.nanoTime();
            ensemble.kill(leader);
            int ackedAtKill = writer.acknowledgedCount();
            log("SIGKILLed " + name + " leader member " + leader + " with " + ackedAtKill
                    + " records acknowledged (client connections before:" + placement + ")");

            Wait.until("a new " + name + " leader other than member " + leader, TIMEOUT, () -> {
                int l = ensemble.leader();
                return l > 0 && l != leader && ensemble.serving() == Ensemble.MEMBERS - 1;
            });
            log("new " + name + " leader member " + ensemble.leader() + " after "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt) + " ms");
            Wait.until("writes acknowledged after the kill", TIMEOUT, () -> writer.acknowledgedCount() >= ackedAtKill + 200);

            // Kafka still writes to ZooKeeper: a topic created after the kill, and a consumer group (the
            // first one creates __consumer_offsets through ZooKeeper).
            try (Admin admin = Kafka.admin(bootstrap)) {
                Kafka.createTopics(admin, List.of(new NewTopic("after-failover", 3, (short) 3)));
                Kafka.awaitPartitions(TIMEOUT, admin, "after-failover", "after-failover with 3 in sync",
                        p -> p.isr().size() == 3 && p.leader() != null);
                Kafka.awaitPartitions(TIMEOUT, admin, topic, topic + " with 3 in sync", p -> p.isr().size() == 3 && p.leader() != null);
            }
            try (KafkaConsumer<String, String> consumer = Kafka.consumer(BrokerConfig.admin(bootstrap), "after-failover-group")) {
                consumer.subscribe(List.of(topic));
                assertThat(Kafka.consume(consumer, 100, TIMEOUT)).hasSizeGreaterThanOrEqualTo(100);
            }

            // Kafka noticed no more than a reconnect.
            long expires = Kafka.brokerZkEvents("ZooKeeperExpiresPerSec") - expiresBefore;
            long disconnects = Kafka.brokerZkEvents("ZooKeeperDisconnectsPerSec") - disconnectsBefore;
            log(writer.acknowledgedCount() + " acknowledged; after the kill the brokers' shared meters count " + disconnects
                    + " ZooKeeper disconnects, " + expires + " expiries");
            assertThat(expires).as("broker ZooKeeper sessions expired").isZero();
            assertThat(brokerSessions()).as("/brokers/ids and their ephemeral owners (sessions)").isEqualTo(owners);
            assertThat(controllerId()).as("controller broker").isEqualTo(controller);
            assertThat(zk.stat(CHROOT + "/controller").getEphemeralOwner()).as("controller session").isEqualTo(controllerOwner);
            assertThat(new String(zk.data(CHROOT + "/controller_epoch"), StandardCharsets.UTF_8))
                    .as("controller epoch").isEqualTo(controllerEpoch);

            // The killed member comes back and rejoins as a follower with what was written while it was down.
            ensemble.start(leader);
            Wait.until("member " + leader + " back as a follower", TIMEOUT,
                    () -> "follower".equals(ensemble.mode(leader)) && ensemble.serving() == Ensemble.MEMBERS);
            log("member " + leader + " rejoined: " + ensemble.mode(leader) + "; " + writer.acknowledgedCount() + " acknowledged");
            try (ZkInspector rejoined = ZkInspector.connect(ensemble.connectString(leader))) {
                Wait.until("the rejoined member to hold the topic created while it was down", TIMEOUT,
                        () -> rejoined.children(CHROOT + "/brokers/topics").contains("after-failover")
                                && rejoined.children(CHROOT + "/brokers/topics").contains("__consumer_offsets"));
                assertThat(new HashSet<>(rejoined.children(CHROOT + "/brokers/ids"))).isEqualTo(Set.of("0", "1", "2"));
            }
            int ackedAtRejoin = writer.acknowledgedCount();
            Wait.until("writes acknowledged after the rejoin", TIMEOUT, () -> writer.acknowledgedCount() >= ackedAtRejoin + 100);
        } finally {
            writer.stop(TimeUnit.SECONDS.toMillis(90));
        }
        Set<String> acknowledged = writer.acknowledgedValues();
        assertThat(brokerSessions()).as("broker sessions at the end").isEqualTo(owners);
        assertThat(Kafka.brokerZkEvents("ZooKeeperExpiresPerSec")).as("broker ZooKeeper expiries at the end").isEqualTo(expiresBefore);

        Set<String> read = readAll(bootstrap, topic);
        Set<String> lost = new HashSet<>(acknowledged);
        lost.removeAll(read);
        log("read " + read.size() + " records; " + acknowledged.size() + " were acknowledged");
        assertThat(lost).as("acknowledged records missing after the ensemble leader's SIGKILL (of %d)", acknowledged.size())
                .isEmpty();
    }

    private Set<String> brokerIds() throws Exception {
        return zk.stat(CHROOT + "/brokers/ids") == null ? Set.of() : new HashSet<>(zk.children(CHROOT + "/brokers/ids"));
    }

    /** broker id -> the session that owns its /brokers/ids entry. */
    private Map<String, Long> brokerSessions() throws Exception {
        Map<String, Long> owners = new LinkedHashMap<>();
        for (String id : new java.util.TreeSet<>(zk.children(CHROOT + "/brokers/ids"))) {
            Stat s = zk.stat(CHROOT + "/brokers/ids/" + id);
            if (s != null) {
                owners.put(id, s.getEphemeralOwner());
            }
        }
        return owners;
    }

    private static String hex(Map<String, Long> owners) {
        StringBuilder sb = new StringBuilder();
        owners.forEach((id, owner) -> sb.append(sb.length() == 0 ? "" : ", ").append(id).append("=0x")
                .append(Long.toHexString(owner)));
        return sb.toString();
    }


    private static void log(String message) {
        System.out.printf("[%tT.%<tL] %s%n", System.currentTimeMillis(), message);
    }

    private int controllerId() throws Exception {
        return Kafka.controllerId(new String(zk.data(CHROOT + "/controller"), StandardCharsets.UTF_8));
    }



    private static Set<String> readAll(String bootstrap, String topic) {
        return TopicReader.readAll(bootstrap, topic, 3, TIMEOUT);
    }
}
