package dev.paddock.server.quorum;

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
import java.util.TreeMap;

/**
 * A whole ensemble in one thread: simulated clock, network (loss, duplication, delay and so reordering,
 * partitions), disks (slow fsyncs, crashes that lose what was not durable) and clients. After every event
 * it checks the safety invariants; {@link #run} then heals everything and checks progress. Deterministic
 * for a seed: a failure names the seed and prints the last events.
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
        long acknowledged;
        long epochs;

        @Override
        public String toString() {
            return "diffs " + diffs + ", truncations " + truncations + ", snapshots " + snapshots + ", crashes "
                    + crashes + ", partitions " + partitions + ", acknowledged writes " + acknowledged
                    + ", epochs " + epochs;
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
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private final Map<Integer, Node> nodes = new LinkedHashMap<>();
    private final ArrayDeque<String> trace = new ArrayDeque<>();
    private long now;
    private long eventSeq;
    private boolean chaos = true;
    private boolean writing = true;
    private Set<Integer> isolated = new HashSet<>();

    /** The one true history: zxid to the digest after applying it; every member must agree with it. */
    private final TreeMap<Long, Long> canonical = new TreeMap<>();
    private final Map<Long, Integer> leaderOfEpoch = new HashMap<>();
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

    /** One member's process: its durable storage survives crashes, everything else is rebuilt. */
    private final class Node implements Host {
        final int id;
        final SimStorage disk = new SimStorage();
        Member member;
        boolean up;
        int incarnation;
        long appliedZxid;
        long digest;
        boolean flushScheduled;

        Node(int id) {
            this.id = id;
            disk.onAppend = this::scheduleFlush;
        }

        void start() {
            up = true;
            incarnation++;
            appliedZxid = disk.base();
            digest = disk.snapshotDigest;
            flushScheduled = false;
            member = new Member(id, config, disk, this, new SplittableRandom(random.nextLong()), disk.base());
        }

        void crash() {
            up = false;
            disk.crash();
            member = null;
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
                long durable = disk.flush();
                member.persisted(durable);
            });
        }

        @Override
        public void send(int to, Message message) {
            deliver(id, to, message);
        }

        @Override
        public void apply(Entry entry) {
            if (entry.zxid() <= appliedZxid) {
                fail("member " + id + " applied " + Zxid.hex(entry.zxid()) + " after " + Zxid.hex(appliedZxid));
            }
            Long skipped = canonical.higherKey(appliedZxid);
            if (skipped != null && skipped < entry.zxid()) {
                fail("member " + id + " skipped committed " + Zxid.hex(skipped) + " going from "
                        + Zxid.hex(appliedZxid) + " to " + Zxid.hex(entry.zxid()));
            }
            digest = chain(digest, entry);
            appliedZxid = entry.zxid();
            note("member " + id + " applied " + Zxid.hex(entry.zxid()));
            Long expected = canonical.putIfAbsent(entry.zxid(), digest);
            if (expected != null && expected != digest) {
                fail("member " + id + " diverged at " + Zxid.hex(entry.zxid()));
            }
            long writeId = ByteBuffer.wrap(entry.payload()).getLong();
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

        @Override
        public Snapshot snapshot() {
            return new Snapshot(appliedZxid, ByteBuffer.allocate(8).putLong(digest).array());
        }

        @Override
        public void install(Snapshot snapshot) {
            long d = ByteBuffer.wrap(snapshot.state()).getLong();
            Long expected = canonical.get(snapshot.zxid());
            if (expected != null && expected != d) {
                fail("member " + id + " installed a snapshot that diverges at " + Zxid.hex(snapshot.zxid()));
            }
            appliedZxid = snapshot.zxid();
            digest = d;
            disk.snapshotDigest = d;
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
        this.config = new QuorumConfig(v, o, 10, 5, counterLimit);
        this.faults = faults;
        for (int id : config.everyone()) {
            nodes.put(id, new Node(id));
        }
    }

    static long chain(long digest, Entry e) {
        long h = digest * 0x9E3779B97F4A7C15L + e.zxid();
        for (byte b : e.payload()) {
            h = (h ^ b) * 0x100000001B3L;
        }
        return h ^ (h >>> 29);
    }

    private static String describe(Message.Linked l) {
        String body = l.body().getClass().getSimpleName();
        if (l.body() instanceof Message.Sync sync) {
            body += "[trunc " + Zxid.hex(sync.truncateTo()) + (sync.snapshot() == null ? "" : " snap "
                    + Zxid.hex(sync.snapshot().zxid())) + " " + sync.entries().size() + " entries"
                    + (sync.entries().isEmpty() ? "" : " from " + Zxid.hex(sync.entries().get(0).zxid())) + "]";
        } else if (l.body() instanceof Message.LearnerInfo || l.body() instanceof Message.AckEpoch
                || l.body() instanceof Message.NewLeader || l.body() instanceof Message.Ack
                || l.body() instanceof Message.LeaderInfo || l.body() instanceof Message.UpToDate) {
            body = l.body().toString();
        }
        return body + "#" + l.seq() + " link " + Long.toHexString(l.link()).substring(0, 4);
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
            String what = message instanceof Message.Linked l ? describe(l) : message.toString();
            at(now + delay, "deliver " + from + "->" + to + " " + what, () -> {
                Node n = nodes.get(to);
                if (n.up && isolated.contains(from) == isolated.contains(to)) {
                    if (message instanceof Message.Linked l && l.body() instanceof Message.Sync sync) {
                        if (sync.snapshot() != null) {
                            coverage.snapshots++;
                        } else if (sync.truncateTo() >= 0) {
                            coverage.truncations++;
                        } else {
                            coverage.diffs++;
                        }
                    }
                    n.member.receive(from, message);
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
            sb.append("  ").append(n.up ? n.member : "member " + n.id + " down").append('\n');
        }
        throw new AssertionError(sb.toString());
    }

    private void checkLeaders() {
        for (Node n : nodes.values()) {
            if (n.up && n.member.isServingLeader()) {
                Integer previous = leaderOfEpoch.putIfAbsent(n.member.epoch(), n.id);
                if (previous != null && previous != n.id) {
                    fail("two leaders in epoch " + n.member.epoch() + ": " + previous + " and " + n.id);
                }
            }
        }
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
                n.disk.compact(n.appliedZxid, n.digest);
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
        // Progress: once healed, a quorum that can talk elects a leader and commits new writes.
        if (ackedWrites.size() == ackedBefore) {
            fail("no write acknowledged after healing");
        }
        // Convergence: let outstanding work finish with no new writes, then every member agrees.
        writing = false;
        runUntil(chaosMs + healMs + QUIET_MS);
        Node leader = null;
        for (Node n : nodes.values()) {
            if (n.member.isServingLeader()) {
                leader = n;
            }
        }
        if (leader == null) {
            fail("no serving leader after healing");
        }
        for (Node n : nodes.values()) {
            if (!n.member.isServing()) {
                fail("member " + n.id + " is not serving after healing");
            }
            if (n.appliedZxid != leader.appliedZxid) {
                fail("member " + n.id + " applied " + Zxid.hex(n.appliedZxid) + " but the leader applied "
                        + Zxid.hex(leader.appliedZxid));
            }
        }
        coverage.acknowledged += ackedWrites.size();
        coverage.epochs += leaderOfEpoch.size();
        for (Map.Entry<Long, Long> acked : ackedWrites.entrySet()) {
            if (!canonical.containsKey(acked.getValue())) {
                fail("acknowledged write " + acked.getKey() + " at " + Zxid.hex(acked.getValue()) + " lost");
            }
        }
    }

    private void runUntil(long endMs) {
        while (!events.isEmpty() && events.peek().time() <= endMs) {
            Event e = events.poll();
            now = e.time();
            note(e.label());
            try {
                e.action().run();
            } catch (dev.paddock.server.fault.Invariants.InvariantViolation v) {
                fail("a member broke an invariant: " + v.getMessage());
            }
            checkLeaders();
        }
        now = endMs;
    }

    int acknowledged() {
        return ackedWrites.size();
    }

    long maxEpoch() {
        return leaderOfEpoch.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
    }
}
