package dev.paddock.server.stats;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters shown by srvr, stat and mntr, updated by the request and network layers from any thread.
 * {@code srst} resets all of them, as ZooKeeper's resets its server statistics and every metric.
 */
public final class ServerStats {
    /** ZooKeeper's value of a response size before any response: none recorded. */
    public static final long NO_SIZE = -1;

    private volatile java.util.function.DoubleSupplier connectionDropChance = () -> 0.0;
    private final AtomicLong packetsReceived = new AtomicLong();
    private final AtomicLong packetsSent = new AtomicLong();
    private final AtomicLong bytesReceived = new AtomicLong();
    private final AtomicLong connectionRequests = new AtomicLong();
    private final AtomicLong connectionsRejected = new AtomicLong();
    /** ZooKeeper's request throttle: its waits, and the stale requests it let through or dropped. */
    private final AtomicLong requestThrottleWaits = new AtomicLong();
    private final AtomicLong staleRequests = new AtomicLong();
    private final AtomicLong staleRequestsDropped = new AtomicLong();
    private final AtomicLong throttledOps = new AtomicLong();
    private final Summary requestThrottleQueueTime = new Summary(true);
    private final AdminCommandStats adminCommands = new AdminCommandStats();
    /** ZooKeeper's quota_exceeded_error_per_namespace: a hash map of its kind, so mntr lists it in its order. */
    private final java.util.concurrent.ConcurrentHashMap<String, AtomicLong> quotaExceeded =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final Summary latency = new Summary(false);
    private final Summary readLatency = new Summary(true);
    private final Summary updateLatency = new Summary(true);
    private final Object sizesLock = new Object();
    private long lastResponseBytes = NO_SIZE;
    private long minResponseBytes = NO_SIZE;
    private long maxResponseBytes = NO_SIZE;
    /** When this member last took up a role (monotonic ms), -1 before the first: mntr's zk_uptime counts from it. */
    private volatile long roleStartedMs = -1;

    public void received() {
        packetsReceived.incrementAndGet();
    }

    public void sent() {
        packetsSent.incrementAndGet();
    }

    /** Bytes of a client packet, its length prefix included (a four-letter word counts 4). */
    public void bytesReceived(long bytes) {
        bytesReceived.addAndGet(bytes);
    }

    /** A handshake (connect request) received. */
    public void connectionRequest() {
        connectionRequests.incrementAndGet();
    }

    /** Where mntr's connection_drop_probability comes from: the connection throttle, when one runs. */
    public void connectionDropChance(java.util.function.DoubleSupplier chance) {
        connectionDropChance = chance;
    }

    public double connectionDropProbability() {
        return connectionDropChance.getAsDouble();
    }

    /** The request throttle waited for a request to end (or its stall time): request_throttle_wait_count. */
    public void requestThrottleWait() {
        requestThrottleWaits.incrementAndGet();
    }

    /** A stale request went on through the request throttle (drop_stale off): stale_requests. */
    public void staleRequest() {
        staleRequests.incrementAndGet();
    }

    /** The request throttle dropped a stale request: stale_requests_dropped. */
    public void staleRequestDropped() {
        staleRequestsDropped.incrementAndGet();
    }

    /** How long a request waited for the request throttle: request_throttle_queue_time_ms. */
    public void requestThrottleQueueTime(long ms) {
        requestThrottleQueueTime.add(ms);
    }

    /** A request answered ThrottledOp after waiting past throttled_op_wait_time: throttled_ops. */
    public void throttledOp() {
        throttledOps.incrementAndGet();
    }

    public long throttledOps() {
        return throttledOps.get();
    }

    public long requestThrottleWaits() {
        return requestThrottleWaits.get();
    }

    public long staleRequests() {
        return staleRequests.get();
    }

    public long staleRequestsDropped() {
        return staleRequestsDropped.get();
    }

    public Summary requestThrottleQueueTime() {
        return requestThrottleQueueTime;
    }

    /** The AdminServer's snapshot and restore counts. */
    public AdminCommandStats adminCommands() {
        return adminCommands;
    }

    /** A connection refused for maxClientCnxns, maxCnxns or the connection throttle. */
    public void connectionRejected() {
        connectionsRejected.incrementAndGet();
    }

