package dev.paddock.server.config;

/**
 * How many requests the whole server takes in at once, with ZooKeeper 3.9's keys (system properties, or zoo.cfg
 * keys, which ZooKeeper copies to {@code zookeeper.<key>}).
 *
 * @param maxRequests            {@code zookeeper.request_throttle_max_requests}: at most this many requests between
 *                               their hand-over to the request thread and their end; later ones wait in
 *                               arrival order. 0 (the default) turns the throttle off
 * @param stallTimeMs            {@code zookeeper.request_throttle_stall_time} (100): the longest one wait lasts before
 *                               the waiting request is looked at again (staleness), unless a request ends sooner
 * @param dropStale              {@code zookeeper.request_throttle_drop_stale} (true): a waiting request that went stale
 *                               is dropped, its connection closed, and the rest of that connection's requests with it
 * @param staleConnectionCheck   {@code zookeeper.request_stale_connection_check} (true): a request whose connection
 *                               is closed is stale
 * @param staleLatencyCheck      {@code zookeeper.request_stale_latency_check} (false): a request that has waited
 *                               longer than its session's timeout is stale
 * @param globalOutstandingLimit {@code globalOutstandingLimit} (1000): while more requests than this are in
 *                               process, or waiting for the throttle, connections that send one stop being read
 * @param throttledOpWaitTimeMs  {@code zookeeper.throttled_op_wait_time} (0, off): a request that waited longer
 *                               for the throttle is answered ThrottledOp instead of served
 */
public record RequestLimits(int maxRequests, int stallTimeMs, boolean dropStale, boolean staleConnectionCheck,
                            boolean staleLatencyCheck, int globalOutstandingLimit, int throttledOpWaitTimeMs) {
    /** ZooKeeper's DEFAULT_GLOBAL_OUTSTANDING_LIMIT. */
    public static final int DEFAULT_GLOBAL_OUTSTANDING_LIMIT = 1000;
    public static final int DEFAULT_STALL_TIME_MS = 100;

    public static RequestLimits defaults() {
        return new RequestLimits(0, DEFAULT_STALL_TIME_MS, true, true, false, DEFAULT_GLOBAL_OUTSTANDING_LIMIT, 0);
    }

    /** As in ZooKeeper, any value of max_requests below 1 means no throttle. */
    public boolean throttling() {
        return maxRequests > 0;
    }
}
