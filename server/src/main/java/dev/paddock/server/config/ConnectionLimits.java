package dev.paddock.server.config;

/**
 * What one client connection may cost the server, and how many there may be.
 *
 * @param maxCnxns             ZooKeeper's {@code maxCnxns} (zoo.cfg, or the system property
 *                             {@code zookeeper.maxCnxns}): connections open at once, 0 for no limit
 * @param sessionlessTimeoutMs ZooKeeper's {@code zookeeper.nio.sessionlessCnxnTimeout} (default 10 s): a
 *                             connection that has not sent its handshake by then is closed
 * @param maxQueuedBytes       Paddock's {@code maxClientQueuedBytes} (zoo.cfg, or the system property
 *                             {@code paddock.maxClientQueuedBytes}): the most reply and watch-event bytes
 *                             queued for one connection that its client has not read; past it the
 *                             connection is closed (the session lives on; its client reconnects and sets
 *                             its watches again). ZooKeeper has no such bound.
 * @param throttle             ZooKeeper's connection throttle ({@code connection_throttle_*}), off by default
 * @param requests             ZooKeeper's request throttle and global outstanding limit ({@link RequestLimits})
 */
public record ConnectionLimits(int maxCnxns, int sessionlessTimeoutMs, int maxQueuedBytes, ThrottleSettings throttle,
                               RequestLimits requests) {
    public static final int DEFAULT_SESSIONLESS_TIMEOUT_MS = 10_000;
    /** 32 MiB: 32 replies of the largest size jute.maxbuffer allows by default, or ~30,000 1 KiB events. */
    public static final int DEFAULT_MAX_QUEUED_BYTES = 32 * 1024 * 1024;

    public static ConnectionLimits defaults() {
        return new ConnectionLimits(0, DEFAULT_SESSIONLESS_TIMEOUT_MS, DEFAULT_MAX_QUEUED_BYTES, ThrottleSettings.off(),
                RequestLimits.defaults());
    }
}
