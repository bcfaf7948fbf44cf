package dev.paddock.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.it.Coordinator;
import dev.paddock.it.Wait;
import dev.paddock.it.ZkInspector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The coordination server restarted (same port, same data directory) under a running broker: the broker
 * reconnects with its session or registers again, and keeps serving, and what it stored survives,
 * including the sequence counters behind Kafka's change notifications.
 */
abstract class CoordinatorRestartSuite {
    private static final String CHROOT = "/kafka-restart";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Coordinator coordinator;
    private InProcessBroker broker;

    abstract Coordinator startCoordinator(Path dir) throws Exception;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
        if (coordinator != null) {
            coordinator.close();
        }
    }

    @Test
    void brokerKeepsServingAcrossACoordinatorRestart() throws Exception {
        Path dir = Files.createTempDirectory(SingleBrokerSuite.workDir(), getClass().getSimpleName());
        coordinator = startCoordinator(dir.resolve("zk"));
        broker = InProcessBroker.start(BrokerConfig.broker(0, coordinator.connectString() + CHROOT, 0,
                dir.resolve("kafka-logs"), 1));
        String topic = "survivor";
        String limited = "limited-after-restart";
        try (Admin admin = Kafka.admin(broker.bootstrap());
             KafkaProducer<String, String> producer = Kafka.producer(BrokerConfig.admin(broker.bootstrap()))) {
            Kafka.get(admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1), new NewTopic(limited, 1, (short) 1))).all());
            // Advance the /config/changes sequence, so that after the restart a counter that went back
            // would make Kafka skip the next notification as already seen.
            for (int i = 0; i < 3; i++) {
                Kafka.get(admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic),
                        List.of(new AlterConfigOp(new ConfigEntry("retention.ms", Integer.toString(86_400_000 + i)),
                                AlterConfigOp.OpType.SET)))).all());
            }
            for (int i = 0; i < 100; i++) {
                Kafka.send(producer, topic, "k" + (i % 5), "before-" + i);
            }
        }
        long sessionBefore = broker.server().zkClient().currentZooKeeper().getSessionId();

        coordinator.restart();

        Wait.until("the broker's ZooKeeper client to reconnect", TIMEOUT,
                () -> broker.server().zkClient().currentZooKeeper().getState().isConnected());
        try (ZkInspector zk = ZkInspector.connect(coordinator.connectString())) {
            Wait.until("/brokers/ids/0 owned by the broker's current session", TIMEOUT, () -> {
                Stat s = zk.stat(CHROOT + "/brokers/ids/0");
                return s != null && s.getEphemeralOwner() == broker.server().zkClient().currentZooKeeper().getSessionId();
            });
            long sessionAfter = broker.server().zkClient().currentZooKeeper().getSessionId();
            System.out.printf("%s restart: broker session 0x%x before, 0x%x after (%s)%n", coordinator.name(),
                    sessionBefore, sessionAfter, sessionBefore == sessionAfter ? "kept" : "expired, registered again");
            Wait.until("a controller", TIMEOUT, () -> zk.stat(CHROOT + "/controller") != null);
            assertThat(zk.stat(CHROOT + "/brokers/topics/" + topic)).as("topic znode after restart").isNotNull();
            assertThat(zk.children(CHROOT + "/config/changes")).isNotEmpty();
        }

        String big = "x".repeat(4000);
        try (Admin admin = Kafka.admin(broker.bootstrap());
             KafkaProducer<String, String> producer = Kafka.producer(BrokerConfig.admin(broker.bootstrap()))) {
            Wait.until("a write acknowledged after the restart", TIMEOUT,
                    () -> Kafka.failure(() -> Kafka.send(producer, topic, "k0", "after-0")) == null);
            for (int i = 1; i < 100; i++) {
                Kafka.send(producer, topic, "k" + (i % 5), "after-" + i);
            }
            Kafka.get(admin.createTopics(List.of(new NewTopic("born-after-restart", 1, (short) 1))).all());
            Wait.until("born-after-restart to get a leader", TIMEOUT, () -> Kafka.get(admin.describeTopics(
                    List.of("born-after-restart")).allTopicNames()).get("born-after-restart").partitions().get(0).leader() != null);
            Kafka.send(producer, limited, "k", big);
            Kafka.get(admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, limited),
                    List.of(new AlterConfigOp(new ConfigEntry("max.message.bytes", "1024"), AlterConfigOp.OpType.SET)))).all());
            Wait.until("a config change made after the restart to take effect", TIMEOUT,
                    () -> Kafka.failure(() -> Kafka.send(producer, limited, "k", big)) instanceof RecordTooLargeException);
        }
        try (KafkaConsumer<String, String> consumer = Kafka.consumer(BrokerConfig.admin(broker.bootstrap()), "restart-reader")) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> got = Kafka.consume(consumer, 200, TIMEOUT);
            List<String> values = new ArrayList<>();
            got.forEach(r -> values.add(r.value()));
            assertThat(values).hasSize(200).contains("before-0", "before-99", "after-0", "after-99");
        }
    }
}
