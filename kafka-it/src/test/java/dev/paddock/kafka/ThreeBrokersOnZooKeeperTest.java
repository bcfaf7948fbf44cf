package dev.paddock.kafka;

import dev.paddock.it.Coordinator;
import dev.paddock.it.ReferenceZooKeeper;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;

/** The three-broker controller failover on the reference ZooKeeper 3.9.5; only in the kafka-slow profile. */
@Tag("slow")
class ThreeBrokersOnZooKeeperTest extends ThreeBrokersSuite {
    @Override
    Coordinator startCoordinator(Path dir) throws Exception {
        return ReferenceZooKeeper.start(dir);
    }
}
