package dev.paddock.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.it.Coordinator;
import dev.paddock.it.ReferenceZooKeeper;
import dev.paddock.it.Wait;
import dev.paddock.it.ZkInspector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three brokers in child JVMs on one server, replication factor 3 and min.insync.replicas 2: SIGKILL of
 * the controller broker while a producer writes with acks=all.
 */
abstract class ThreeBrokersSuite {
    private static final String CHROOT = "/kafka-three";
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final int MAX_RECORDS = 50_000;

    private final List<ChildBroker> brokers = new ArrayList<>();
    private Coordinator coordinator;
    private ZkInspector zk;

    abstract Coordinator startCoordinator(Path dir) throws Exception;

    @AfterEach
    void stopAll() throws Exception {
        for (ChildBroker b : brokers) {
            b.close();
        }
        if (zk != null) {
            zk.close();
        }
        if (coordinator != null) {
            coordinator.close();
        }
    }

    @Test
    void killingTheControllerBrokerLosesNoAcknowledgedRecord() throws Exception {
        Path dir = Files.createTempDirectory(SingleBrokerSuite.workDir(), "three-brokers");
        coordinator = startCoordinator(dir.resolve("zk"));
        zk = ZkInspector.connect(coordinator.connectString());
        List<String> endpoints = new ArrayList<>();
        for (int id = 0; id < 3; id++) {
            int port = ReferenceZooKeeper.freePort();
            endpoints.add("127.0.0.1:" + port);
            Properties config = BrokerConfig.broker(id, coordinator.connectString() + CHROOT, port,
                    dir.resolve("broker-" + id).resolve("logs"), 3);
            config.setProperty("min.insync.replicas", "2");
            brokers.add(ChildBroker.start(id, config, dir.resolve("broker-" + id)));
        }
        String bootstrap = String.join(",", endpoints);
        log("three brokers starting on " + coordinator.name() + " at " + coordinator.connectString() + CHROOT);
        Wait.until("three brokers in /brokers/ids", Duration.ofSeconds(120),
                () -> zk.stat(CHROOT + "/brokers/ids") != null
                        && new HashSet<>(zk.children(CHROOT + "/brokers/ids")).equals(Set.of("0", "1", "2")));

        log("three brokers registered");
        String topic = "ledger";
        try (Admin admin = Kafka.admin(bootstrap)) {
            Kafka.createTopics(admin, List.of(new NewTopic(topic, 3, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2"))));
            Kafka.awaitPartitions(TIMEOUT, admin, topic, "every partition with 3 in sync", p -> p.isr().size() == 3 && p.leader() != null);
        }

        // Write with acks=all in the background for the whole test; keep what the brokers acknowledged.
        AckedProducer writer = AckedProducer.start(bootstrap, topic, MAX_RECORDS, 0);
        try {
            Wait.until("200 acknowledged records before the kill", TIMEOUT, () -> writer.acknowledgedCount() >= 200);

            int controller = controllerId();
            ChildBroker victim = brokers.get(controller);
            long sessionOwner = zk.stat(CHROOT + "/brokers/ids/" + controller).getEphemeralOwner();
            victim.kill();
            int ackedAtKill = writer.acknowledgedCount();
            log("SIGKILLed controller broker " + controller + " with " + ackedAtKill + " records acknowledged");

            Wait.until("a new controller other than the killed broker " + controller, TIMEOUT, () -> {
                Stat s = zk.stat(CHROOT + "/controller");
                return s != null && controllerId() != controller;
            });
            log("new controller: broker " + controllerId());
            Wait.until("the killed broker's registration to expire", TIMEOUT,
                    () -> zk.stat(CHROOT + "/brokers/ids/" + controller) == null);
            try (Admin admin = Kafka.admin(bootstrap)) {
                Kafka.awaitPartitions(TIMEOUT, admin, topic, "every partition led by a live broker without broker " + controller,
                        p -> p.leader() != null && p.leader().id() != controller
                                && p.isr().stream().noneMatch(n -> n.id() == controller));
            }
            Wait.until("writes acknowledged after the kill", TIMEOUT, () -> writer.acknowledgedCount() >= ackedAtKill + 200);

            log("leadership moved; " + writer.acknowledgedCount() + " acknowledged; restarting broker " + controller);
            victim.restart();
            Wait.until("the restarted broker's /brokers/ids/" + controller + " entry", Duration.ofSeconds(120), () -> {
                Stat s = zk.stat(CHROOT + "/brokers/ids/" + controller);
                return s != null && s.getEphemeralOwner() != sessionOwner;
            });
            try (Admin admin = Kafka.admin(bootstrap)) {
                Kafka.awaitPartitions(TIMEOUT, admin, topic, "the restarted broker back in every ISR", p -> p.isr().size() == 3);
            }
            int ackedAtRejoin = writer.acknowledgedCount();
            log("broker " + controller + " rejoined every ISR");
            Wait.until("writes acknowledged after the rejoin", TIMEOUT, () -> writer.acknowledgedCount() >= ackedAtRejoin + 100);
        } finally {
            writer.stop(TimeUnit.SECONDS.toMillis(90));
        }
        Set<String> acknowledged = writer.acknowledgedValues();

        Set<String> read = readAll(bootstrap, topic);
        Set<String> lost = new HashSet<>(acknowledged);
        lost.removeAll(read);
        log("read " + read.size() + " records; " + acknowledged.size() + " were acknowledged");
        assertThat(lost).as("acknowledged records missing after the controller's SIGKILL (of %d)", acknowledged.size())
                .isEmpty();
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
