package dev.paddock.server.ensemble;

import dev.paddock.server.request.WritePath;
import dev.paddock.server.tree.ApplyResult;
import dev.paddock.server.tree.Change;
import dev.paddock.server.tree.CreateSessionRequest;
import dev.paddock.server.watch.EventType;
import dev.paddock.server.watch.WatchManager;
import dev.paddock.server.watch.Watcher;
import dev.paddock.wire.ErrorCode;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.proto.EmptyRequest;
import dev.paddock.wire.proto.Request;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The glue simulation's clients. Each one does what the server's request layer does for a real client,
 * straight against a member's {@link WritePath} and {@link dev.paddock.server.session.SessionTracker}: the
 * handshake of {@code SessionHandler.connect} (a new session is a createSession entry submitted through
 * the write path; a returning one needs the tracker to know it, and a server behind the client's last
 * seen zxid refuses it), pings that touch the session, conditional create, setData, delete and multi
 * writes, sync, and closeSession. Each connection holds a persistent recursive watch on "/" in the member's
 * {@link WatchManager}. A member that stops serving drops its clients, who move to another.
 *
 * <p>Every answer a member gives with a zxid is recorded as an {@link Ack} for the invariants: that zxid must
 * hold exactly that request, forever, on every member.
 */
final class SimClients {
    /** A member told a client that its request was committed at {@code zxid} with {@code result}. */
    record Ack(int clientId, long sessionId, Request request, long zxid, ApplyResult result, int memberId) {
        byte[] requestBytes() {
            return bytesOf(request);
        }
    }

    static byte[] bytesOf(Request request) {
        byte[] b = new byte[request.size()];
        request.write(JuteWriter.wrap(b));
        return b;
    }

    private final GlueSimulation sim;
    private final List<Client> clients = new ArrayList<>();
    private final List<Ack> acks = new ArrayList<>();
    private int connections;
    private long writes;

    SimClients(GlueSimulation sim, int count) {
        this.sim = sim;
        for (int i = 0; i < count; i++) {
            clients.add(new Client(i + 1));
        }
    }

    void start() {
        for (Client c : clients) {
            c.scheduleStep();
        }
    }

    /** Acknowledgements since the last call. */
    List<Ack> drainAcks() {
        if (acks.isEmpty()) {
            return List.of();
        }
        List<Ack> drained = new ArrayList<>(acks);
        acks.clear();
        return drained;
    }

    /** The sessions clients still hold: every other session must expire once the ensemble is quiet. */
    Set<Long> heldSessions() {
        Set<Long> held = new HashSet<>();
        for (Client c : clients) {
            if (c.sessionId != 0) {
                held.add(c.sessionId);
            }
        }
        return held;
    }

    /** What a client connected to a member that is still up still waits for: its connection must answer. */
    List<String> unanswered() {
        List<String> waiting = new ArrayList<>();
        for (Client c : clients) {
            if (c.node != null && c.node.up() && c.node.incarnation() == c.incarnation
                    && (c.outstandingWrites > 0 || c.outstandingSyncs > 0)) {
                waiting.add("client " + c.id + " on member " + c.node.id + ": " + c.outstandingWrites + " writes, "
                        + c.outstandingSyncs + " syncs");
            }
        }
        return waiting;
    }

    long writes() {
        return writes;
    }

    /** The member closed every client connection ({@code SessionHandler.closeAllConnections}). */
    void serverStoppedServing(SimNode node) {
        for (Client c : clients) {
            if (c.node == node) {
                c.disconnect("member " + node.id + " stopped serving");
            }
        }
    }

    /**
     * A connection's watch: events come in zxid order, and the event for a change comes before the answer
     * to the write that made it (the member fires watches as it applies, then answers).
     */
    private static final class ConnectionWatcher implements Watcher {
        private final int clientId;
        long lastZxid;

        ConnectionWatcher(int clientId) {
            this.clientId = clientId;
        }

        @Override
        public void sendEvent(EventType type, String path, long zxid) {
            if (zxid < lastZxid) {
                throw new GlueInvariant.Violation("WatchEventsComeInOrder", "client " + clientId + " got " + type
                        + " " + path + " at 0x" + Long.toHexString(zxid) + " after an event at 0x"
                        + Long.toHexString(lastZxid));
            }
            lastZxid = zxid;
        }
    }

