package dev.paddock.kafka;

import dev.paddock.it.Coordinator;
import dev.paddock.it.PaddockCoordinator;
import java.nio.file.Path;

/** The single-broker scenarios on Paddock. */
class SingleBrokerOnPaddockTest extends SingleBrokerSuite {
    @Override
    Coordinator startCoordinator(Path dir) throws Exception {
        return PaddockCoordinator.start(dir);
    }
}
