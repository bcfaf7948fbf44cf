package dev.paddock.server.admin;

import dev.paddock.server.session.SessionTracker;
import dev.paddock.server.time.Clock;
import dev.paddock.server.tree.StateMachine;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * dump as ZooKeeper 3.9.5 prints it: the session tracker, the ephemeral nodes by session, then the
 * connections. Where sessions expire is decided (standalone, leader) the tracker is shown as ZooKeeper's
 * expiry queue, deadlines with their sessions ("Session Sets (buckets)/(sessions):"); a follower or
 * observer shows the sessions it tracks with their timeouts ("Global Sessions(n):"), as ZooKeeper's
 * learners do. With local sessions the local ones come first, as an expiry queue prefixed "Local ", and the
 * leader's global queue is prefixed "Global ". The connections part is what ZooKeeper prints with its Netty connection factory (Paddock's
 * transport): the heading alone. Request thread only.
 */
final class DumpText {
    private final StateMachine stateMachine;
    private final SessionTracker sessions;
    private final ServerView server;
    private final Clock clock;

    DumpText(StateMachine stateMachine, SessionTracker sessions, ServerView server, Clock clock) {
        this.stateMachine = stateMachine;
        this.sessions = sessions;
        this.server = server;
        this.clock = clock;
    }

    /**
     * What dump shows, taken on the request thread: the expiry queue where this member decides expiry
     * (null on a follower or observer, which show {@code timeouts} instead), and the ephemerals by session.
     */
    record Dump(SortedMap<Long, List<Long>> byDeadline, Map<Long, Integer> timeouts,
                Map<Long, Set<String>> ephemerals, SortedMap<Long, List<Long>> localByDeadline) {
    }

    Dump collect() {
        String mode = server.mode();
        boolean learner = mode.equals("follower") || mode.equals("observer");
        boolean local = server.localSessionsEnabled();
        return new Dump(learner ? null : local ? sessions.sessionsByDeadline(false) : sessions.sessionsByDeadline(),
                learner ? Map.copyOf(sessions.globalTimeouts()) : null,
                ephemerals(), local ? sessions.sessionsByDeadline(true) : null);
    }

    String text(Dump d) {
        StringBuilder sb = new StringBuilder("SessionTracker dump:\n");
        if (d.localByDeadline() != null) {
            sb.append("Local ");
            expiryQueue(sb, d.localByDeadline());
        }
        if (d.byDeadline() == null) {
            globalSessions(sb, d.timeouts());
        } else {
            if (d.localByDeadline() != null) {
                sb.append("Global ");
            }
            expiryQueue(sb, d.byDeadline());
        }
        sb.append("ephemeral nodes dump:\n");
        sb.append("Sessions with Ephemerals (").append(d.ephemerals().size()).append("):\n");
        d.ephemerals().forEach((id, paths) -> {
            sb.append("0x").append(Long.toHexString(id)).append(":\n");
            for (String path : paths) {
                sb.append('\t').append(path).append('\n');
            }
        });
        sb.append("Connections dump:\n");
        return sb.toString();
    }

    /**
     * The AdminServer's dump: deadlines (this server's monotonic ms, as ZooKeeper gives its own elapsed-time
     * deadlines) to session ids, and session ids to ephemeral paths. A learner has no expiry queue: empty,
     * as a ZooKeeper learner's.
     */
    static Map<String, Object> json(Dump d) {
        Map<String, Object> expiry = new LinkedHashMap<>();
        if (d.byDeadline() != null) {
            d.byDeadline().forEach((deadline, ids) -> expiry.put(Long.toString(deadline), List.copyOf(ids)));
        }
        Map<String, Object> ephemerals = new LinkedHashMap<>();
        d.ephemerals().forEach((id, paths) -> ephemerals.put(Long.toString(id), List.copyOf(paths)));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("expiry_time_to_session_ids", expiry);
        m.put("session_id_to_ephemeral_paths", ephemerals);
        return m;
    }

    private void expiryQueue(StringBuilder sb, SortedMap<Long, List<Long>> byDeadline) {
        int count = 0;
        for (List<Long> ids : byDeadline.values()) {
            count += ids.size();
        }
        sb.append("Session Sets (").append(byDeadline.size()).append(")/(").append(count).append("):\n");
        long wallMinusMonotonicMs = clock.wallMs() - clock.monotonicMs();
        for (Map.Entry<Long, List<Long>> e : byDeadline.entrySet()) {
            sb.append(e.getValue().size()).append(" expire at ")
                    .append(new Date(e.getKey() + wallMinusMonotonicMs)).append(":\n");
            for (long id : e.getValue()) {
                sb.append("\t0x").append(Long.toHexString(id)).append('\n');
            }
        }
    }

    private static void globalSessions(StringBuilder sb, Map<Long, Integer> timeouts) {
        sb.append("Global Sessions(").append(timeouts.size()).append("):\n");
        timeouts.forEach((id, timeoutMs) -> sb.append("0x").append(Long.toHexString(id)).append('\t')
                .append(timeoutMs).append("ms\n"));
    }

    /** Sessions holding ephemeral nodes, each with its paths. */
    private Map<Long, Set<String>> ephemerals() {
        Map<Long, Set<String>> owned = new TreeMap<>();
        for (long id : stateMachine.sessions().keySet()) {
            Set<String> paths = stateMachine.tree().ephemerals(id);
            if (!paths.isEmpty()) {
                owned.put(id, new java.util.LinkedHashSet<>(paths));
            }
        }
        return owned;
    }
}
