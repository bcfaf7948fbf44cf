package dev.paddock.server.quorum;

import dev.paddock.server.fault.Invariants.InvariantViolation;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A whole ensemble in one thread: simulated clock, network (loss, duplication, delay and so reordering,
 * partitions), disks (slow fsyncs, crashes that lose what was not durable) and clients. After every event
 * it checks the safety invariants of {@link EnsembleChecks}; {@link #run} then heals everything and checks
 * progress and convergence. Deterministic for a seed: a failure names the seed, the invariant and the last
 * events.
 */
final class Simulation {
    static final long TICK_MS = 100;
    private static final long QUIET_MS = 5_000;
    private static final int TRACE_LENGTH = Integer.getInteger("quorum.trace", 200);

    /** What the schedules exercised, summed over runs, so the test can show its faults actually happen. */
    static final class Coverage {
        long diffs;
        long truncations;
        long snapshots;
        long crashes;
        long partitions;
        long snapshotChunks;
        long entryBatches;
        long acknowledged;
        long epochs;
        long reconfigsAsked;
        long reconfigsApplied;

        @Override
        public String toString() {
            return "diffs " + diffs + ", truncations " + truncations + ", snapshots " + snapshots + " (in "
                    + snapshotChunks + " chunks), more entries " + entryBatches + ", crashes " + crashes
                    + ", partitions " + partitions + ", acknowledged writes " + acknowledged + ", epochs " + epochs
                    + ", reconfigs asked " + reconfigsAsked + ", configurations in force " + reconfigsApplied;
        }
    }

    /** Knobs of one schedule. */
    record Faults(double dropRate, double duplicateRate, long maxDelayMs, long maxFsyncMs, double crashRate,
                  double partitionRate, double compactRate) {
    }

    private final long seed;
    private final Coverage coverage;
    private final SplittableRandom random;
    private final QuorumConfig config;
    private final Faults faults;
    /** Chance per tick that a client asks for a new configuration (0: the membership never changes). */
    private double reconfigRate;
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private final Map<Integer, Node> nodes = new LinkedHashMap<>();
    private final EnsembleChecks checks;
    private final ArrayDeque<String> trace = new ArrayDeque<>();
    private long now;
    private long eventSeq;
    private boolean chaos = true;
    private boolean writing = true;
    private Set<Integer> isolated = new HashSet<>();

    /** Client writes by id: the member they were sent to, and whether they were acknowledged. */
    private final Map<Long, Integer> pendingWrites = new HashMap<>();
    private final Map<Long, Long> ackedWrites = new HashMap<>();
    private long nextWriteId = 1;

    private record Event(long time, long seq, Runnable action, String label) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            return time != o.time ? Long.compare(time, o.time) : Long.compare(seq, o.seq);
        }
    }

    /** One member's process, with fsyncs that complete after a random delay. */
    private final class Node extends SimulatedMember {
        boolean flushScheduled;

        Node(int id) {
            super(id, Simulation.this.checks);
            disk.onAppend = this::scheduleFlush;
        }

        void start() {
            flushScheduled = false;
            start(initialConfigOf(id), new SplittableRandom(random.nextLong()));
        }

        void scheduleFlush() {
            if (flushScheduled) {
                return;
            }
            flushScheduled = true;
            int inc = incarnation;
            at(now + 1 + (faults.maxFsyncMs() > 0 ? random.nextLong(faults.maxFsyncMs()) : 0), "fsync " + id, () -> {
                if (!up || incarnation != inc) {
                    return;
                }
                flushScheduled = false;
                flush();
            });
        }

        @Override
        public void send(int to, Message message) {
            deliver(id, to, message);
        }

        @Override
        void onApplied(Entry entry) {
            note("member " + id + " applied " + Zxid.hex(entry.zxid()));
            long writeId = writeIdOf(entry);
            Integer origin = pendingWrites.get(writeId);
            if (origin != null && origin == id) {
                pendingWrites.remove(writeId);
                ackedWrites.put(writeId, entry.zxid());
            }
        }

        @Override
        public void roleChanged(Role role, int leaderId, long epoch) {
            note("member " + id + " " + role + " leader " + leaderId + " epoch " + epoch + " last "
                    + Zxid.hex(disk.lastZxid()) + " durable " + Zxid.hex(disk.durableZxid()) + " accepted "
                    + disk.acceptedEpoch);
        }
    }

    Simulation(long seed, int voters, int observers, Faults faults, long counterLimit, Coverage coverage) {
        this.seed = seed;
        this.coverage = coverage;
        this.random = new SplittableRandom(seed);
        Set<Integer> v = new HashSet<>();
        Set<Integer> o = new HashSet<>();
        for (int i = 1; i <= voters; i++) {
            v.add(i);
        }
        for (int i = voters + 1; i <= voters + observers; i++) {
            o.add(i);
        }
        // Tiny sync messages, so snapshots of a few dozen bytes span several chunks and syncs several entry
        // batches (drawn from their own random, leaving the schedule's draws alone).
        SplittableRandom sizes = new SplittableRandom(seed * 31 + 17);
        this.config = new QuorumConfig(v, o, 10, 5, counterLimit, 1 + sizes.nextInt(16), 1 + sizes.nextInt(200));
        this.faults = faults;
        this.checks = new EnsembleChecks(config, nodes::values);
        int padding = sizes.nextInt(48);
        for (int id : config.everyone()) {
            Node n = new Node(id);
            n.snapshotPadding = padding;
            nodes.put(id, n);
        }
    }

    /**
     * Adds {@code spares} servers no configuration lists yet, each started as a voter joining ZooKeeper's way
     * (its own config: the voters and itself), and lets clients ask for random new configurations at
     * {@code rate} per tick: crashes, partitions and compaction then mix with membership changes.
     */
    Simulation withReconfigs(int spares, double rate) {
        this.reconfigRate = rate;
        int next = config.everyone().isEmpty() ? 1 : config.everyone().last() + 1;
        int padding = nodes.values().iterator().next().snapshotPadding;
        for (int i = 0; i < spares; i++) {
            Node n = new Node(next + i);
            n.snapshotPadding = padding;
            nodes.put(n.id, n);
        }
        return this;
    }

    private QuorumConfig initialConfigOf(int id) {
        if (config.everyone().contains(id)) {
            return config;
        }
        Set<Integer> voters = new HashSet<>(config.voters());
        voters.add(id);
        return config.withMembers(new Roster(0, voters, config.observers()));
    }

    /** A client asks a serving member for a random configuration of the simulation's servers. */
    private void askReconfig() {
        List<Node> serving = new ArrayList<>();
        for (Node n : nodes.values()) {
            if (n.up && n.member.isServing()) {
                serving.add(n);
            }
        }
        if (serving.isEmpty()) {
            return;
        }
        List<Integer> ids = new ArrayList<>(nodes.keySet());
        java.util.Collections.shuffle(ids, new java.util.Random(random.nextLong()));
        int voterCount = 1 + random.nextInt(Math.min(5, ids.size()));
        Set<Integer> voters = new HashSet<>(ids.subList(0, voterCount));
        Set<Integer> observers = new HashSet<>();
        for (int id : ids.subList(voterCount, ids.size())) {
            if (random.nextInt(3) == 0) {
                observers.add(id);
            }
        }
        Node n = serving.get(random.nextInt(serving.size()));
        long id = nextWriteId++;
        if (n.member.submit(SimReconfig.ask(id, random.nextLong(), voters, observers))) {
            pendingWrites.put(id, n.id);
            coverage.reconfigsAsked++;
            note("member " + n.id + " asked for voters " + voters + " observers " + observers);
        }
    }

    private void note(String what) {
        if (trace.size() == TRACE_LENGTH) {
            trace.poll();
        }
        trace.add(now + "ms   " + what);
    }

    private void at(long time, String label, Runnable action) {
        events.add(new Event(time, eventSeq++, action, label));
    }

    private void deliver(int from, int to, Message message) {
        if (chaos && random.nextDouble() < faults.dropRate()) {
            return;
        }
        int copies = chaos && random.nextDouble() < faults.duplicateRate() ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            long delay = 1 + (faults.maxDelayMs() > 0 ? random.nextLong(faults.maxDelayMs()) : 0);
            at(now + delay, "deliver " + from + "->" + to + " " + MessageText.of(message), () -> {
                Node n = nodes.get(to);
                if (n.up && isolated.contains(from) == isolated.contains(to)) {
                    Message.Body body = message instanceof Message.Linked l ? l.body() : null;
                    if (body instanceof Message.Sync sync) {
                        if (sync.snapshot() != null) {
                            coverage.snapshots++;
                        } else if (sync.truncateTo() >= 0) {
                            coverage.truncations++;
                        } else {
                            coverage.diffs++;
                        }
                    } else if (body instanceof Message.SnapshotChunk) {
                        coverage.snapshotChunks++;
                    } else if (body instanceof Message.SyncEntries) {
                        coverage.entryBatches++;
                    }
                    n.receive(from, message);
                }
            });
        }
    }

    private void fail(String why) {
        StringBuilder sb = new StringBuilder("seed " + seed + " (rerun with -Dquorum.seed=" + seed + "): " + why
                + "\nlast events:\n");
        for (String t : trace) {
            sb.append("  ").append(t).append('\n');
        }
        for (Node n : nodes.values()) {
            sb.append("  ").append(n).append('\n');
        }
        throw new AssertionError(sb.toString());
    }

    private void tickAll() {
        for (Node n : nodes.values()) {
            if (n.up) {
                n.member.tick();
            }
        }
        for (Node n : nodes.values()) {
            if (n.up) {
                n.member.electionTick();
            }
        }
        if (chaos) {
            randomFault();
            if (reconfigRate > 0 && random.nextDouble() < reconfigRate) {
                askReconfig();
            }
        }
        clientWrite();
        at(now + TICK_MS, "tick", this::tickAll);
    }

    private void randomFault() {
        List<Node> all = new ArrayList<>(nodes.values());
        Node n = all.get(random.nextInt(all.size()));
        double r = random.nextDouble();
        if (r < faults.crashRate()) {
            if (n.up) {
                note("crash " + n.id + " durable " + Zxid.hex(n.disk.durableZxid()) + " last "
                        + Zxid.hex(n.disk.lastZxid()));
                n.crash();
                coverage.crashes++;
                if (random.nextBoolean()) {
                    // Usually the peers' TCP connections to a crashed process close soon after.
                    long resetMs = 1 + random.nextLong(50);
                    for (Node other : nodes.values()) {
                        at(now + resetMs, "connection from " + n.id + " closed at " + other.id, () -> {
                            if (other.up) {
                                other.member.peerDisconnected(n.id);
                            }
                        });
                    }
                }
                long downMs = TICK_MS * (1 + random.nextInt(30));
                at(now + downMs, "restart " + n.id, () -> {
                    if (!n.up) {
                        n.start();
                    }
                });
            }
        } else if (r < faults.crashRate() + faults.partitionRate()) {
            isolated = new HashSet<>();
            coverage.partitions++;
            int size = 1 + random.nextInt(Math.max(1, nodes.size() / 2));
            for (int i = 0; i < size; i++) {
                isolated.add(all.get(random.nextInt(all.size())).id);
            }
            at(now + TICK_MS * (5 + random.nextInt(40)), "heal partition", () -> isolated = new HashSet<>());
        } else if (r < faults.crashRate() + faults.partitionRate() + faults.compactRate()) {
            if (n.up) {
                n.compact();
            }
        }
    }

    private void clientWrite() {
        if (!writing) {
            return;
        }
        List<Node> up = new ArrayList<>();
        for (Node n : nodes.values()) {
            if (n.up && n.member.isServing()) {
                up.add(n);
            }
        }
        if (up.isEmpty()) {
            return;
        }
        int writes = random.nextInt(4);
        for (int i = 0; i < writes; i++) {
            Node n = up.get(random.nextInt(up.size()));
            long id = nextWriteId++;
            byte[] payload = ByteBuffer.allocate(16).putLong(id).putLong(random.nextLong()).array();
            if (n.member.submit(payload)) {
                pendingWrites.put(id, n.id);
            }
        }
    }

    /** Runs the chaos phase, then heals everything and requires progress and convergence. */
    void run(long chaosMs, long healMs) {
        for (Node n : nodes.values()) {
            n.start();
        }
        at(TICK_MS, "tick", this::tickAll);
        runUntil(chaosMs);
        chaos = false;
        isolated = new HashSet<>();
        for (Node n : nodes.values()) {
            if (!n.up) {
                n.start();
            }
        }
        long ackedBefore = ackedWrites.size();
        runUntil(chaosMs + healMs);
        if (ackedWrites.size() == ackedBefore) {
            fail("ProgressAfterHealing: no write acknowledged after healing");
        }
        // Let outstanding work finish with no new writes, then every member agrees.
        writing = false;
        runUntil(chaosMs + healMs + QUIET_MS);
        checkConvergence();
        coverage.acknowledged += ackedWrites.size();
        coverage.reconfigsApplied += checks.votersFrom.size() - 1;
        coverage.epochs += checks.leaderOfEpoch.size();
    }

    /** Liveness once healed, and what the whole run must have kept. */
    private void checkConvergence() {
        Node leader = null;
        for (Node n : nodes.values()) {
            if (n.member.isServingLeader()) {
                leader = n;
            }
        }
        if (leader == null) {
            fail("ConvergenceAfterHealing: no serving leader after healing");
        }
        // Every member of the configuration in force serves and agrees; a server no configuration lists any
        // more (or yet) follows as a non-voting participant when it can find the leader, and then agrees too.
        Set<Integer> inForce = leader.member.configInForce().everyone();
        for (Node n : nodes.values()) {
            if (!n.member.isServing()) {
                if (!inForce.contains(n.id)) {
                    continue;
                }
                fail("ConvergenceAfterHealing: member " + n.id + " is not serving after healing");
            }
            if (n.appliedZxid != leader.appliedZxid) {
                fail("ConvergenceAfterHealing: member " + n.id + " applied " + Zxid.hex(n.appliedZxid)
                        + " but the leader applied " + Zxid.hex(leader.appliedZxid));
            }
        }
        for (Map.Entry<Long, Long> acked : ackedWrites.entrySet()) {
            // Every member applied the one chain up to the leader's point, so the write is in every state.
            if (!checks.canonical.containsKey(acked.getValue()) || acked.getValue() > leader.appliedZxid) {
                fail("AcknowledgedWritesSurvive: acknowledged write " + acked.getKey() + " at "
                        + Zxid.hex(acked.getValue()) + " lost");
            }
        }
        try {
            checks.converged();
        } catch (EnsembleChecks.Violation v) {
            fail(v.getMessage());
        }
    }

    private void runUntil(long endMs) {
        while (!events.isEmpty() && events.peek().time() <= endMs) {
            Event e = events.poll();
            now = e.time();
            note(e.label());
            try {
                e.action().run();
                checks.afterEvent();
            } catch (EnsembleChecks.Violation v) {
                fail(v.getMessage());
            } catch (InvariantViolation v) {
                fail("a member broke one of its own invariants: " + v.getMessage());
            }
        }
        now = endMs;
    }

    int acknowledged() {
        return ackedWrites.size();
    }

    long maxEpoch() {
        return checks.leaderOfEpoch.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
    }
}
