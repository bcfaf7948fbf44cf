package dev.paddock.server.ensemble;

import dev.paddock.server.config.ConfigException;
import dev.paddock.server.config.ServerConfig;
import dev.paddock.server.fault.FatalFaults;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A whole ensemble of real {@link EnsembleMember}s in one thread (docs/decisions.md decision 4, for the glue):
 * the real state machine, watches, session tracker, entry payloads, write path callbacks, sync, snapshot
 * policy, copy-on-write captures, snapshot installs and the real {@code ReplicaLog}, over a simulated
 * network ({@link SimNetwork}), disk ({@link SimDisk}), request threads and clocks, driven by simulated
 * clients ({@link SimClients}). Everything random comes from the seed, so a failing seed reruns exactly.
 *
 * <p>A schedule runs in three phases: chaos (crashes, total outages, partitions, lost, duplicated and
 * delayed messages, slow fsyncs and snapshot writes, a request queue that is sometimes full), healing
 * (every member up, the network clean: the ensemble must commit new writes), and quiet (no new writes, so
 * everything in flight settles and abandoned sessions expire). The {@link GlueInvariant}s are checked after
 * every event and once more at the end.
 */
final class GlueSimulation {
    static final long TICK_MS = 100;
    static final long ELECTION_TICK_MS = 100;
    static final boolean EXTENDED_TYPES = false;
    private static final int TRACE_LENGTH = Integer.getInteger("glue.trace", 300);

    /** How hostile one schedule is. */
    record Faults(double dropRate, double duplicateRate, long maxDelayMs, long maxFsyncMs, long maxSnapshotWriteMs,
                  double crashRate, double outageRate, double partitionRate, double queueFullRate) {
    }

    /** What one schedule runs: the ensemble, its clients and its storage settings. */
    record Shape(int voters, int observers, int clients, int snapCount, long counterLimit) {
    }

    /** What the schedules reached, summed over runs, so the test shows its faults really happen. */
    static final class Coverage {
        long schedules;
        long events;
        long crashes;
        long outages;
        long partitions;
        long truncations;
        long snapshotsWritten;
        long snapshotsWrittenWhileServing;
        long snapSyncs;
        long snapSyncsDuringSnapshotWrite;
        long installs;
        long installsDuringSnapshotWrite;
        long acknowledged;
        long sessions;
        long sessionsFoundExpired;
        long createSessionFailed;
        long refusedBehind;
        long syncs;
        long snapCommands;
        long epochs;
        long entriesReadBack;

        @Override
        public String toString() {
            return schedules + " schedules, " + events + " events, " + crashes + " crashes, " + outages
                    + " outages, " + partitions + " partitions, " + truncations + " truncations, " + snapshotsWritten
                    + " snapshots written (" + snapshotsWrittenWhileServing + " while serving), " + snapSyncs
                    + " SNAP syncs (" + snapSyncsDuringSnapshotWrite + " sent during a snapshot write), " + installs + " installs (" + installsDuringSnapshotWrite
                    + " during a snapshot write), " + acknowledged + " acknowledged writes, " + sessions
                    + " sessions, " + sessionsFoundExpired + " found expired, " + createSessionFailed
                    + " failed createSessions, " + refusedBehind + " connections refused as behind, " + syncs
                    + " syncs, " + snapCommands + " snap commands, " + epochs + " epochs, " + entriesReadBack
                    + " entries read back from disk";
        }
    }

    private final long seed;
    private final SplittableRandom random;
    private final SimScheduler scheduler;
    private final Faults faults;
    private final Shape shape;
    private final Coverage coverage;
    private final List<SimDisk> disks = new java.util.ArrayList<>();
    private final ServerConfig config;
    private final Map<Integer, SimNode> nodes = new LinkedHashMap<>();
    private final SimNetwork network = new SimNetwork(this);
    private final SimClients clients;
    private final TreeDigestAgreesAtEqualZxid digests = new TreeDigestAgreesAtEqualZxid(EXTENDED_TYPES);
    private final AcknowledgedWritesSurvive acknowledged = new AcknowledgedWritesSurvive();
    private final SingleLeaderPerEpoch leaders = new SingleLeaderPerEpoch();
    private final List<GlueInvariant> invariants;
    private boolean chaos = true;
    private boolean writing = true;

