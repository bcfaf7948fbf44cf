package dev.paddock.kafka;

import dev.paddock.it.Coordinator;
import dev.paddock.it.PaddockCoordinator;
import java.nio.file.Path;

/** The three-broker controller failover on Paddock (about 40 s: runs in CI). */
class ThreeBrokersOnPaddockTest extends ThreeBrokersSuite {
    @Override
    Coordinator startCoordinator(Path dir) throws Exception {
        return PaddockCoordinator.start(dir);
    }
}
