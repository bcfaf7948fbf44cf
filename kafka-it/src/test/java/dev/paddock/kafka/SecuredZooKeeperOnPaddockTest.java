package dev.paddock.kafka;

import dev.paddock.it.Coordinator;
import dev.paddock.it.PaddockCoordinator;
import java.nio.file.Path;

/**
 * SASL-secured znodes on Paddock: the broker logs in with DIGEST-MD5 (opcode 102, answered from the JAAS
 * "Server" section as ZooKeeper answers it) and its znodes carry sasl:kafka ACLs.
 */
class SecuredZooKeeperOnPaddockTest extends SecuredZooKeeperSuite {
    @Override
    Coordinator startCoordinator(Path dir) throws Exception {
        return PaddockCoordinator.start(dir);
    }
}
