package dev.paddock.server.status;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ensemble at a glance: every member's report with its lag behind the leader, and one verdict, healthy
 * or degraded with the reasons ("member 3 unreachable", "member 2 lags by 12000", "no leader").
 *
 * <p>Lag is counted in zxids of the leader's epoch: the leader's last zxid minus the member's when both are in
 * the same epoch; the leader's counter when the member is still in an older epoch (it lacks at least every
 * entry of this one). The members are read one after another, so a member under load may show a small lag
 * that was never real; {@code maxLag} is how much is tolerated before the verdict says degraded.
 */
public record EnsembleReport(List<Row> rows, List<String> problems) {
    /** Lag in zxids tolerated by default before a member counts as lagging. */
    public static final long DEFAULT_MAX_LAG = 1000;

    /** One member: what it said, and its lag (-1 when unknown: it or the leader did not answer). */
    public record Row(MemberReport report, long lag) {
    }

    public static EnsembleReport of(List<MemberReport> reports, long maxLag) {
        List<MemberReport> leaders = reports.stream()
                .filter(r -> r.answered() && (r.role().equals("leader") || r.role().equals("standalone"))).toList();
        MemberReport leader = leaders.size() == 1 ? leaders.get(0) : null;
        List<Row> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (MemberReport r : reports) {
            if (!r.answered()) {
                problems.add("member " + r.target().id() + " " + r.problem());
            }
        }
        if (leaders.isEmpty()) {
            problems.add("no leader");
        } else if (leaders.size() > 1) {
            problems.add("several leaders: members " + String.join(", ",
                    leaders.stream().map(l -> Integer.toString(l.target().id())).toList()));
        }
        long voters = reports.stream().filter(r -> !r.target().observer()).count();
        long servingVoters = reports.stream().filter(r -> !r.target().observer() && r.answered()).count();
        if (voters > 1 && servingVoters * 2 <= voters) {
            problems.add("no quorum: " + servingVoters + " of " + voters + " voters serving");
        }
        for (MemberReport r : reports) {
            long lag = leader == null ? -1 : lag(leader.zxid(), r);
            rows.add(new Row(r, lag));
            if (lag > maxLag) {
                problems.add("member " + r.target().id() + " lags by " + lag);
            }
        }
        return new EnsembleReport(List.copyOf(rows), List.copyOf(problems));
    }

    private static long lag(long leaderZxid, MemberReport member) {
        if (!member.answered() || leaderZxid < 0 || member.zxid() < 0) {
            return -1;
        }
        long leaderEpoch = leaderZxid >>> 32;
        long epoch = member.zxid() >>> 32;
        if (epoch == leaderEpoch) {
            return Math.max(0, leaderZxid - member.zxid());
        }
        return epoch < leaderEpoch ? leaderZxid & 0xffff_ffffL : 0;
    }

    public boolean healthy() {
        return problems.isEmpty();
    }

    /** The one-line verdict: "healthy", or "degraded: " and the reasons. */
    public String verdict() {
        return healthy() ? "healthy" : "degraded: " + String.join("; ", problems);
    }

    /** The same report as a JSON object (the AdminServer's ensemble_status). */
    public Map<String, Object> json() {
        List<Object> members = new ArrayList<>();
        for (Row row : rows) {
            MemberReport r = row.report();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", (long) r.target().id());
            m.put("address", r.target().address());
            m.put("voting", !r.target().observer());
            m.put("reachable", r.answered());
            m.put("problem", r.problem());
            m.put("role", r.answered() ? r.role() : null);
            m.put("last_zxid", r.zxid() < 0 ? null : "0x" + Long.toHexString(r.zxid()));
            m.put("lag", row.lag() < 0 ? null : row.lag());
            m.put("connections", r.connections() < 0 ? null : r.connections());
            m.put("outstanding_requests", r.outstanding() < 0 ? null : r.outstanding());
            m.put("avg_latency", r.avgLatency() < 0 ? null : r.avgLatency());
            m.put("max_latency", r.maxLatency() < 0 ? null : r.maxLatency());
            m.put("source", r.source());
            members.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("healthy", healthy());
        out.put("verdict", verdict());
        out.put("problems", problems);
        out.put("members", members);
        return out;
    }

    /** The table an operator reads, then the verdict line. */
    public String table() {
        String[] head = {"member", "address", "role", "last zxid", "lag", "conns", "outstanding", "latency avg/max", ""};
        List<String[]> lines = new ArrayList<>();
        lines.add(head);
        for (Row row : rows) {
            MemberReport r = row.report();
            lines.add(new String[] {
                r.target().id() + (r.target().observer() ? " (obs)" : ""), r.target().address(), r.role(),
                r.zxid() < 0 ? "-" : "0x" + Long.toHexString(r.zxid()), row.lag() < 0 ? "-" : Long.toString(row.lag()),
                r.connections() < 0 ? "-" : Long.toString(r.connections()),
                r.outstanding() < 0 ? "-" : Long.toString(r.outstanding()),
                r.avgLatency() < 0 ? "-" : String.format(java.util.Locale.ROOT, "%.1f/%d", r.avgLatency(), r.maxLatency()),
                r.answered() ? "" : r.problem()});
        }
        int[] width = new int[head.length];
        for (String[] l : lines) {
            for (int i = 0; i < l.length; i++) {
                width[i] = Math.max(width[i], l[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] l : lines) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < l.length; i++) {
                line.append(String.format("%-" + (width[i] + 2) + "s", l[i]));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.append(verdict()).append('\n').toString();
    }
}