    /**
     * One request answered, {@code update} when it was a transaction: srvr's latency counts every request,
     * mntr's zk_updatelatency the transactions and zk_readlatency the rest, as in ZooKeeper.
     */
    public void latency(long ms, boolean update) {
        latency.add(ms);
        (update ? updateLatency : readLatency).add(ms);
    }

    /** The size of an answer without its length prefix; 0 (nothing written) is not a response. */
    public void clientResponseSize(int bytes) {
        if (bytes <= 0) {
            return;
        }
        synchronized (sizesLock) {
            lastResponseBytes = bytes;
            minResponseBytes = minResponseBytes == NO_SIZE ? bytes : Math.min(minResponseBytes, bytes);
            maxResponseBytes = Math.max(maxResponseBytes, bytes);
        }
    }

    public long packetsReceived() {
        return packetsReceived.get();
    }

    public long packetsSent() {
        return packetsSent.get();
    }

    public long bytesReceived() {
        return bytesReceived.get();
    }

    public long connectionRequests() {
        return connectionRequests.get();
    }

    /** A write refused for a hard quota under {@code namespace} (the first component of its path). */
    public void quotaExceeded(String namespace) {
        quotaExceeded.computeIfAbsent(namespace, k -> new AtomicLong()).incrementAndGet();
    }

    /** Refusals per namespace, in the order mntr prints them. */
    public java.util.Map<String, Long> quotaExceededCounts() {
        java.util.Map<String, Long> counts = new java.util.LinkedHashMap<>();
        quotaExceeded.forEach((ns, n) -> counts.put(ns, n.get()));
        return counts;
    }

    public long connectionsRejected() {
        return connectionsRejected.get();
    }

    public long minLatencyMs() {
        return latency.min();
    }

    public long maxLatencyMs() {
        return latency.max();
    }

    /** The mean, rounded half up to 4 places as ZooKeeper rounds it. */
    public double avgLatencyMs() {
        return latency.avg();
    }

    public Summary readLatency() {
        return readLatency;
    }

    public Summary updateLatency() {
        return updateLatency;
    }

    public long lastResponseBytes() {
        synchronized (sizesLock) {
            return lastResponseBytes;
        }
    }

    public long minResponseBytes() {
        synchronized (sizesLock) {
            return minResponseBytes;
        }
    }

    public long maxResponseBytes() {
        synchronized (sizesLock) {
            return maxResponseBytes;
        }
    }

    /**
     * This member took up a role (leader, follower, observer, or standalone at start). ZooKeeper makes a new
     * server object for every role, with new statistics: packets received and sent, the request latency
     * (srvr's min/avg/max) and the client response sizes start again, and so does its uptime. Its other
     * metrics (bytes received, connection requests and refusals, the read and update latency summaries,
     * quota refusals) belong to the process and carry on; so do they here.
     */
    public void newRole(long nowMs) {
        roleStartedMs = nowMs;
        packetsReceived.set(0);
        packetsSent.set(0);
        latency.reset();
        synchronized (sizesLock) {
            lastResponseBytes = NO_SIZE;
            minResponseBytes = NO_SIZE;
            maxResponseBytes = NO_SIZE;
        }
    }

    /** When this member last took up a role (monotonic ms), or -1 when it has not yet. */
    public long roleStartedMs() {
        return roleStartedMs;
    }

    public void reset() {
        packetsReceived.set(0);
        packetsSent.set(0);
        bytesReceived.set(0);
        connectionRequests.set(0);
        connectionsRejected.set(0);
        requestThrottleWaits.set(0);
        staleRequests.set(0);
        staleRequestsDropped.set(0);
        throttledOps.set(0);
        requestThrottleQueueTime.reset();
        adminCommands.reset();
        // As ZooKeeper resets a counter set: every namespace seen stays listed, at 0.
        quotaExceeded.values().forEach(n -> n.set(0));
        latency.reset();
        readLatency.reset();
        updateLatency.reset();
        synchronized (sizesLock) {
            lastResponseBytes = NO_SIZE;
            minResponseBytes = NO_SIZE;
            maxResponseBytes = NO_SIZE;
        }
    }
}
