package dev.paddock.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.it.Wait;
import dev.paddock.it.ZkInspector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12 section 3 with Kafka as the client: three Kafka 3.9.2 brokers (in this JVM, ZooKeeper mode,
 * replication factor 3) whose {@code zookeeper.connect} lists the three ZooKeeper 3.9.5 voters and the three
 * Paddock mirrors run through the README's cut-over ({@link CutOverMembers}: the voters stop, the mirrors stop
 * and save, the check, the levelling, the mirrors restart as a Paddock ensemble). A producer with acks=all
 * writes the whole time and records every acknowledged record. Afterwards, on Paddock: every broker is still
 * registered under the session it had on ZooKeeper, no broker's session expired, the controller is the same,
 * the topic's metadata is intact, every acknowledged record is read back, and Kafka writes to Paddock (a new
 * topic) and produces and consumes on it. The brokers' sessions (60 s) outlast the pause, which is printed.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class KafkaCutOverTest {
    private static final String CHROOT = "/kafka-cut";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int BROKERS = 3;
    private static final int PARTITIONS = 3;
    private static final int MAX_RECORDS = 500_000;

    private final List<InProcessBroker> brokers = new ArrayList<>();
    private CutOverMembers members;

    @AfterEach
    void stopAll() throws Exception {
        for (InProcessBroker b : brokers) {
            b.close();
        }
        if (members != null) {
            members.close();
        }
    }

    @Test
    void kafkaBrokersRunThroughTheCutOverToPaddock() throws Exception {
        Path dir = Files.createTempDirectory(SingleBrokerSuite.workDir(), "kafka-cut-over");
        members = CutOverMembers.startVoters(dir);
        Wait.until("a ZooKeeper leader", TIMEOUT, () -> leaders(1, CutOverMembers.VOTERS) == 1);
        members.startMirrors();
        int lastMirror = CutOverMembers.FIRST_MIRROR + CutOverMembers.MIRRORS - 1;
        Wait.until("three mirrors serving", TIMEOUT, () -> allServing(CutOverMembers.FIRST_MIRROR, lastMirror));
        String connect = members.votersConnectString() + "," + members.paddockConnectString();
        log("voters at " + members.votersConnectString() + ", mirrors at " + members.paddockConnectString());

        String bootstrap = startBrokers(dir, connect);
        String topic = "ledger";
        try (Admin admin = Kafka.admin(bootstrap)) {
            Kafka.createTopics(admin, List.of(new NewTopic(topic, PARTITIONS, (short) BROKERS)
                    .configs(Map.of("min.insync.replicas", "2"))));
            Wait.until("every partition with 3 in sync", TIMEOUT, () -> Kafka.describe(admin, topic).partitions().stream()
                    .allMatch(p -> p.isr().size() == BROKERS && p.leader() != null));
        }
        Map<String, Long> owners;
        String controllerBefore;
        try (ZkInspector zk = ZkInspector.connect(connect)) {
            owners = brokerSessions(zk);
            controllerBefore = zk.text(CHROOT + "/controller");
        }
        long expiresBefore = Kafka.brokerZkEvents("ZooKeeperExpiresPerSec");
        log("brokers registered with sessions " + owners + ", controller " + controllerBefore);

        // Paced to about 500 a second: writes go on for the whole test, reading them back stays short.
        AckedProducer writer = AckedProducer.start(bootstrap, topic, MAX_RECORDS, 2);
        try {
            Wait.until("500 records acknowledged before the cut-over", TIMEOUT, () -> writer.acknowledgedCount() >= 500);
            int ackedBefore = writer.acknowledgedCount();
            cutOver();
            int ackedAfter = writer.acknowledgedCount();
            // Producing needs no ZooKeeper write while the ISR holds, so Kafka keeps acknowledging through the pause.
            log((ackedAfter - ackedBefore) + " records acknowledged during the cut-over");
            Wait.until("200 more records acknowledged on Paddock", TIMEOUT, () -> writer.acknowledgedCount() >= ackedAfter + 200);
        } finally {
            writer.stop(TimeUnit.SECONDS.toMillis(150));
        }
        checkOnPaddock(bootstrap, topic, owners, controllerBefore, expiresBefore, writer.acknowledged());
    }

    /** The README's procedure, timed; brokers and producer keep running. */
    private void cutOver() throws Exception {
        // The mirrors hold what the voters committed so far (the brokers keep writing, so only a lower bound).
        long mirrored = -1;
        for (int id = 1; id <= CutOverMembers.VOTERS; id++) {
            mirrored = Math.max(mirrored, members.zxid(id));
        }
        long committed = mirrored;
        for (int id = CutOverMembers.FIRST_MIRROR; id < CutOverMembers.FIRST_MIRROR + CutOverMembers.MIRRORS; id++) {
            int m = id;
            Wait.until("mirror " + m + " following the voters", TIMEOUT, () -> members.zxid(m) >= committed);
        }
        long stopped = System.nanoTime();
        members.killVoters();
        log("voters stopped");
        Map<Integer, Long> saved = members.stopMirrors();
        String checked = members.checkAndLevel(saved);
        log("mirrors stopped and saved: " + checked);
        members.startPaddockEnsemble();
        int last = CutOverMembers.FIRST_MIRROR + CutOverMembers.MIRRORS - 1;
        Wait.until("a Paddock leader", TIMEOUT, () -> leaders(CutOverMembers.FIRST_MIRROR, last) == 1);
        try (ZkInspector paddock = ZkInspector.connect(members.paddockConnectString())) {
            paddock.put("/cut-over-probe", "written on Paddock");
        }
        log(String.format("cut-over pause: %d ms (ZooKeeper stop to the first write Paddock acknowledged)",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped)));
    }

    /** What Kafka must find on Paddock after the cut-over. */
    private void checkOnPaddock(String bootstrap, String topic, Map<String, Long> owners, String controllerBefore,
                                long expiresBefore, Map<String, String> acknowledged) throws Exception {
        try (ZkInspector paddock = ZkInspector.connect(members.paddockConnectString())) {
            assertThat(brokerSessions(paddock)).as("/brokers/ids on Paddock and the sessions owning them")
                    .isEqualTo(owners);
            assertThat(paddock.text(CHROOT + "/controller")).as("the controller on Paddock").isEqualTo(controllerBefore);
            assertThat(Kafka.controllerId(controllerBefore)).isBetween(0, BROKERS - 1);
            assertThat(paddock.children(CHROOT + "/brokers/topics/" + topic + "/partitions"))
                    .as("the topic's partitions on Paddock").hasSize(PARTITIONS);
        }
        assertThat(Kafka.brokerZkEvents("ZooKeeperExpiresPerSec")).as("broker ZooKeeper session expiries")
                .isEqualTo(expiresBefore);
        try (Admin admin = Kafka.admin(bootstrap)) {
            TopicDescription d = Kafka.describe(admin, topic);
            assertThat(d.partitions()).hasSize(PARTITIONS);
            assertThat(d.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(BROKERS));
            Integer controller = Kafka.get(admin.describeCluster().controller()).id();
            assertThat(controller).isEqualTo(Kafka.controllerId(controllerBefore));
            // Kafka writes to Paddock: a topic created after the cut-over, used end to end.
            Kafka.createTopics(admin, List.of(new NewTopic("after-cut-over", 1, (short) BROKERS)));
            Wait.until("the new topic's partition led", TIMEOUT, () -> Kafka.describe(admin, "after-cut-over").partitions()
                    .stream().allMatch(p -> p.leader() != null && p.isr().size() == BROKERS));
        }
        try (ZkInspector paddock = ZkInspector.connect(members.paddockConnectString())) {
            assertThat(paddock.exists(CHROOT + "/brokers/topics/after-cut-over")).as("the new topic on Paddock").isTrue();
        }
        try (KafkaProducer<String, String> producer = Kafka.producer(BrokerConfig.admin(bootstrap))) {
            for (int i = 0; i < 10; i++) {
                Kafka.send(producer, "after-cut-over", "k", "after-" + i);
            }
        }
        assertThat(TopicReader.readAll(bootstrap, "after-cut-over", 1, TIMEOUT)).hasSize(10);
        Map<String, String> read = TopicReader.readPositions(bootstrap, topic, PARTITIONS, TIMEOUT);
        Map<String, String> lost = new HashMap<>(acknowledged);
        lost.entrySet().removeIf(a -> a.getValue().equals(read.get(a.getKey())));
        log("read " + read.size() + " records; " + acknowledged.size() + " were acknowledged");
        assertThat(lost).as("acknowledged records (partition@offset=value) not read back at their offsets after the"
                + " cut-over (of %d)", acknowledged.size()).isEmpty();
    }

    private String startBrokers(Path dir, String connect) {
        for (int id = 0; id < BROKERS; id++) {
            Properties config = BrokerConfig.broker(id, connect + CHROOT, 0, dir.resolve("broker-" + id), BROKERS);
            // Longer than the cut-over's pause, which is a ZooKeeper client's disconnection to the brokers.
            config.setProperty("zookeeper.session.timeout.ms", Integer.toString(CutOverMembers.MAX_SESSION_MS));
            config.setProperty("min.insync.replicas", "2");
            // At teardown the last brokers could not hand leadership to anyone and would retry for 15 s.
            config.setProperty("controlled.shutdown.enable", "false");
            brokers.add(InProcessBroker.start(config));
        }
        return String.join(",", brokers.stream().map(InProcessBroker::bootstrap).toList());
    }

    private int leaders(int from, int to) {
        int n = 0;
        for (int id = from; id <= to; id++) {
            n += "leader".equals(members.mode(id)) ? 1 : 0;
        }
        return n;
    }

    private boolean allServing(int from, int to) {
        for (int id = from; id <= to; id++) {
            if (members.mode(id).isEmpty()) {
                return false;
            }
        }
        return true;
    }


    /** broker id -> the session that owns its /brokers/ids entry. */
    private static Map<String, Long> brokerSessions(ZkInspector zk) throws Exception {
        Map<String, Long> owners = new LinkedHashMap<>();
        for (String id : new TreeSet<>(zk.children(CHROOT + "/brokers/ids"))) {
            Stat s = zk.stat(CHROOT + "/brokers/ids/" + id);
            if (s != null) {
                owners.put(id, s.getEphemeralOwner());
            }
        }
        return owners;
    }




    private static void log(String message) {
        System.out.printf("[%tT.%<tL] %s%n", System.currentTimeMillis(), message);
    }
}
