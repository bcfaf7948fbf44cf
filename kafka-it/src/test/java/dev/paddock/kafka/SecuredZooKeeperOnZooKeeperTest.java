package dev.paddock.kafka;

import dev.paddock.it.Coordinator;
import dev.paddock.it.ReferenceZooKeeper;
import java.nio.file.Path;

/** SASL-secured znodes on the reference ZooKeeper 3.9.5. */
class SecuredZooKeeperOnZooKeeperTest extends SecuredZooKeeperSuite {
    @Override
    Coordinator startCoordinator(Path dir) throws Exception {
        return ReferenceZooKeeper.start(dir);
    }
}
