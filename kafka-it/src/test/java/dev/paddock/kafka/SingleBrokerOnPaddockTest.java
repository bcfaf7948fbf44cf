package dev.paddock.kafka;

import java.nio.file.Path;

/** The single-broker scenarios on Paddock. */
class SingleBrokerOnPaddockTest extends SingleBrokerSuite {
    @Override
    Coordinator startCoordinator(Path dir) throws Exception {
        return PaddockCoordinator.start(dir);
    }
}
