package dev.paddock.server.session;

import dev.paddock.server.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Liveness of sessions: each one has a deadline, rounded up to the next tick as ZooKeeper's expiry queue
 * rounds it, pushed forward by every request or ping. Decides expiry; the expiry of a global session goes
 * through the log as a closeSession entry. A local session ({@code localSessionsEnabled}, and every session of
 * a read-only member) lives here only: never logged, never reported to the leader, expired by this server on
 * its own, until {@link #makeGlobal} makes it an ordinary session. Used only on the request thread.
 */
public final class SessionTracker {
    /**
     * The seed mask ZooKeeper mixes into a session's password. Passwords are derived as ZooKeeper derives
     * them (a {@link java.util.Random} seeded with the id xor this mask, 16 bytes), so a session created by
     * ZooKeeper (an imported data directory, a client moving over during a migration) is accepted here with
     * the password ZooKeeper gave it. Like ZooKeeper's, this only proves the client was told the password;
     * it was never a secret (the value is public in both code bases).
     */
    private static final long PASSWORD_SEED_MASK = 0xB3415C00L;

    private final Clock clock;
    private final int tickTimeMs;
    private final Map<Long, Session> sessions = new HashMap<>();
    /** Deadline (ms, tick-aligned) to the sessions due then. */
    private final TreeMap<Long, Map<Long, Session>> buckets = new TreeMap<>();
    /** The sessions that live on this server only (a subset of {@link #sessions}). */
    private final java.util.Set<Long> local = new java.util.HashSet<>();
    private long nextSessionId;
    /** Sessions touched since the last report to the leader; null unless this server reports touches. */
    private java.util.Set<Long> touchedSinceReport;

    public SessionTracker(Clock clock, int tickTimeMs, long serverId) {
        this.clock = clock;
        this.tickTimeMs = tickTimeMs;
        // ZooKeeper's layout: the server id in the top byte, then time, so ids differ across restarts.
        this.nextSessionId = ((clock.wallMs() << 24) >>> 8) | (serverId << 56);
    }

    public static final class Session {
        final long id;
        int timeoutMs;
        long deadlineMs;

        Session(long id, int timeoutMs) {
            this.id = id;
            this.timeoutMs = timeoutMs;
        }

        public long id() {
            return id;
        }

        public int timeoutMs() {
            return timeoutMs;
        }
    }

    public long newSessionId() {
        return nextSessionId++;
    }

    public static byte[] passwordFor(long sessionId) {
        byte[] password = new byte[16];
        new java.util.Random(sessionId ^ PASSWORD_SEED_MASK).nextBytes(password);
        return password;
    }

    public void add(long sessionId, int timeoutMs) {
        Session s = new Session(sessionId, timeoutMs);
        sessions.put(sessionId, s);
        touch(s);
    }

    /** Tracks a session that lives on this server only; its id comes from {@link #newSessionId}, so it is unique. */
    public void addLocal(long sessionId, int timeoutMs) {
        local.add(sessionId);
        add(sessionId, timeoutMs);
    }

    public boolean isLocal(long sessionId) {
        return local.contains(sessionId);
    }

    /** The session is global from now on (its createSession entry is on its way through the log). */
    public void makeGlobal(long sessionId) {
        if (local.remove(sessionId)) {
            touch(sessionId);
        }
    }

    public int localCount() {
        return local.size();
    }

    /** The local sessions, for a server that drops them all when it stops serving or changes its serving mode. */
    public List<Long> localSessions() {
        return new ArrayList<>(local);
    }

    public Session get(long sessionId) {
        return sessions.get(sessionId);
    }

    public boolean isAlive(long sessionId) {
        return sessions.containsKey(sessionId);
    }

    /** Pushes the deadline forward; false when the session is unknown (expired or closed). */
    public boolean touch(long sessionId) {
        Session s = sessions.get(sessionId);
        if (s == null) {
            return false;
        }
        touch(s);
        return true;
    }

    public boolean touch(long sessionId, int newTimeoutMs) {
        Session s = sessions.get(sessionId);
        if (s == null) {
            return false;
        }
        s.timeoutMs = newTimeoutMs;
        touch(s);
        return true;
    }

    public void remove(long sessionId) {
        Session s = sessions.remove(sessionId);
        local.remove(sessionId);
        if (s != null) {
            unbucket(s);
        }
    }

    /** Sessions whose deadline has passed; they stay tracked until {@link #remove}. */
    public List<Long> expired() {
        long now = clock.monotonicMs();
        List<Long> result = new ArrayList<>();
        for (Iterator<Map.Entry<Long, Map<Long, Session>>> it = buckets.headMap(now, true).entrySet().iterator();
             it.hasNext(); ) {
            result.addAll(it.next().getValue().keySet());
            it.remove();
        }
        return result;
    }

    /**
     * The local sessions whose deadline has passed, for a server that does not decide the expiry of global
     * sessions (the leader does): they leave the deadline index and stay tracked until {@link #remove}.
     */
    public List<Long> expiredLocal() {
        long now = clock.monotonicMs();
        List<Long> result = new ArrayList<>();
        for (Iterator<Map.Entry<Long, Map<Long, Session>>> it = buckets.headMap(now, true).entrySet().iterator();
             it.hasNext(); ) {
            Map<Long, Session> bucket = it.next().getValue();
            bucket.keySet().removeIf(id -> local.contains(id) && result.add(id));
            if (bucket.isEmpty()) {
                it.remove();
            }
        }
        return result;
    }

    /** Global sessions tracked here (the local ones excluded). */
    public java.util.Set<Long> globalSessionIds() {
        java.util.Set<Long> ids = new java.util.HashSet<>(sessions.keySet());
        ids.removeAll(local);
        return ids;
    }

    public int count() {
        return sessions.size();
    }

    public Map<Long, Integer> timeouts() {
        Map<Long, Integer> result = new TreeMap<>();
        sessions.forEach((id, s) -> result.put(id, s.timeoutMs));
        return result;
    }

    /** The sessions by deadline (monotonic ms, tick-aligned), earliest first: a copy, for {@code dump}. */
    public java.util.SortedMap<Long, List<Long>> sessionsByDeadline() {
        java.util.SortedMap<Long, List<Long>> result = new TreeMap<>();
        buckets.forEach((deadline, bucket) -> result.put(deadline, new ArrayList<>(bucket.keySet())));
        return result;
    }

    /** {@link #sessionsByDeadline()} of the local sessions only ({@code local}) or of the global ones only. */
    public java.util.SortedMap<Long, List<Long>> sessionsByDeadline(boolean localOnes) {
        java.util.SortedMap<Long, List<Long>> result = new TreeMap<>();
        buckets.forEach((deadline, bucket) -> {
            List<Long> ids = new ArrayList<>();
            for (long id : bucket.keySet()) {
                if (local.contains(id) == localOnes) {
                    ids.add(id);
                }
            }
            if (!ids.isEmpty()) {
                result.put(deadline, ids);
            }
        });
        return result;
    }

    /** {@link #timeouts()} of the global sessions only. */
    public Map<Long, Integer> globalTimeouts() {
        Map<Long, Integer> result = new TreeMap<>();
        sessions.forEach((id, s) -> {
            if (!local.contains(id)) {
                result.put(id, s.timeoutMs);
            }
        });
        return result;
    }

    /** Starts recording touches for {@link #drainTouched()} (ensemble members do, for the leader). */
    public void recordTouches() {
        if (touchedSinceReport == null) {
            touchedSinceReport = new java.util.HashSet<>();
        }
    }

    public long[] drainTouched() {
        if (touchedSinceReport == null || touchedSinceReport.isEmpty()) {
            return new long[0];
        }
        long[] ids = touchedSinceReport.stream().mapToLong(Long::longValue).toArray();
        touchedSinceReport.clear();
        return ids;
    }

    /** A new leader gives every session a full timeout from now (docs/decisions.md decision 8). */
    public void restartAllDeadlines() {
        for (Session s : new ArrayList<>(sessions.values())) {
            touch(s);
        }
    }

    private void touch(Session s) {
        if (touchedSinceReport != null && !local.contains(s.id)) {
            touchedSinceReport.add(s.id);
        }
        unbucket(s);
        long deadline = roundUpToTick(clock.monotonicMs() + s.timeoutMs);
        s.deadlineMs = deadline;
        buckets.computeIfAbsent(deadline, k -> new HashMap<>()).put(s.id, s);
    }

    private void unbucket(Session s) {
        Map<Long, Session> bucket = buckets.get(s.deadlineMs);
        if (bucket != null) {
            bucket.remove(s.id);
            if (bucket.isEmpty()) {
                buckets.remove(s.deadlineMs);
            }
        }
    }

    private long roundUpToTick(long ms) {
        return (ms / tickTimeMs + 1) * tickTimeMs;
    }
}
