package dev.paddock.kafka;

import dev.paddock.it.Ensemble;
import org.junit.jupiter.api.Tag;

/** The same on a 3-member reference ZooKeeper 3.9.5 ensemble; only in the kafka-slow profile. */
@Tag("slow")
class EnsembleLeaderKillOnZooKeeperTest extends EnsembleLeaderKillSuite {
    @Override
    Ensemble.Kind kind() {
        return Ensemble.Kind.ZOOKEEPER;
    }
}