    GlueSimulation(long seed, Shape shape, Faults faults, Coverage coverage, boolean printEvents) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.scheduler = new SimScheduler(TRACE_LENGTH, printEvents);
        this.faults = faults;
        this.shape = shape;
        this.coverage = coverage;
        this.config = config(shape);
        this.clients = new SimClients(this, shape.clients());
        this.invariants = List.of(digests, new SnapshotsAreExact(digests, EXTENDED_TYPES),
                new CommittedHistoryIsOneChain(), acknowledged, new AppliedNeverGoesBack(),
                new SessionsAgree(EXTENDED_TYPES), leaders, new EnsembleConverges(), new ClientsHearBack(),
                new NothingLeftPending(), new AbandonedSessionsExpire());
        SimDisk.Listener listener = diskListener();
        for (int id : memberIds(shape)) {
            SimDisk disk = new SimDisk(id, scheduler, new SplittableRandom(random.nextLong()), faults, listener);
            disks.add(disk);
            nodes.put(id, new SimNode(id, this, disk, scheduler.clock(random.nextLong(-5_000, 5_000))));
        }
    }

    private static ServerConfig config(Shape shape) {
        Properties p = new Properties();
        p.setProperty("tickTime", Long.toString(TICK_MS));
        p.setProperty("dataDir", "/nonexistent/glue-simulation");
        p.setProperty("initLimit", "10");
        p.setProperty("syncLimit", "5");
        p.setProperty("snapCount", Integer.toString(shape.snapCount()));
        try {
            return ServerConfig.fromProperties(p);
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A one-member ensemble is the standalone server (id 0); otherwise voters 1..v, then observers. */
    private static List<Integer> memberIds(Shape shape) {
        List<Integer> ids = new ArrayList<>();
        if (shape.voters() == 1 && shape.observers() == 0) {
            ids.add(Membership.STANDALONE_ID);
            return ids;
        }
        for (int i = 1; i <= shape.voters() + shape.observers(); i++) {
            ids.add(i);
        }
        return ids;
    }

    Membership membership(int id) {
        if (nodes.size() == 1) {
            return Membership.ofStandalone();
        }
        Set<Integer> voters = new TreeSet<>();
        Set<Integer> observers = new TreeSet<>();
        for (int i = 1; i <= shape.voters() + shape.observers(); i++) {
            (i <= shape.voters() ? voters : observers).add(i);
        }
        return new Membership(id, voters, observers, Map.of(), null, null, false);
    }

    private SimDisk.Listener diskListener() {
        return new SimDisk.Listener() {
            @Override
            public void snapshotWritten(SimDisk disk, long zxid, byte[] body) {
                SimNode node = nodes.get(disk.memberId());
                coverage.snapshotsWritten++;
                if (node.serving()) {
                    coverage.snapshotsWrittenWhileServing++;
                }
                invariants.forEach(i -> i.snapshotWritten(node, zxid, body));
            }

            @Override
            public void truncated(SimDisk disk, long zxid) {
                coverage.truncations++;
            }
        };
    }

    // ---- what the parts of the simulation share ---------------------------------------------------------

    SimScheduler scheduler() {
        return scheduler;
    }

    SplittableRandom random() {
        return random;
    }

    Faults faults() {
        return faults;
    }

    Coverage coverage() {
        return coverage;
    }

    ServerConfig config() {
        return config;
    }

    int snapCount() {
        return shape.snapCount();
    }

    /** Small enough that a long tail of big entries also triggers snapshots now and then. */
    long maxTailBytes() {
        return 8 * 1024;
    }

    long counterLimit() {
        return shape.counterLimit();
    }

    SimNetwork network() {
        return network;
    }

    SimClients clients() {
        return clients;
    }

    List<GlueInvariant> invariants() {
        return invariants;
    }

    SimNode node(int id) {
        return nodes.get(id);
    }

    Iterable<SimNode> nodes() {
        return nodes.values();
    }

    List<SimNode> upNodes() {
        List<SimNode> up = new ArrayList<>();
        for (SimNode n : nodes.values()) {
            if (n.up()) {
                up.add(n);
            }
        }
        return up;
    }

    boolean inChaos() {
        return chaos;
    }

    boolean writing() {
        return writing;
    }

    // ---- running a schedule -------------------------------------------------------------------------------

    /** Runs the three phases; throws an AssertionError naming the seed, the invariant and the trace. */
    void run(long chaosMs, long healMs, long quietMs) {
        Consumer<FatalFaults.Fault> previous = FatalFaults.setHandler(f -> {
            throw new GlueInvariant.Violation("NoFatalFault",
                    f.message() + (f.cause() == null ? "" : ": " + f.cause()));
        });
        try {
            runPhases(chaosMs, healMs, quietMs);
        } catch (Error | RuntimeException e) {
            throw failure(e);
        } finally {
            FatalFaults.setHandler(previous);
            coverage.schedules++;
            coverage.events += scheduler.eventsRun();
            disks.forEach(d -> coverage.entriesReadBack += d.entriesReadBack());
        }
    }

    private void runPhases(long chaosMs, long healMs, long quietMs) {
        for (SimNode n : nodes.values()) {
            n.start();
        }
        clients.start();
        scheduler.after(TICK_MS, null, this::chaosTick);
        runUntil(chaosMs);
        chaos = false;
        network.heal();
        scheduler.note("healing: every member up, the network clean");
        for (SimNode n : nodes.values()) {
            if (!n.up()) {
                n.start();
            }
        }
        // Progress: once healed, a quorum that can talk elects a leader and commits new writes. On slow disks
        // after a storm that can take a while, so the phase goes on (up to five times as long) until it has.
        int ackedBefore = acknowledged.count();
        long healedMs = chaosMs + healMs;
        runUntil(healedMs);
        while (acknowledged.count() == ackedBefore && healedMs < chaosMs + 5 * healMs) {
            healedMs += TICK_MS;
            runUntil(healedMs);
        }
        if (acknowledged.count() == ackedBefore) {
            throw new GlueInvariant.Violation("HealedEnsembleMakesProgress", "no write was acknowledged in "
                    + (healedMs - chaosMs) + " ms after healing");
        }
        writing = false;
        scheduler.note("quiet: no new writes");
        runUntil(healedMs + quietMs);
        invariants.forEach(i -> i.converged(this));
        coverage.acknowledged += acknowledged.count();
        coverage.epochs += leaders.epochs();
    }

    private void runUntil(long endMs) {
        while (scheduler.runNext(endMs)) {
            for (SimClients.Ack ack : clients.drainAcks()) {
                invariants.forEach(i -> i.acknowledged(ack));
            }
            for (GlueInvariant i : invariants) {
                i.afterEvent(this);
            }
        }
    }

    /** One draw of the dice per tick while in chaos. */
    private void chaosTick() {
        if (!chaos) {
            return;
        }
        double r = random.nextDouble();
        List<SimNode> all = new ArrayList<>(nodes.values());
        SimNode n = all.get(random.nextInt(all.size()));
        if (r < faults.crashRate()) {
            crash(n, TICK_MS * (1 + random.nextInt(30)));
        } else if (r < faults.crashRate() + faults.outageRate()) {
            coverage.outages++;
            long downMs = TICK_MS * (1 + random.nextInt(10));
            for (SimNode each : all) {
                crash(each, downMs);
            }
        } else if (r < faults.crashRate() + faults.outageRate() + faults.partitionRate()) {
            partition(all);
        } else if (r > 0.97 && n.up()) {
            // An operator's "snap": a snapshot now, maybe while one is being written.
            scheduler.note("snap on member " + n.id + ": " + n.member.snapshotNow().strip());
            coverage.snapCommands++;
        }
        scheduler.after(TICK_MS, null, this::chaosTick);
    }

    private void crash(SimNode n, long downMs) {
        if (!n.up()) {
            return;
        }
        scheduler.note("crash " + n);
        n.crash();
        coverage.crashes++;
        clients.serverStoppedServing(n);
        if (random.nextBoolean()) {
            // Usually the peers' TCP connections to a crashed process close soon after.
            long resetMs = 1 + random.nextLong(50);
            for (SimNode other : nodes.values()) {
                if (other != n) {
                    scheduler.after(resetMs, "connection from " + n.id + " closed at " + other.id,
                            () -> other.peerDisconnected(n.id));
                }
            }
        }
        scheduler.after(downMs, "restart " + n.id, () -> {
            if (!n.up()) {
                n.start();
            }
        });
    }

    private void partition(List<SimNode> all) {
        Set<Integer> side = new HashSet<>();
        int size = 1 + random.nextInt(Math.max(1, all.size() / 2));
        for (int i = 0; i < size; i++) {
            side.add(all.get(random.nextInt(all.size())).id);
        }
        coverage.partitions++;
        network.partition(side);
        scheduler.note("partition " + side + " from the rest");
        scheduler.after(TICK_MS * (5 + random.nextInt(40)), "heal partition", network::heal);
    }

    private AssertionError failure(Throwable e) {
        StringBuilder sb = new StringBuilder("seed " + seed + " (with the shape and faults below; a seed of the CI "
                + "range reruns with -Dglue.seed=" + seed + "): ");
        sb.append(e instanceof GlueInvariant.Violation ? e.getMessage() : e.toString());
        sb.append("\n").append(shape).append("\n").append(faults).append("\nlast events:\n").append(scheduler.trace());
        for (SimNode n : nodes.values()) {
            sb.append("  ").append(n).append('\n');
        }
        return new AssertionError(sb.toString(), e);
    }
}
