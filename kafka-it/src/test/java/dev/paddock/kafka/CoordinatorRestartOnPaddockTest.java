package dev.paddock.kafka;

import dev.paddock.it.Coordinator;
import dev.paddock.it.PaddockCoordinator;
import java.nio.file.Path;

/** Paddock (durable storage) restarted under a running broker. */
class CoordinatorRestartOnPaddockTest extends CoordinatorRestartSuite {
    @Override
    Coordinator startCoordinator(Path dir) throws Exception {
        return PaddockCoordinator.start(dir);
    }
}