    /** One client: at most one connection at a time, each with its own callbacks. */
    private final class Client {
        final int id;
        SimNode node;
        ConnectionWatcher watcher;
        int incarnation;
        int connection;
        boolean attached;
        long sessionId;
        int timeoutMs;
        long lastZxidSeen;
        int outstandingWrites;
        int outstandingSyncs;
        long nextCallbackIndex;
        long expectedCallbackIndex;
        long lastAnsweredZxid;
        final SimRequests requests;

        Client(int id) {
            this.id = id;
            this.requests = new SimRequests(id, sim.random());
        }

        void scheduleStep() {
            sim.scheduler().after(20 + sim.random().nextLong(180), null, () -> {
                step();
                scheduleStep();
            });
        }

        /** Whether a callback belongs to the connection the client still has. */
        boolean current(int conn) {
            return conn == connection && node != null && node.up() && node.incarnation() == incarnation;
        }

        void disconnect(String why) {
            if (node != null) {
                sim.scheduler().note("client " + id + " leaves member " + node.id + ": " + why);
            }
            if (node != null && watcher != null && node.up() && node.incarnation() == incarnation) {
                node.watches.removeAll(watcher); // as SessionHandler.detach does
            }
            watcher = null;
            node = null;
            attached = false;
            connection = ++connections;
            outstandingWrites = 0;
            outstandingSyncs = 0;
            expectedCallbackIndex = nextCallbackIndex;
        }

        void step() {
            if (node != null && !(node.up() && node.incarnation() == incarnation)) {
                disconnect("the connection broke");
            }
            if (node == null) {
                connect();
                return;
            }
            if (!attached) {
                return;
            }
            if (!node.tracker.touch(sessionId)) {
                // RequestHandler answers SESSION_EXPIRED to a session its tracker no longer knows.
                checkExpiredByTheLeader(node, sessionId);
                sim.coverage().sessionsFoundExpired++;
                disconnect("session 0x" + Long.toHexString(sessionId) + " expired");
                sessionId = 0;
                return;
            }
            if (sim.writing()) {
                act();
            }
        }

        private void act() {
            double r = sim.random().nextDouble();
            if (r < 0.02) {
                disconnect("moves on");
            } else if (r < 0.04) {
                closeSession();
            } else if (r < 0.10) {
                sync();
            } else if (r < 0.85 && outstandingWrites < 3) {
                write(requests.next());
            }
        }

        void connect() {
            List<SimNode> candidates = sim.upNodes();
            if (candidates.isEmpty()) {
                return;
            }
            SimNode n = candidates.get(sim.random().nextInt(candidates.size()));
            if (!n.serving()) {
                return; // closed at once, as by a member without a leader
            }
            if (lastZxidSeen > n.stateMachine.lastZxid()) {
                sim.coverage().refusedBehind++;
                return;
            }
            node = n;
            incarnation = n.incarnation();
            connection = ++connections;
            if (sessionId == 0) {
                if (!sim.writing()) {
                    disconnect("no new sessions while the ensemble settles");
                    return;
                }
                createSession();
            } else if (!n.tracker.isAlive(sessionId)) {
                checkExpiredByTheLeader(n, sessionId);
                sim.coverage().sessionsFoundExpired++;
                disconnect("session 0x" + Long.toHexString(sessionId) + " expired");
                sessionId = 0;
            } else {
                n.tracker.touch(sessionId, timeoutMs);
                attach();
            }
        }

        private void attach() {
            attached = true;
            watcher = new ConnectionWatcher(id);
            watcher.lastZxid = node.stateMachine.lastZxid();
            node.watches.addPersistentWatch("/", watcher, WatchManager.MODE_PERSISTENT_RECURSIVE);
        }

