package dev.paddock.server.quorum;

import dev.paddock.server.fault.Invariants.InvariantViolation;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A few members on {@link SimStorage}, driven step by step by a test, in the manner of KRaft's
 * RaftClientTestContext and etcd raft's interaction tests. Nothing happens unless the script says so:
 *
 * <ul>
 *   <li>Network: every message sent waits in {@link #inFlight()} until the script delivers it
 *   ({@link #deliver}, {@link #deliverAll}), drops it ({@link #drop}) or keeps it back ({@link #hold}); a
 *   message to a member that is down, or across a partition ({@link #isolate}), is lost on delivery.</li>
 *   <li>Disks: appends become durable when the script flushes ({@link #flush}); {@link #holdFsync} keeps a
 *   member's fsync from happening in {@link #settle}. {@link #crash} loses what was not durable and closes
 *   the peers' connections; {@link #restart} starts the member from its disk.</li>
 *   <li>Time: {@link #tick} and {@link #electionTick}, only when asked for.</li>
 * </ul>
 *
 * Every member records what it did ({@link Node#events}) so a test can assert the order of effects, and
 * the {@link EnsembleChecks} invariants run after every step.
 */
final class ScriptedEnsemble {
    private static final int TRACE_LENGTH = 300;
    private static final int MAX_STEPS = 100_000;

    /** A message on the wire. */
    record Envelope(long seq, int from, int to, Message message) {
        Message.Body body() {
            return message instanceof Message.Linked l ? l.body() : null;
        }

        @Override
        public String toString() {
            return from + "->" + to + " " + MessageText.of(message);
        }
    }

    static Predicate<Envelope> from(int id) {
        return e -> e.from() == id;
    }

    static Predicate<Envelope> to(int id) {
        return e -> e.to() == id;
    }

    static Predicate<Envelope> body(Class<? extends Message.Body> type) {
        return e -> type.isInstance(e.body());
    }

    static Predicate<Envelope> newLeaderAck() {
        return e -> e.body() instanceof Message.Ack a && a.newLeader();
    }

    static Predicate<Envelope> anything() {
        return e -> true;
    }

    /** One member: sends go to the scripted network, fsyncs wait for the script. */
    final class Node extends SimulatedMember {
        boolean fsyncHeld;
        final List<String> events = new ArrayList<>();
        final List<Role> roles = new ArrayList<>();

        Node(int id) {
            super(id, ScriptedEnsemble.this.checks);
            disk.onEpochRecorded = epoch -> {
                events.add("epoch " + epoch + " recorded, durable " + Zxid.hex(disk.durableZxid()));
                checks.epochRecorded(this, epoch);
            };
        }

        @Override
        public void send(int to, Message message) {
            Envelope e = new Envelope(nextSeq++, id, to, message);
            if (message instanceof Message.Linked) {
                events.add("sent " + MessageText.of(e.body()) + " to " + to);
            }
            inFlight.add(e);
            sent.add(e);
        }

        @Override
        void onFlushed(long durable) {
            events.add("durable " + Zxid.hex(durable));
        }

        @Override
        void onApplied(Entry entry) {
            events.add("applied " + Zxid.hex(entry.zxid()));
            Long writeId = writeIdOf(entry);
            if (origins.get(writeId) != null && origins.get(writeId) == id) {
                acknowledged.put(writeId, entry.zxid());
            }
        }

        @Override
        public void install(Snapshot snapshot) {
            events.add("installed snapshot " + Zxid.hex(snapshot.zxid()));
            super.install(snapshot);
        }

        @Override
        public void roleChanged(Role role, int leaderId, long epoch) {
            roles.add(role);
            events.add(role + " leader " + leaderId + " epoch " + epoch);
        }

        /** Events since (and including) the first one starting with {@code prefix}. */
        List<String> eventsFrom(String prefix) {
            for (int i = events.size() - 1; i >= 0; i--) {
                if (events.get(i).startsWith(prefix)) {
                    return events.subList(i, events.size());
                }
            }
            return List.of();
        }
    }

    private final QuorumConfig config;
    private final Map<Integer, Node> nodes = new LinkedHashMap<>();
    final EnsembleChecks checks;
    private final SplittableRandom random = new SplittableRandom(7);
    private final List<Envelope> inFlight = new ArrayList<>();
    private final List<Envelope> sent = new ArrayList<>();
    private final List<Predicate<Envelope>> holds = new ArrayList<>();
    private final Set<Integer> isolated = new HashSet<>();
    private final ArrayDeque<String> trace = new ArrayDeque<>();
    private final Map<Long, Integer> origins = new LinkedHashMap<>();
    /** Acknowledged client writes: write id to zxid, recorded when the member the client used applied it. */
    final Map<Long, Long> acknowledged = new LinkedHashMap<>();
    private long nextSeq;
    private long nextWriteId = 1;

    ScriptedEnsemble(QuorumConfig config) {
        this.config = config;
        this.checks = new EnsembleChecks(config, nodes::values);
        for (int id : config.everyone()) {
            nodes.put(id, new Node(id));
        }
    }

    /** {@code voters} voting members numbered from 1, syncLimit 5 and initLimit 10 ticks, no rollover. */
    static ScriptedEnsemble ofVoters(int voters) {
        return new ScriptedEnsemble(config(voters, Long.MAX_VALUE));
    }

    static QuorumConfig config(int voters, long counterLimit) {
        Set<Integer> ids = new HashSet<>();
        for (int i = 1; i <= voters; i++) {
            ids.add(i);
        }
        return new QuorumConfig(ids, Set.of(), 10, 5, counterLimit);
    }

    Node node(int id) {
        return nodes.get(id);
    }

    QuorumConfig config() {
        return config;
    }

    // ---- steps ----------------------------------------------------------------------------------------

    private void step(String what, Runnable action) {
        if (trace.size() == TRACE_LENGTH) {
            trace.poll();
        }
        trace.add(what);
        try {
            action.run();
            checks.afterEvent();
        } catch (EnsembleChecks.Violation | InvariantViolation v) {
            throw new AssertionError(v.getMessage() + "\n" + describe(), v);
        }
    }

    /** Starts every member. */
    ScriptedEnsemble startAll() {
        for (Node n : nodes.values()) {
            restart(n.id);
        }
        return this;
    }

    void restart(int id) {
        Node n = node(id);
        step("start " + id, () -> n.start(config, new SplittableRandom(random.nextLong())));
    }

    /** The member's process dies, losing what was not durable; its peers see the connection close. */
    void crash(int id) {
        Node n = node(id);
        step("crash " + id + " durable " + Zxid.hex(n.disk.durableZxid()) + " last " + Zxid.hex(n.disk.lastZxid()),
                n::crash);
        for (Node other : nodes.values()) {
            if (other.up) {
                step("connection from " + id + " closed at " + other.id, () -> other.member.peerDisconnected(id));
            }
        }
    }

    void holdFsync(int id) {
        node(id).fsyncHeld = true;
    }

    /** Lets the member's fsyncs happen again and performs the one that waited. */
    void releaseFsync(int id) {
        node(id).fsyncHeld = false;
        flush(id);
    }

    /** The member's fsync completes now (held or not). */
    void flush(int id) {
        Node n = node(id);
        if (n.up && n.disk.hasUnflushed()) {
            step("fsync " + id, n::flush);
        }
    }

    void tick() {
        for (Node n : nodes.values()) {
            if (n.up) {
                step("tick " + n.id, () -> n.member.tick());
            }
        }
    }

    void tick(int times) {
        for (int i = 0; i < times; i++) {
            tick();
        }
    }

    void electionTick() {
        for (Node n : nodes.values()) {
            if (n.up) {
                step("election tick " + n.id, () -> n.member.electionTick());
            }
        }
    }

    /** Messages between {@code ids} and everyone else are lost until {@link #heal}. */
    void isolate(int... ids) {
        for (int id : ids) {
            isolated.add(id);
        }
    }

    void heal() {
        isolated.clear();
    }

    // ---- the network ----------------------------------------------------------------------------------

    List<Envelope> inFlight() {
        return List.copyOf(inFlight);
    }

    /** Forgets what was sent so far, so {@link #sent} answers "since now". */
    void forgetSent() {
        sent.clear();
    }

    /** Everything sent (since {@link #forgetSent}), in order. */
    List<Envelope> sent(Predicate<Envelope> which) {
        return sent.stream().filter(which).toList();
    }

    /** Keeps matching messages in flight, away from {@link #deliverAll} and {@link #settle}, until released. */
    void hold(Predicate<Envelope> which) {
        holds.add(which);
    }

    void releaseHolds() {
        holds.clear();
    }

    private boolean held(Envelope e) {
        for (Predicate<Envelope> p : holds) {
            if (p.test(e)) {
                return true;
            }
        }
        return false;
    }

    /** Delivers, in order, the messages in flight now that match (held or not); returns how many. */
    int deliver(Predicate<Envelope> which) {
        List<Envelope> now = inFlight.stream().filter(which).toList();
        for (Envelope e : now) {
            deliverOne(e);
        }
        return now.size();
    }

    private void deliverOne(Envelope e) {
        inFlight.remove(e);
        Node n = node(e.to());
        boolean cut = isolated.contains(e.from()) != isolated.contains(e.to());
        if (!n.up || cut) {
            trace.add("lost " + e);
            return;
        }
        step("deliver " + e, () -> n.receive(e.from(), e.message()));
    }

    /** Delivers the oldest message not held; false when there is none. */
    boolean deliverNext() {
        for (Envelope e : inFlight) {
            if (!held(e)) {
                deliverOne(e);
                return true;
            }
        }
        return false;
    }

    /** Delivers until only held messages are in flight. */
    int deliverAll() {
        int count = 0;
        while (deliverNext()) {
            if (++count > MAX_STEPS) {
                throw new AssertionError("the network never went quiet\n" + describe());
            }
        }
        return count;
    }

    /** Drops matching messages in flight; returns how many. */
    int drop(Predicate<Envelope> which) {
        List<Envelope> now = inFlight.stream().filter(which).toList();
        inFlight.removeAll(now);
        for (Envelope e : now) {
            trace.add("dropped " + e);
        }
        return now.size();
    }

    /** Performs one fsync that is due and not held; false when there is none. */
    private boolean flushNext() {
        for (Node n : nodes.values()) {
            if (n.up && !n.fsyncHeld && n.disk.hasUnflushed()) {
                flush(n.id);
                return true;
            }
        }
        return false;
    }

    /** Delivers messages and performs fsyncs (except held ones) until nothing more happens without time. */
    void settle() {
        for (int i = 0; i < MAX_STEPS; i++) {
            if (!deliverNext() && !flushNext()) {
                return;
            }
        }
        throw new AssertionError("the ensemble never settled\n" + describe());
    }

    /**
     * Settles, then advances time (an election tick, then a tick) until {@code condition} holds, checking
     * it after every message and fsync; fails after {@code maxTicks} ticks.
     */
    void runUntil(BooleanSupplier condition, int maxTicks) {
        for (int t = 0; t <= maxTicks; t++) {
            for (int i = 0; i < MAX_STEPS; i++) {
                if (condition.getAsBoolean()) {
                    return;
                }
                if (!deliverNext() && !flushNext()) {
                    break;
                }
            }
            if (condition.getAsBoolean()) {
                return;
            }
            electionTick();
            tick();
        }
        throw new AssertionError("condition not reached within " + maxTicks + " ticks\n" + describe());
    }

    // ---- composite steps and observations ---------------------------------------------------------------

    /** The member serving as leader, or -1. */
    int leader() {
        for (Node n : nodes.values()) {
            if (n.up && n.member.isServingLeader()) {
                return n.id;
            }
        }
        return -1;
    }

    /** True when a leader serves and every member that is up serves with it. */
    boolean allServing() {
        int leader = leader();
        if (leader < 0) {
            return false;
        }
        for (Node n : nodes.values()) {
            if (n.up && (!n.member.isServing() || n.member.leaderId() != leader)) {
                return false;
            }
        }
        return true;
    }

    /** Runs elections and syncs until every member that is up serves under one leader; returns the leader. */
    int electLeader() {
        runUntil(this::allServing, 40);
        settle();
        return leader();
    }

    /** A client write at member {@code at}; returns its write id, or -1 when the member refused it. */
    long write(int at) {
        long writeId = nextWriteId++;
        byte[] payload = ByteBuffer.allocate(16).putLong(writeId).putLong(random.nextLong()).array();
        boolean[] taken = new boolean[1];
        step("write " + writeId + " at " + at, () -> taken[0] = node(at).member.submit(payload));
        if (!taken[0]) {
            return -1;
        }
        origins.put(writeId, at);
        return writeId;
    }

    /** {@code count} writes at member {@code at}, each settled (delivered, durable, committed). */
    List<Long> writeAndSettle(int at, int count) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long id = write(at);
            if (id < 0) {
                throw new AssertionError("member " + at + " refused a write\n" + describe());
            }
            ids.add(id);
            settle();
        }
        return ids;
    }

    /** The zxid of an acknowledged write, or null. */
    Long zxidOf(long writeId) {
        return acknowledged.get(writeId);
    }

    /** The highest zxid acknowledged to a client. */
    long lastAcknowledged() {
        return acknowledged.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    String describe() {
        StringBuilder sb = new StringBuilder("last steps:\n");
        for (String t : trace) {
            sb.append("  ").append(t).append('\n');
        }
        sb.append("in flight:\n");
        for (Envelope e : inFlight) {
            sb.append("  ").append(e).append(held(e) ? " (held)" : "").append('\n');
        }
        for (Node n : nodes.values()) {
            sb.append("  ").append(n).append('\n');
        }
        return sb.toString();
    }
}
