package dev.paddock.kafka;

import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A background producer with acks=all that writes numbered records until stopped and remembers every record a
 * broker acknowledged, by its position ({@code partition@offset}, as {@link TopicReader} reads them back).
 * The suites that kill something while Kafka writes check afterwards that none of them was lost.
 */
final class AckedProducer {
    /** At most this many sends unacknowledged: the producer's own buffer stays small. */
    private static final int IN_FLIGHT = 100;

    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;

    /**
     * @param maxRecords the most records it writes (a bound for a test that never stops it in time)
     * @param pauseMs    a pause before each send, so reading everything back at the end stays short
     */
    private AckedProducer(String bootstrap, String topic, int maxRecords, int pauseMs, String name) {
        this.thread = new Thread(() -> run(bootstrap, topic, maxRecords, pauseMs), name);
    }

    static AckedProducer start(String bootstrap, String topic, int maxRecords, int pauseMs) {
        AckedProducer p = new AckedProducer(bootstrap, topic, maxRecords, pauseMs, "acks-all-writer");
        p.thread.start();
        return p;
    }

    int acknowledgedCount() {
        return acknowledged.size();
    }

    /** Position -> value of every acknowledged record. */
    Map<String, String> acknowledged() {
        return Map.copyOf(acknowledged);
    }

    Set<String> acknowledgedValues() {
        return Set.copyOf(acknowledged.values());
    }

    /** Stops writing, waits for the last acknowledgements and fails the test if the producer failed or hung. */
    void stop(long timeoutMs) throws InterruptedException {
        stop.set(true);
        thread.join(timeoutMs);
        if (thread.isAlive()) {
            throw new AssertionError("the producer did not stop within " + timeoutMs + " ms");
        }
        if (failure.get() != null) {
            throw new AssertionError("the producer failed", failure.get());
        }
    }

    private void run(String bootstrap, String topic, int maxRecords, int pauseMs) {
        Properties p = BrokerConfig.admin(bootstrap);
        p.setProperty(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        p.setProperty(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        try (KafkaProducer<String, String> producer = Kafka.producer(p)) {
            for (int i = 0; i < maxRecords && !stop.get(); i++) {
                if (!inFlight.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                    i--;
                    continue;
                }
                if (pauseMs > 0) {
                    TimeUnit.MILLISECONDS.sleep(pauseMs);
                }
                String value = "record-" + i;
                producer.send(new ProducerRecord<>(topic, Integer.toString(i % 30), value), (metadata, error) -> {
                    inFlight.release();
                    if (error == null) {
                        acknowledged.put(TopicReader.position(metadata.partition(), metadata.offset()), value);
                    }
                });
            }
            producer.flush();
        } catch (Throwable t) {
            failure.set(t);
        }
    }
}
