package dev.paddock.server.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * ZooKeeper's per-session guarantee, which is all a plain read (no sync before it) promises: a session
 * never sees a key older than it has already seen or written. Taken in invocation order, because ZooKeeper
 * answers a session's requests in the order they were sent, so a read sent after a write sees it even when
 * both were in flight. Versions are compared within one incarnation of a node; when both answers carry a
 * czxid, a newer incarnation is newer whatever its version, and after the session saw the node absent it
 * may not see that incarnation again. Without czxids, seeing the node absent, creating or deleting it
 * starts over.
 */
final class SessionOrderCheck {
    /** The newest view of one key a session has had, and the operation that gave it. */
    private record Seen(long czxid, int version, RecordedOp by) {
        boolean newerThan(Seen other) {
            if (czxid >= 0 && other.czxid >= 0 && czxid != other.czxid) {
                return czxid > other.czxid;
            }
            return version > other.version;
        }
    }

    private SessionOrderCheck() {
    }

    /** Returns one line per violation. */
    static List<String> check(List<RecordedOp> ops) {
        Map<Integer, List<RecordedOp>> bySession = ops.stream().filter(RecordedOp::known)
                .sorted(Comparator.comparingLong(RecordedOp::invokeSeq))
                .collect(Collectors.groupingBy(RecordedOp::process, HashMap::new, Collectors.toList()));
        List<String> violations = new ArrayList<>();
        bySession.forEach((session, list) -> checkSession(list, violations));
        return violations;
    }

    private static void checkSession(List<RecordedOp> ops, List<String> violations) {
        Map<String, Seen> floors = new HashMap<>();
        for (RecordedOp o : ops) {
            String key = o.op().key();
            Seen floor = floors.get(key);
            Outcome out = o.outcome();
            if (out.showsVersion()) {
                Seen now = new Seen(out.czxid(), out.version(), o);
                boolean fresh = o.op().kind() == Operation.Kind.CREATE && out.czxid() < 0;
                if (floor != null && !fresh && floor.newerThan(now)) {
                    violations.add("session " + o.process() + " went back on " + key + ": " + o
                            + " after it had seen " + floor.by());
                }
                if (fresh || floor == null || now.newerThan(floor)) {
                    floors.put(key, now);
                }
            } else if (gone(o)) {
                // Absent now: only a newer incarnation may follow, which without a czxid we cannot tell.
                if (floor != null && floor.czxid() >= 0) {
                    floors.put(key, new Seen(floor.czxid(), Integer.MAX_VALUE, o));
                } else {
                    floors.remove(key);
                }
            }
        }
    }

    private static boolean gone(RecordedOp o) {
        Outcome out = o.outcome();
        return out.code() == Outcome.Code.NO_NODE
                || (o.op().kind() == Operation.Kind.DELETE && out.code() == Outcome.Code.OK);
    }
}
