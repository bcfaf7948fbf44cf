package dev.paddock.kafka;

import dev.paddock.it.Wait;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads every committed record of a topic up to its current end offsets, to check acknowledged writes. */
final class TopicReader {
    private TopicReader() {
    }

    static Set<String> readAll(String bootstrap, String topic, int partitionCount, Duration timeout) {
        return new HashSet<>(readPositions(bootstrap, topic, partitionCount, timeout).values());
    }

    /** Every committed record's value by its position, {@code partition@offset} (as {@link #position} writes it). */
    static Map<String, String> readPositions(String bootstrap, String topic, int partitionCount, Duration timeout) {
        Properties p = BrokerConfig.admin(bootstrap);
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, String> values = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int i = 0; i < partitionCount; i++) {
                partitions.add(new TopicPartition(topic, i));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            Wait.until("reading " + topic + " to its end offsets " + end, timeout, () -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.put(position(r.partition(), r.offset()), r.value());
                }
                return partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
            });
        }
        return values;
    }

    static String position(int partition, long offset) {
        return partition + "@" + offset;
    }
}
