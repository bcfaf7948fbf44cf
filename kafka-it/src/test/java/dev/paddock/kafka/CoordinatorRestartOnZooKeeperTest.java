package dev.paddock.kafka;

import dev.paddock.it.Coordinator;
import dev.paddock.it.ReferenceZooKeeper;
import java.nio.file.Path;

/** The reference ZooKeeper 3.9.5 restarted under a running broker: the oracle for the Paddock run. */
class CoordinatorRestartOnZooKeeperTest extends CoordinatorRestartSuite {
    @Override
    Coordinator startCoordinator(Path dir) throws Exception {
        return ReferenceZooKeeper.start(dir);
    }
}
