package dev.paddock.server.status;

/**
 * What one member said about itself (srvr's fields), or why it said nothing.
 *
 * @param role        srvr's Mode (leader, follower, observer, standalone), or "-" when it did not answer
 * @param zxid        the last zxid it processed, -1 when unknown
 * @param avgLatency  average request latency in ms, -1 when unknown
 * @param maxLatency  largest request latency in ms, -1 when unknown
 * @param problem     null when it answered; else "unreachable" or "not serving"
 * @param source      how it was read: "srvr", "admin" (the AdminServer), or "" when it was not
 */
public record MemberReport(MemberTarget target, String role, long zxid, long connections, long outstanding,
                           double avgLatency, long maxLatency, String problem, String source) {
    public static final String UNREACHABLE = "unreachable";
    public static final String NOT_SERVING = "not serving";

    static MemberReport failed(MemberTarget target, String problem) {
        return new MemberReport(target, "-", -1, -1, -1, -1, -1, problem, "");
    }

    public boolean answered() {
        return problem == null;
    }
}
