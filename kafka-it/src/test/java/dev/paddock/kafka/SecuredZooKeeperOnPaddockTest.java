package dev.paddock.kafka;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;

/**
 * SASL-secured znodes on Paddock. Known gap, so not in the default run. To a sasl request (opcode 102,
 * GetSASLRequest with an empty token) ZooKeeper 3.9.5 answers a 20-byte frame: err 0 and a
 * SetSASLResponse body (token length -1 when it has no SASL configured, a DIGEST-MD5 challenge when it
 * has). Paddock answers a 16-byte frame: err -6 (UNIMPLEMENTED) and no body. While SASL is in progress
 * the Java client (3.8.4, ClientCnxn.readResponse) reads every reply as a GetSASLRequest token whatever
 * its err, so it fails with an EOFException, drops the connection and reconnects with the same session
 * forever; the broker never registers. Run with {@code -Dkafka-it.excludedGroups=none}.
 */
@Tag("known-gap")
class SecuredZooKeeperOnPaddockTest extends SecuredZooKeeperSuite {
    @Override
    Coordinator startCoordinator(Path dir) throws Exception {
        return PaddockCoordinator.start(dir);
    }
}
