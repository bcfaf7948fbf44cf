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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartitionInfo;
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
    private static final Pattern CONTROLLER_ID = Pattern.compile("\"brokerid\":(\\d+)");
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
            awaitPartitions(admin, topic, "every partition with 3 in sync", p -> p.isr().size() == 3 && p.leader() != null);
        }

        // Write with acks=all in the background for the whole test; keep what the brokers acknowledged.
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> produce(bootstrap, topic, acknowledged, producerFailure, stop), "acks-all-writer");
        writer.start();
        try {
            Wait.until("200 acknowledged records before the kill", TIMEOUT, () -> acknowledged.size() >= 200);

            int controller = controllerId();
            ChildBroker victim = brokers.get(controller);
            long sessionOwner = zk.stat(CHROOT + "/brokers/ids/" + controller).getEphemeralOwner();
            victim.kill();
            int ackedAtKill = acknowledged.size();
            log("SIGKILLed controller broker " + controller + " with " + ackedAtKill + " records acknowledged");

            Wait.until("a new controller other than the killed broker " + controller, TIMEOUT, () -> {
                Stat s = zk.stat(CHROOT + "/controller");
                return s != null && controllerId() != controller;
            });
            log("new controller: broker " + controllerId());
            Wait.until("the killed broker's registration to expire", TIMEOUT,
                    () -> zk.stat(CHROOT + "/brokers/ids/" + controller) == null);
            try (Admin admin = Kafka.admin(bootstrap)) {
                awaitPartitions(admin, topic, "every partition led by a live broker without broker " + controller,
                        p -> p.leader() != null && p.leader().id() != controller
                                && p.isr().stream().noneMatch(n -> n.id() == controller));
            }
            Wait.until("writes acknowledged after the kill", TIMEOUT, () -> acknowledged.size() >= ackedAtKill + 200);

            log("leadership moved; " + acknowledged.size() + " acknowledged; restarting broker " + controller);
            victim.restart();
            Wait.until("the restarted broker's /brokers/ids/" + controller + " entry", Duration.ofSeconds(120), () -> {
                Stat s = zk.stat(CHROOT + "/brokers/ids/" + controller);
                return s != null && s.getEphemeralOwner() != sessionOwner;
            });
            try (Admin admin = Kafka.admin(bootstrap)) {
                awaitPartitions(admin, topic, "the restarted broker back in every ISR", p -> p.isr().size() == 3);
            }
            int ackedAtRejoin = acknowledged.size();
            log("broker " + controller + " rejoined every ISR");
            Wait.until("writes acknowledged after the rejoin", TIMEOUT, () -> acknowledged.size() >= ackedAtRejoin + 100);
        } finally {
            stop.set(true);
            writer.join(TimeUnit.SECONDS.toMillis(90));
        }
        assertThat(writer.isAlive()).as("writer stopped").isFalse();
        assertThat(producerFailure.get()).as("producer failure").isNull();

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
        Matcher m = CONTROLLER_ID.matcher(new String(zk.data(CHROOT + "/controller"), StandardCharsets.UTF_8));
        if (!m.find()) {
            throw new AssertionError("unreadable /controller");
        }
        return Integer.parseInt(m.group(1));
    }

    private static void awaitPartitions(Admin admin, String topic, String what,
                                        java.util.function.Predicate<TopicPartitionInfo> ok) {
        Wait.until(what, TIMEOUT, () -> {
            TopicDescription d = Kafka.get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
            return d.partitions().stream().allMatch(ok);
        });
    }

    private static void produce(String bootstrap, String topic, Set<String> acknowledged,
                                AtomicReference<Throwable> failure, AtomicBoolean stop) {
        Properties p = BrokerConfig.admin(bootstrap);
        p.setProperty(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        p.setProperty(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        Semaphore inFlight = new Semaphore(100);
        try (KafkaProducer<String, String> producer = Kafka.producer(p)) {
            for (int i = 0; i < MAX_RECORDS && !stop.get(); i++) {
                if (!inFlight.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                    i--;
                    continue;
                }
                String value = "record-" + i;
                producer.send(new ProducerRecord<>(topic, Integer.toString(i % 30), value), (metadata, error) -> {
                    inFlight.release();
                    if (error == null) {
                        acknowledged.add(value);
                    }
                });
            }
            producer.flush();
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    private static Set<String> readAll(String bootstrap, String topic) {
        return TopicReader.readAll(bootstrap, topic, 3, TIMEOUT);
    }
}
