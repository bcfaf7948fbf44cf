package dev.paddock.server.admin;

import dev.paddock.server.session.SessionTracker;
import dev.paddock.server.time.Clock;
import dev.paddock.server.tree.StateMachine;
import java.util.Date;
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
 * learners do. The connections part is what ZooKeeper prints with its Netty connection factory (Paddock's
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

    String text() {
        StringBuilder sb = new StringBuilder("SessionTracker dump:\n");
        String mode = server.mode();
        if (mode.equals("follower") || mode.equals("observer")) {
            globalSessions(sb);
        } else {
            expiryQueue(sb);
        }
        sb.append("ephemeral nodes dump:\n");
        ephemerals(sb);
        sb.append("Connections dump:\n");
        return sb.toString();
    }

    private void expiryQueue(StringBuilder sb) {
        SortedMap<Long, List<Long>> byDeadline = sessions.sessionsByDeadline();
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

    private void globalSessions(StringBuilder sb) {
        Map<Long, Integer> timeouts = sessions.timeouts();
        sb.append("Global Sessions(").append(timeouts.size()).append("):\n");
        timeouts.forEach((id, timeoutMs) -> sb.append("0x").append(Long.toHexString(id)).append('\t')
                .append(timeoutMs).append("ms\n"));
    }

    /** Sessions holding ephemeral nodes, each with its paths. */
    private void ephemerals(StringBuilder sb) {
        Map<Long, Set<String>> owned = new TreeMap<>();
        for (long id : stateMachine.sessions().keySet()) {
            Set<String> paths = stateMachine.tree().ephemerals(id);
            if (!paths.isEmpty()) {
                owned.put(id, paths);
            }
        }
        sb.append("Sessions with Ephemerals (").append(owned.size()).append("):\n");
        owned.forEach((id, paths) -> {
            sb.append("0x").append(Long.toHexString(id)).append(":\n");
            for (String path : paths) {
                sb.append('\t').append(path).append('\n');
            }
        });
    }
}
