package dev.paddock.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.it.Coordinator;
import dev.paddock.it.PaddockCoordinator;
import dev.paddock.it.ReferenceZooKeeper;
import dev.paddock.it.Wait;
import dev.paddock.it.ZkInspector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

/**
 * The same Kafka workload on Paddock and on the reference ZooKeeper 3.9.5, then every znode Kafka wrote
 * compared: path, data (null, empty or content, with timestamps, ports and the cluster id masked), data,
 * child and ACL versions, child count and whether it is ephemeral. Any difference is a wire-visible
 * difference Kafka could trip on, even where Kafka happens to tolerate it today.
 */
class ZnodeTreeComparisonTest {
    private static final String CHROOT = "/kafka-tree";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void kafkaLeavesTheSameZnodesOnPaddockAsOnZooKeeper() throws Exception {
        Path dir = Files.createTempDirectory(SingleBrokerSuite.workDir(), "tree");
        List<String> paddock = runAndDump(d -> start(() -> PaddockCoordinator.start(d)), dir.resolve("paddock"));
        List<String> zookeeper = runAndDump(d -> start(() -> ReferenceZooKeeper.start(d)), dir.resolve("zookeeper"));

        Set<String> onlyPaddock = new LinkedHashSet<>(paddock);
        zookeeper.forEach(onlyPaddock::remove);
        Set<String> onlyZooKeeper = new LinkedHashSet<>(zookeeper);
        paddock.forEach(onlyZooKeeper::remove);
        assertThat(paddock.size()).as("znodes compared").isGreaterThan(40);
        assertThat(onlyPaddock).as("znode lines on Paddock that differ from ZooKeeper 3.9.5 (ZooKeeper has %s)",
                onlyZooKeeper).isEmpty();
        assertThat(onlyZooKeeper).as("znode lines on ZooKeeper 3.9.5 missing on Paddock").isEmpty();
    }

    private interface Starter {
        Coordinator start() throws Exception;
    }

    private static Coordinator start(Starter starter) {
        try {
            return starter.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> runAndDump(Function<Path, Coordinator> coordinators, Path dir) throws Exception {
        try (Coordinator coordinator = coordinators.apply(dir.resolve("zk"))) {
            InProcessBroker broker = InProcessBroker.start(BrokerConfig.broker(0, coordinator.connectString() + CHROOT, 0,
                    dir.resolve("kafka-logs"), 1));
            try (Admin admin = Kafka.admin(broker.bootstrap())) {
                workload(admin, broker.bootstrap());
                try (ZkInspector zk = ZkInspector.connect(coordinator.connectString())) {
                    Wait.until("the workload's znodes to settle", TIMEOUT,
                            () -> zk.children(CHROOT + "/admin/delete_topics").isEmpty()
                                    && zk.stat(CHROOT + "/brokers/topics/gone") == null
                                    && zk.children(CHROOT + "/isr_change_notification").isEmpty());
                    List<String> lines = new ArrayList<>();
                    dump(zk, CHROOT, lines);
                    Files.write(dir.resolve("znodes.txt"), lines);
                    return lines;
                }
            } finally {
                broker.close();
            }
        }
    }

    private static void workload(Admin admin, String bootstrap) throws Exception {
        Wait.until("the broker to be controller", TIMEOUT, () -> Kafka.get(admin.describeCluster().controller()).id() == 0);
        Kafka.get(admin.createTopics(List.of(
                new NewTopic("events", 2, (short) 1).configs(Map.of("cleanup.policy", "compact")),
                new NewTopic("gone", 1, (short) 1))).all());
        Kafka.get(admin.createPartitions(Map.of("events", NewPartitions.increaseTo(3))).all());
        awaitLeaders(admin, "events", 3);
        awaitLeaders(admin, "gone", 1);
        Kafka.get(admin.incrementalAlterConfigs(Map.of(
                new ConfigResource(ConfigResource.Type.TOPIC, "events"),
                List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "3600000"), AlterConfigOp.OpType.SET)),
                new ConfigResource(ConfigResource.Type.BROKER, ""),
                List.of(new AlterConfigOp(new ConfigEntry("message.max.bytes", "500000"), AlterConfigOp.OpType.SET)))).all());
        Kafka.get(admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.BROKER, "0"),
                List.of(new AlterConfigOp(new ConfigEntry("log.flush.interval.messages", "5000"), AlterConfigOp.OpType.SET)))).all());
        Kafka.get(admin.createAcls(List.of(
                new AclBinding(new ResourcePattern(ResourceType.TOPIC, "events", PatternType.LITERAL),
                        new AccessControlEntry("User:alice", "*", AclOperation.WRITE, AclPermissionType.ALLOW)),
                new AclBinding(new ResourcePattern(ResourceType.GROUP, "readers-", PatternType.PREFIXED),
                        new AccessControlEntry("User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW)))).all());
        try (KafkaProducer<String, String> producer = Kafka.producer(BrokerConfig.admin(bootstrap))) {
            for (int i = 0; i < 30; i++) {
                Kafka.send(producer, "events", "k" + i, "v" + i);
            }
        }
        try (KafkaConsumer<String, String> consumer = Kafka.consumer(BrokerConfig.admin(bootstrap), "readers-1")) {
            consumer.subscribe(List.of("events"));
            Kafka.consume(consumer, 30, TIMEOUT);
        }
        Kafka.get(admin.deleteTopics(List.of("gone")).all());
        Wait.until("gone to be deleted", TIMEOUT, () -> !Kafka.get(admin.listTopics().names()).contains("gone"));
    }

    private static void awaitLeaders(Admin admin, String topic, int partitions) {
        Wait.until(topic + " with " + partitions + " led partitions", TIMEOUT, () -> {
            TopicDescription d = Kafka.get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
            return d.partitions().size() == partitions && d.partitions().stream().allMatch(p -> p.leader() != null);
        });
    }

    private static void dump(ZkInspector zk, String path, List<String> out) throws Exception {
        Stat stat = zk.stat(path);
        if (stat == null) {
            return;
        }
        byte[] data = zk.data(path);
        String shown = data == null ? "null" : data.length == 0 ? "empty" : mask(new String(data, StandardCharsets.UTF_8));
        out.add(path.substring(CHROOT.length()) + " data=" + shown + " version=" + stat.getVersion()
                + " cversion=" + stat.getCversion() + " aversion=" + stat.getAversion()
                + " numChildren=" + stat.getNumChildren() + " dataLength=" + stat.getDataLength()
                + " ephemeral=" + (stat.getEphemeralOwner() != 0));
        List<String> children = new ArrayList<>(zk.children(path));
        Collections.sort(children);
        for (String child : children) {
            dump(zk, path + "/" + child, out);
        }
    }

    /** Masks what legitimately differs between two runs: times, ports and the random cluster id. */
    private static String mask(String data) {
        return data.replaceAll("\"timestamp\":\"\\d+\"", "\"timestamp\":\"T\"")
                .replaceAll("127\\.0\\.0\\.1:\\d+", "127.0.0.1:PORT")
                .replaceAll("\"id\":\"[A-Za-z0-9_-]{22}\"", "\"id\":\"CLUSTER\"")
                .replaceAll("\"(topic_id|id)\":\"[A-Za-z0-9_-]{22}\"", "\"$1\":\"UUID\"");
    }
}
