package dev.paddock.server.request;

import dev.paddock.server.stats.ServerStats;
import dev.paddock.wire.OpCode;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One connection's statistics as ZooKeeper's {@code cons} lists them: packets received and sent, the last
 * operation answered (its four-letter name, cxid, zxid, when and how fast) and the latencies of its
 * answers. {@code crst} resets them as ZooKeeper does (no operation, cxid and zxid -1). The counters may
 * be read from any thread; the rest is touched only on the request thread.
 */
public final class ConnectionStats {
    /** What {@code lop} says before the first answer and after a reset. */
    static final String NO_OPERATION = "NA";

    private final long establishedWallMs;
    private final ServerStats server;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private String lastOp = NO_OPERATION;
    private long lastCxid = -1;
    private long lastZxid;
    private long lastResponseMs;
    private long lastLatencyMs;
    private long minLatencyMs = Long.MAX_VALUE;
    private long maxLatencyMs;
    private long latencyCount;
    private long latencyTotalMs;

    ConnectionStats(long establishedWallMs, ServerStats server) {
        this.establishedWallMs = establishedWallMs;
        this.server = server;
    }

    /** ZooKeeper's short name of an operation in {@code lop} (getChildren and getChildren2 share GETC). */
    static String opName(int type) {
        OpCode op = OpCode.of(type);
        if (op == null) {
            return NO_OPERATION;
        }
        return switch (op) {
            case PING -> "PING";
            case CREATE_SESSION -> "SESS";
            case MULTI -> "MULT";
            case MULTI_READ -> "MLTR";
            case CREATE, CREATE2, CREATE_TTL, CREATE_CONTAINER -> "CREA";
            case DELETE, DELETE_CONTAINER -> "DELE";
            case SET_DATA -> "SETD";
            case RECONFIG -> "RECO";
            case SET_ACL -> "SETA";
            case CLOSE_SESSION -> "CLOS";
            case SYNC -> "SYNC";
            case CHECK -> "CHEC";
            case EXISTS -> "EXIS";
            case GET_DATA -> "GETD";
            case SET_WATCHES -> "SETW";
            case SET_WATCHES2 -> "STW2";
            case ADD_WATCH -> "ADDW";
            case GET_ACL -> "GETA";
            case GET_CHILDREN, GET_CHILDREN2 -> "GETC";
            case GET_ALL_CHILDREN_NUMBER -> "GETACN";
            case CHECK_WATCHES -> "CHKW";
            case REMOVE_WATCHES -> "REMW";
            case WHO_AM_I -> "HOMI";
            case GET_EPHEMERALS -> "GETE";
            default -> NO_OPERATION;
        };
    }

    /** Counts for the server too; a reset (crst) clears only the connection's counts. */
    void countReceived() {
        received.incrementAndGet();
        server.received();
    }

    void countSent() {
        sent.incrementAndGet();
        server.sent();
    }

    /** An answer left: {@code cxid} is the request's xid (negative xids, pings and auth, are not kept). */
    void answered(int cxid, long zxid, String op, long receivedAtMs, long nowMs) {
        if (cxid >= 0) {
            lastCxid = cxid;
        }
        lastZxid = zxid;
        lastOp = op;
        lastResponseMs = nowMs;
        long latencyMs = Math.max(0, nowMs - receivedAtMs);
        lastLatencyMs = latencyMs;
        minLatencyMs = Math.min(minLatencyMs, latencyMs);
        maxLatencyMs = Math.max(maxLatencyMs, latencyMs);
        latencyCount++;
        latencyTotalMs += latencyMs;
    }

    /** {@code crst}. */
    void reset() {
        received.set(0);
        sent.set(0);
        lastOp = NO_OPERATION;
        lastCxid = -1;
        lastZxid = -1;
        lastResponseMs = 0;
        lastLatencyMs = 0;
        minLatencyMs = Long.MAX_VALUE;
        maxLatencyMs = 0;
        latencyCount = 0;
        latencyTotalMs = 0;
    }

    public long establishedWallMs() {
        return establishedWallMs;
    }

    public long received() {
        return received.get();
    }

    public long sent() {
        return sent.get();
    }

    public String lastOp() {
        return lastOp;
    }

    /** -1 until a request with a non-negative xid is answered (cons then leaves lcxid out). */
    public long lastCxid() {
        return lastCxid;
    }

    public long lastZxid() {
        return lastZxid;
    }

    /** Monotonic milliseconds, as ZooKeeper's {@code lresp} (elapsed time, not wall time). */
    public long lastResponseMs() {
        return lastResponseMs;
    }

    public long lastLatencyMs() {
        return lastLatencyMs;
    }

    public long minLatencyMs() {
        return latencyCount == 0 ? 0 : minLatencyMs;
    }

    public long maxLatencyMs() {
        return maxLatencyMs;
    }

    /** Whole milliseconds, as ZooKeeper prints {@code avglat}. */
    public long avgLatencyMs() {
        return latencyCount == 0 ? 0 : latencyTotalMs / latencyCount;
    }
}
