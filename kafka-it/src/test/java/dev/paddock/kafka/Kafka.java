package dev.paddock.kafka;

import dev.paddock.it.Wait;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Client helpers shared by the suites. */
final class Kafka {
    private static final Pattern CONTROLLER_ID = Pattern.compile("\"brokerid\":(\\d+)");

    private Kafka() {}

    static Admin admin(String bootstrap) {
        Properties p = BrokerConfig.admin(bootstrap);
        p.setProperty("request.timeout.ms", "15000");
        p.setProperty("default.api.timeout.ms", "30000");
        return Admin.create(p);
    }

    static KafkaProducer<String, String> producer(Properties base) {
        Properties p = new Properties();
        p.putAll(base);
        p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        p.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.setProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        p.setProperty(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        p.setProperty(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        p.setProperty(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    static KafkaConsumer<String, String> consumer(Properties base, String group) {
        Properties p = new Properties();
        p.putAll(base);
        p.setProperty(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }

    /** Reads until {@code expected} records arrived or the timeout passed; commits what it read. */
    static List<ConsumerRecord<String, String>> consume(KafkaConsumer<String, String> consumer, int expected, Duration timeout) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        Wait.until(expected + " records (have " + records.size() + ")", timeout, () -> {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                records.add(r);
            }
            return records.size() >= expected;
        });
        consumer.commitSync();
        return records;
    }

    /** The cause of a failed Kafka future. */
    static Throwable failure(Runnable action) {
        try {
            action.run();
            return null;
        } catch (RuntimeException e) {
            Throwable t = e;
            while ((t instanceof ExecutionException || t.getClass() == RuntimeException.class) && t.getCause() != null) {
                t = t.getCause();
            }
            return t;
        }
    }

    static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeException(e);
        } catch (ExecutionException e) {
            throw new RuntimeException(e.getCause());
        }
    }

    /**
     * Creates topics, retrying while the broker that answers does not yet know every registered broker
     * (InvalidReplicationFactorException): registration in /brokers/ids reaches the brokers' metadata
     * through the controller a moment later, and Kafka's own test utilities wait for it the same way.
     */
    static void createTopics(org.apache.kafka.clients.admin.Admin admin,
                             java.util.List<org.apache.kafka.clients.admin.NewTopic> topics) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                get(admin.createTopics(topics).all());
                return;
            } catch (RuntimeException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.InvalidReplicationFactorException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
            }
        }
    }

    static <T> T get(java.util.concurrent.Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeException(e);
        } catch (ExecutionException e) {
            throw new RuntimeException(e.getCause());
        }
    }

    static void send(KafkaProducer<String, String> producer, String topic, String key, String value) {
        get(producer.send(new ProducerRecord<>(topic, key, value)));
    }

    /** The broker id in the text of Kafka's {@code /controller} znode. */
    static int controllerId(String controllerJson) {
        Matcher m = CONTROLLER_ID.matcher(controllerJson);
        if (!m.find()) {
            throw new AssertionError("unreadable /controller: " + controllerJson);
        }
        return Integer.parseInt(m.group(1));
    }

    static TopicDescription describe(Admin admin, String topic) {
        return get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
    }

    static void awaitPartitions(Duration timeout, Admin admin, String topic, String what,
                                Predicate<TopicPartitionInfo> ok) {
        Wait.until(what, timeout, () -> describe(admin, topic).partitions().stream().allMatch(ok));
    }

    /**
     * The brokers' count of one ZooKeeper client state (Kafka's meters kafka.server:type=SessionExpireListener,
     * shared by the brokers of this JVM), e.g. ZooKeeperExpiresPerSec.
     */
    static long brokerZkEvents(String meter) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = server.queryNames(
                new ObjectName("kafka.server:type=SessionExpireListener,name=" + meter), null);
        if (names.isEmpty()) {
            throw new AssertionError("no meter " + meter);
        }
        long count = 0;
        for (ObjectName n : names) {
            count += ((Number) server.getAttribute(n, "Count")).longValue();
        }
        return count;
    }
}
