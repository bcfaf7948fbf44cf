package dev.paddock.kafka;

import dev.paddock.it.Coordinator;
import dev.paddock.it.ReferenceZooKeeper;
import java.nio.file.Path;

/** The single-broker scenarios on the reference ZooKeeper 3.9.5: the oracle for the Paddock run. */
class SingleBrokerOnZooKeeperTest extends SingleBrokerSuite {
    @Override
    Coordinator startCoordinator(Path dir) throws Exception {
        return ReferenceZooKeeper.start(dir);
    }
}