        /**
         * Only the leader decides that a session expired (decision 8); a member that does not lead may tell a
         * client so only once the close is in its own state machine, never while the session is still open
         * there.
         */
        private void checkExpiredByTheLeader(SimNode n, long sid) {
            if (!n.member.decidesExpiry() && n.stateMachine.sessions().containsKey(sid)) {
                throw new GlueInvariant.Violation("SessionsExpireOnlyThroughTheLeader", "member " + n.id + " told "
                        + "client " + id + " that session 0x" + Long.toHexString(sid) + " expired, but it is open in "
                        + "its state machine and the member does not lead");
            }
        }

        /** As {@code SessionHandler.connect} does for a client without a session. */
        private void createSession() {
            int timeout = 400 + sim.random().nextInt(800);
            long newId = node.tracker.newSessionId();
            node.tracker.add(newId, timeout);
            int conn = connection;
            CreateSessionRequest request = new CreateSessionRequest(timeout);
            int member = node.id;
            node.member.submit(newId, List.of(), request, c -> {
                record(member, newId, request, c);
                if (!current(conn)) {
                    return;
                }
                if (c.result().error() != ErrorCode.OK) {
                    sim.coverage().createSessionFailed++;
                    disconnect("createSession failed: " + c.result().error());
                    return;
                }
                sim.scheduler().note("client " + id + " has session 0x" + Long.toHexString(newId) + " on member "
                        + member);
                sessionId = newId;
                timeoutMs = timeout;
                lastZxidSeen = Math.max(lastZxidSeen, c.zxid());
                attach();
                sim.coverage().sessions++;
            });
        }

        /** As {@code SessionHandler.closeSession}: the tracker forgets it, then the close goes through the log. */
        private void closeSession() {
            long sid = sessionId;
            sim.scheduler().note("client " + id + " closes session 0x" + Long.toHexString(sid) + " on member "
                    + node.id);
            node.tracker.remove(sid);
            int member = node.id;
            node.member.submit(sid, List.of(), EmptyRequest.CLOSE_SESSION,
                    c -> record(member, sid, EmptyRequest.CLOSE_SESSION, c));
            sessionId = 0;
            disconnect("closed its session");
        }

        private void sync() {
            int conn = connection;
            outstandingSyncs++;
            node.member.sync(() -> {
                if (current(conn)) {
                    outstandingSyncs--;
                    sim.coverage().syncs++;
                }
            });
        }

        private void write(Request request) {
            int conn = connection;
            long sid = sessionId;
            long index = nextCallbackIndex++;
            outstandingWrites++;
            writes++;
            int member = node.id;
            node.member.submit(sid, List.of(), request, c -> {
                record(member, sid, request, c);
                if (!current(conn)) {
                    return;
                }
                outstandingWrites--;
                if (c.result().error() == ErrorCode.CONNECTION_LOSS) {
                    disconnect("connection loss");
                    return;
                }
                answered(index, c);
                requests.learn(request, c.result());
            });
        }

        /** A connection's writes are answered in the order they were sent, at increasing zxids. */
        private void answered(long index, WritePath.Committed c) {
            if (index != expectedCallbackIndex || c.zxid() <= lastAnsweredZxid) {
                throw new GlueInvariant.Violation("ClientAnswersInOrder", "client " + id + " got answer #" + index
                        + " at 0x" + Long.toHexString(c.zxid()) + " but expected #" + expectedCallbackIndex
                        + " after 0x" + Long.toHexString(lastAnsweredZxid));
            }
            expectedCallbackIndex++;
            lastAnsweredZxid = c.zxid();
            boolean fires = false;
            for (Change change : c.result().changes()) {
                fires |= change.kind() != Change.Kind.CHILDREN_CHANGED;
            }
            if (fires && watcher.lastZxid != c.zxid()) {
                throw new GlueInvariant.Violation("WatchEventsPrecedeAnswers", "client " + id + " was answered for"
                        + " its write at 0x" + Long.toHexString(c.zxid()) + " before the watch event of its change");
            }
            lastZxidSeen = Math.max(lastZxidSeen, c.zxid());
        }

        private void record(int member, long sid, Request request, WritePath.Committed c) {
            if (c.result().error() != ErrorCode.CONNECTION_LOSS) {
                acks.add(new Ack(id, sid, request, c.zxid(), c.result(), member));
            }
        }
    }
}
