package dev.paddock.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.it.Coordinator;
import dev.paddock.it.Wait;
import dev.paddock.it.ZkInspector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One Kafka 3.9.2 broker in ZooKeeper mode with a chroot, on the server that {@link #startCoordinator}
 * gives. Each subclass runs the same scenarios on one server, so a failure on Paddock can be told apart
 * from a Kafka quirk by the same test on the reference ZooKeeper.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SingleBrokerSuite {
    static final String CHROOT = "/kafka-cluster";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Coordinator coordinator;
    private InProcessBroker broker;
    private ZkInspector zk;

    abstract Coordinator startCoordinator(Path dir) throws Exception;

    @BeforeAll
    void startBroker() throws Exception {
        Path dir = Files.createTempDirectory(workDir(), getClass().getSimpleName());
        coordinator = startCoordinator(dir.resolve("zk"));
        broker = InProcessBroker.start(BrokerConfig.broker(0, coordinator.connectString() + CHROOT, 0,
                dir.resolve("kafka-logs"), 1));
        zk = ZkInspector.connect(coordinator.connectString());
        try (Admin admin = Kafka.admin(broker.bootstrap())) {
            Wait.until("the broker to be controller", TIMEOUT,
                    () -> Kafka.get(admin.describeCluster().controller()).id() == 0);
        }
    }

    static Path workDir() {
        Path dir = Paths.get(System.getProperty("paddock.testDir", "target/kafka-it-work")).toAbsolutePath();
        dir.toFile().mkdirs();
        return dir;
    }

    @AfterAll
    void stopBroker() throws Exception {
        if (zk != null) {
            zk.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (coordinator != null) {
            coordinator.close();
        }
    }

    private Admin admin() {
        return Kafka.admin(broker.bootstrap());
    }

    @Test
    void brokerRegistersUnderTheChroot() throws Exception {
        assertThat(zk.children("/")).contains(CHROOT.substring(1)).doesNotContain("brokers", "controller");
        Stat registration = zk.stat(CHROOT + "/brokers/ids/0");
        assertThat(registration).as("/brokers/ids/0").isNotNull();
        assertThat(registration.getEphemeralOwner()).isNotZero();
        String json = new String(zk.data(CHROOT + "/brokers/ids/0"), StandardCharsets.UTF_8);
        assertThat(json).contains("SASL_PLAINTEXT://127.0.0.1:" + broker.port());
        assertThat(new String(zk.data(CHROOT + "/controller"), StandardCharsets.UTF_8)).contains("\"brokerid\":0");
        assertThat(zk.stat(CHROOT + "/cluster/id")).isNotNull();
    }

    @Test
    void createDescribeAddPartitionsAndDeleteTopic() throws Exception {
        String topic = "orders";
        try (Admin admin = admin()) {
            Kafka.get(admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all());
            TopicDescription created = Wait.forValue("metadata for " + topic, TIMEOUT, () -> {
                TopicDescription d = Kafka.get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
                return d.partitions().stream().allMatch(p -> p.leader() != null && p.leader().id() == 0) ? d : null;
            });
            assertThat(created.partitions()).hasSize(3);
            assertThat(zk.children(CHROOT + "/brokers/topics/" + topic + "/partitions")).containsExactlyInAnyOrder("0", "1", "2");
            assertThat(new String(zk.data(CHROOT + "/brokers/topics/" + topic + "/partitions/2/state"),
                    StandardCharsets.UTF_8)).contains("\"leader\":0");

            Kafka.get(admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(5))).all());
            Wait.until(topic + " to have 5 partitions with leaders", TIMEOUT, () -> {
                TopicDescription d = Kafka.get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
                return d.partitions().size() == 5 && d.partitions().stream().allMatch(p -> p.leader() != null);
            });
            try (KafkaProducer<String, String> producer = Kafka.producer(BrokerConfig.admin(broker.bootstrap()))) {
                RecordMetadata m = Kafka.get(producer.send(new ProducerRecord<>(topic, 4, "k", "to the new partition")));
                assertThat(m.partition()).isEqualTo(4);
            }

            Kafka.get(admin.deleteTopics(List.of(topic)).all());
            Wait.until(topic + " to be gone from Kafka and from ZooKeeper", TIMEOUT,
                    () -> !Kafka.get(admin.listTopics().names()).contains(topic)
                            && zk.stat(CHROOT + "/brokers/topics/" + topic) == null
                            && zk.stat(CHROOT + "/admin/delete_topics/" + topic) == null
                            && zk.stat(CHROOT + "/config/topics/" + topic) == null);
        }
    }

    @Test
    void produceAndConsumeWithAcksAllAndIdempotence() {
        String topic = "payments";
        int count = 500;
        try (Admin admin = admin()) {
            Kafka.get(admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all());
        }
        Properties client = BrokerConfig.admin(broker.bootstrap());
        List<String> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = Kafka.producer(client)) {
            List<java.util.concurrent.Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String value = "payment-" + i;
                acks.add(producer.send(new ProducerRecord<>(topic, "customer-" + (i % 7), value)));
                sent.add(value);
            }
            for (java.util.concurrent.Future<RecordMetadata> ack : acks) {
                Kafka.get(ack);
            }
        }
        String group = "ledger";
        try (KafkaConsumer<String, String> consumer = Kafka.consumer(client, group)) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> got = Kafka.consume(consumer, count, TIMEOUT);
            assertThat(got).hasSize(count);
            assertThat(got.stream().map(ConsumerRecord::value)).containsExactlyInAnyOrderElementsOf(sent);
            // Within a key (one partition), the order of sending is kept.
            List<String> customer3 = got.stream().filter(r -> r.key().equals("customer-3")).map(ConsumerRecord::value).toList();
            assertThat(customer3).isEqualTo(sent.stream().filter(v -> Integer.parseInt(v.substring(8)) % 7 == 3).toList());
        }
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    Kafka.get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
            assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum()).isEqualTo(count);
        }
    }

    @Test
    void dynamicTopicAndBrokerConfigsTakeEffect() throws Exception {
        String limited = "limited";
        String plain = "plain";
        ConfigResource topicResource = new ConfigResource(ConfigResource.Type.TOPIC, limited);
        ConfigResource brokerResource = new ConfigResource(ConfigResource.Type.BROKER, "0");
        ConfigResource clusterDefault = new ConfigResource(ConfigResource.Type.BROKER, "");
        String big = "x".repeat(4000);
        try (Admin admin = admin();
             KafkaProducer<String, String> producer = Kafka.producer(BrokerConfig.admin(broker.bootstrap()))) {
            Kafka.get(admin.createTopics(List.of(new NewTopic(limited, 1, (short) 1), new NewTopic(plain, 1, (short) 1))).all());
            Kafka.send(producer, limited, "k", big);

            // A topic config, stored in /config/topics/limited and announced through /config/changes.
            Kafka.get(admin.incrementalAlterConfigs(Map.of(topicResource,
                    List.of(new AlterConfigOp(new ConfigEntry("max.message.bytes", "1024"), AlterConfigOp.OpType.SET)))).all());
            assertThat(new String(zk.data(CHROOT + "/config/topics/" + limited), StandardCharsets.UTF_8))
                    .contains("\"max.message.bytes\":\"1024\"");
            Wait.until("max.message.bytes=1024 to reject a 4000-byte record on " + limited, TIMEOUT,
                    () -> Kafka.failure(() -> Kafka.send(producer, limited, "k", big)) instanceof RecordTooLargeException);
            Kafka.send(producer, plain, "k", big);

            // A cluster-wide broker default, stored in /config/brokers/<default>: applies to topics without an override.
            Kafka.get(admin.incrementalAlterConfigs(Map.of(clusterDefault,
                    List.of(new AlterConfigOp(new ConfigEntry("message.max.bytes", "2048"), AlterConfigOp.OpType.SET)))).all());
            assertThat(zk.stat(CHROOT + "/config/brokers/<default>")).isNotNull();
            Wait.until("the cluster default message.max.bytes=2048 to reject a 4000-byte record on " + plain, TIMEOUT,
                    () -> Kafka.failure(() -> Kafka.send(producer, plain, "k", big)) instanceof RecordTooLargeException);

            // A per-broker config, stored in /config/brokers/0.
            Kafka.get(admin.incrementalAlterConfigs(Map.of(brokerResource,
                    List.of(new AlterConfigOp(new ConfigEntry("log.flush.interval.messages", "777"), AlterConfigOp.OpType.SET)))).all());
            assertThat(new String(zk.data(CHROOT + "/config/brokers/0"), StandardCharsets.UTF_8))
                    .contains("log.flush.interval.messages");
            Wait.until("broker 0 to report log.flush.interval.messages=777 from its dynamic config", TIMEOUT, () -> {
                Config c = Kafka.get(admin.describeConfigs(List.of(brokerResource)).all()).get(brokerResource);
                ConfigEntry e = c.get("log.flush.interval.messages");
                return e.value().equals("777") && e.source() == ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG
                        && broker.server().config().logFlushIntervalMessages() == 777L;
            });

            // Removing the overrides restores the static values.
            Kafka.get(admin.incrementalAlterConfigs(Map.of(
                    clusterDefault, List.of(new AlterConfigOp(new ConfigEntry("message.max.bytes", null), AlterConfigOp.OpType.DELETE)),
                    brokerResource, List.of(new AlterConfigOp(new ConfigEntry("log.flush.interval.messages", null), AlterConfigOp.OpType.DELETE)))).all());
            Wait.until("the default message.max.bytes to accept a 4000-byte record on " + plain + " again", TIMEOUT,
                    () -> Kafka.failure(() -> Kafka.send(producer, plain, "k", big)) == null);
            Wait.until("broker 0 to drop its dynamic log.flush.interval.messages", TIMEOUT,
                    () -> broker.server().config().logFlushIntervalMessages() == Long.MAX_VALUE);
        }
    }

    @Test
    void aclsAreEnforcedAndSurviveABrokerRestart() throws Exception {
        String open = "open-to-alice";
        String secret = "secret";
        try (Admin admin = admin()) {
            Kafka.get(admin.createTopics(List.of(new NewTopic(open, 1, (short) 1), new NewTopic(secret, 1, (short) 1))).all());
        }
        Properties alice = BrokerConfig.client(broker.bootstrap(), BrokerConfig.ALICE, BrokerConfig.ALICE_PASSWORD);
        try (KafkaProducer<String, String> producer = Kafka.producer(alice)) {
            assertThat(Kafka.failure(() -> Kafka.send(producer, open, "k", "v")))
                    .as("alice without ACLs").isInstanceOf(TopicAuthorizationException.class);
        }

        ResourcePattern openTopic = new ResourcePattern(ResourceType.TOPIC, open, PatternType.LITERAL);
        List<AclBinding> bindings = new ArrayList<>();
        for (AclOperation op : List.of(AclOperation.WRITE, AclOperation.DESCRIBE)) {
            bindings.add(new AclBinding(openTopic, new AccessControlEntry("User:alice", "*", op, AclPermissionType.ALLOW)));
        }
        try (Admin admin = admin()) {
            Kafka.get(admin.createAcls(bindings).all());
            assertThat(zk.stat(CHROOT + "/kafka-acl/Topic/" + open)).isNotNull();
            assertThat(zk.children(CHROOT + "/kafka-acl-changes")).isNotEmpty();
        }
        assertAliceCanWriteOnlyTo(open, secret, alice);

        broker = broker.restart();
        try (Admin admin = admin()) {
            Collection<AclBinding> after = Kafka.get(admin.describeAcls(AclBindingFilter.ANY).values());
            assertThat(after).containsExactlyInAnyOrderElementsOf(bindings);
        }
        assertAliceCanWriteOnlyTo(open, secret, alice);
    }

    private void assertAliceCanWriteOnlyTo(String open, String secret, Properties alice) {
        try (KafkaProducer<String, String> producer = Kafka.producer(alice)) {
            Wait.until("alice's ACL to let her write to " + open, TIMEOUT,
                    () -> Kafka.failure(() -> Kafka.send(producer, open, "k", "v")) == null);
        }
        try (KafkaProducer<String, String> producer = Kafka.producer(alice)) {
            assertThat(Kafka.failure(() -> Kafka.send(producer, secret, "k", "v")))
                    .as("alice writing to " + secret).isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void brokerWhoseSessionExpiresRegistersAgain() throws Exception {
        org.apache.zookeeper.ZooKeeper session = broker.server().zkClient().currentZooKeeper();
        long oldSession = session.getSessionId();
        String ids = CHROOT + "/brokers/ids/0";
        assertThat(zk.stat(ids).getEphemeralOwner()).isEqualTo(oldSession);

        ZkInspector.expireSession(coordinator.connectString() + CHROOT, oldSession, session.getSessionPasswd());

        Wait.until("broker 0 to register again with a new session", TIMEOUT, () -> {
            Stat s = zk.stat(ids);
            return s != null && s.getEphemeralOwner() != oldSession;
        });
        Wait.until("a controller to be elected again", TIMEOUT, () -> zk.stat(CHROOT + "/controller") != null);
        long newSession = broker.server().zkClient().currentZooKeeper().getSessionId();
        assertThat(zk.stat(ids).getEphemeralOwner()).isEqualTo(newSession);

        String topic = "after-expiry";
        try (Admin admin = admin();
             KafkaProducer<String, String> producer = Kafka.producer(BrokerConfig.admin(broker.bootstrap()))) {
            Kafka.get(admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all());
            Wait.until("a write to " + topic + " after the re-registration", TIMEOUT,
                    () -> Kafka.failure(() -> Kafka.send(producer, topic, "k", "v")) == null);
        }
        Set<String> seen = new HashSet<>(zk.children(CHROOT + "/brokers/ids"));
        assertThat(seen).containsExactly("0");
    }
}
