package dev.paddock.server.fault;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unexpected exceptions confined to one client connection (decoding its frames, building or writing its
 * answers): the connection is closed and the server carries on, as ZooKeeper closes a connection it cannot
 * serve. Bad input should never get this far, so each one is logged as an error and counted; the fuzz test
 * requires the count to stay at zero. For failures that leave the server's state untrustworthy see
 * {@link FatalFaults}.
 */
public final class ConnectionFaults {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionFaults.class);
    private static final AtomicLong COUNT = new AtomicLong();

    private ConnectionFaults() {
    }

    /** Logs the failure of the connection from {@code remoteAddress}; the caller closes it. */
    public static void closing(String remoteAddress, String what, Throwable cause) {
        COUNT.incrementAndGet();
        LOG.error("Closing connection from {} after an unexpected error {}", remoteAddress, what, cause);
    }

    /** How many connections were closed after an unexpected exception since the JVM started. */
    public static long count() {
        return COUNT.get();
    }
}
