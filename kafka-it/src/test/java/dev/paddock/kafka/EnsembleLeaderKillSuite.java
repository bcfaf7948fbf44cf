package dev.paddock.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.it.Ensemble;
import dev.paddock.it.Wait;
import dev.paddock.it.ZkInspector;
import java.lang.management.ManagementFactory;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartitionInfo;
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
    private static final Pattern CONTROLLER_ID = Pattern.compile("\"brokerid\":(\\d+)");
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
            awaitPartitions(admin, topic, "every partition with 3 in sync", p -> p.isr().size() == 3 && p.leader() != null);
        }

        // What must not change: each broker's session, the controller, its epoch.
        Map<String, Long> owners = brokerSessions();
        int controller = controllerId();
        long controllerOwner = zk.stat(CHROOT + "/controller").getEphemeralOwner();
        String controllerEpoch = new String(zk.data(CHROOT + "/controller_epoch"), StandardCharsets.UTF_8);
        long expiresBefore = brokerZkEvents("ZooKeeperExpiresPerSec");
        long disconnectsBefore = brokerZkEvents("ZooKeeperDisconnectsPerSec");
        log("brokers registered with sessions " + hex(owners) + "; controller broker " + controller
                + ", epoch " + controllerEpoch);

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> produce(bootstrap, topic, acknowledged, producerFailure, stop), "acks-all-writer");
        writer.start();
        int leader;
        try {
            Wait.until("200 acknowledged records before the kill", TIMEOUT, () -> acknowledged.size() >= 200);

            leader = ensemble.leader();
            assertThat(leader).as("a " + name + " leader").isPositive();
            StringBuilder placement = new StringBuilder();
            for (int id = 1; id <= Ensemble.MEMBERS; id++) {
                placement.append(" member ").append(id).append(": ").append(ensemble.clients(id));
            }
            long killedAt = System.nanoTime();
            ensemble.kill(leader);
            int ackedAtKill = acknowledged.size();
            log("SIGKILLed " + name + " leader member " + leader + " with " + ackedAtKill
                    + " records acknowledged (client connections before:" + placement + ")");

            Wait.until("a new " + name + " leader other than member " + leader, TIMEOUT, () -> {
                int l = ensemble.leader();
                return l > 0 && l != leader && ensemble.serving() == Ensemble.MEMBERS - 1;
            });
            log("new " + name + " leader member " + ensemble.leader() + " after "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt) + " ms");
            Wait.until("writes acknowledged after the kill", TIMEOUT, () -> acknowledged.size() >= ackedAtKill + 200);

            // Kafka still writes to ZooKeeper: a topic created after the kill, and a consumer group (the
            // first one creates __consumer_offsets through ZooKeeper).
            try (Admin admin = Kafka.admin(bootstrap)) {
                Kafka.createTopics(admin, List.of(new NewTopic("after-failover", 3, (short) 3)));
                awaitPartitions(admin, "after-failover", "after-failover with 3 in sync",
                        p -> p.isr().size() == 3 && p.leader() != null);
                awaitPartitions(admin, topic, topic + " with 3 in sync", p -> p.isr().size() == 3 && p.leader() != null);
            }
            try (KafkaConsumer<String, String> consumer = Kafka.consumer(BrokerConfig.admin(bootstrap), "after-failover-group")) {
                consumer.subscribe(List.of(topic));
                assertThat(Kafka.consume(consumer, 100, TIMEOUT)).hasSizeGreaterThanOrEqualTo(100);
            }

            // Kafka noticed no more than a reconnect.
            long expires = brokerZkEvents("ZooKeeperExpiresPerSec") - expiresBefore;
            long disconnects = brokerZkEvents("ZooKeeperDisconnectsPerSec") - disconnectsBefore;
            log(acknowledged.size() + " acknowledged; after the kill the brokers' shared meters count " + disconnects
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
            log("member " + leader + " rejoined: " + ensemble.mode(leader) + "; " + acknowledged.size() + " acknowledged");
            try (ZkInspector rejoined = ZkInspector.connect(ensemble.connectString(leader))) {
                Wait.until("the rejoined member to hold the topic created while it was down", TIMEOUT,
                        () -> rejoined.children(CHROOT + "/brokers/topics").contains("after-failover")
                                && rejoined.children(CHROOT + "/brokers/topics").contains("__consumer_offsets"));
                assertThat(new HashSet<>(rejoined.children(CHROOT + "/brokers/ids"))).isEqualTo(Set.of("0", "1", "2"));
            }
            int ackedAtRejoin = acknowledged.size();
            Wait.until("writes acknowledged after the rejoin", TIMEOUT, () -> acknowledged.size() >= ackedAtRejoin + 100);
        } finally {
            stop.set(true);
            writer.join(TimeUnit.SECONDS.toMillis(90));
        }
        assertThat(writer.isAlive()).as("writer stopped").isFalse();
        assertThat(producerFailure.get()).as("producer failure").isNull();
        assertThat(brokerSessions()).as("broker sessions at the end").isEqualTo(owners);
        assertThat(brokerZkEvents("ZooKeeperExpiresPerSec")).as("broker ZooKeeper expiries at the end").isEqualTo(expiresBefore);

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

    /**
     * The brokers' count of one ZooKeeper client state (Kafka's yammer meters kafka.server:type=
     * SessionExpireListener, shared by the brokers of this JVM).
     */
    private static long brokerZkEvents(String meter) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = server.queryNames(new ObjectName("kafka.server:type=SessionExpireListener,name=" + meter), null);
        assertThat(names).as("meter " + meter).isNotEmpty();
        long count = 0;
        for (ObjectName n : names) {
            count += ((Number) server.getAttribute(n, "Count")).longValue();
        }
        return count;
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

    private static void awaitPartitions(Admin admin, String topic, String what, Predicate<TopicPartitionInfo> ok) {
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
                // Paced (at most about 1000 a second): writes go on for the whole test, and reading
                // them all back at the end stays short.
                TimeUnit.MILLISECONDS.sleep(1);
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
