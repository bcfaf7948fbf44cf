package dev.paddock.server.quorum;

import java.nio.ByteBuffer;
import java.util.random.RandomGenerator;

/**
 * One member's process in a test ensemble: a {@link SimStorage} disk that survives crashes, a {@link Member}
 * rebuilt on every start, and a state machine reduced to a chain digest over the applied entries (so two
 * members with the same digest at a zxid applied the same history). Shared by the randomized
 * {@link Simulation} and the scripted {@link ScriptedEnsemble}; both report every apply, install and
 * recorded epoch to the same {@link EnsembleChecks}.
 */
abstract class SimulatedMember implements Host {
    final int id;
    final SimStorage disk = new SimStorage();
    final EnsembleChecks checks;
    Member member;
    boolean up;
    int incarnation;
    long appliedZxid;
    long digest;
    /** The last NEWLEADER this incarnation received (epoch, zxid); -1 before any. */
    long newLeaderEpoch = -1;
    long newLeaderZxid = -1;
    /** Bytes added to every snapshot this member produces, so tests can make snapshots span chunks. */
    int snapshotPadding;
    /** The configuration in the applied state (null: the one it started with). */
    Roster appliedRoster;
    /**
     * The newest configuration applied, kept across crashes like ZooKeeper's dynamic config file (written when
     * a configuration applies); a restart starts from it.
     */
    Roster dynamicRoster;
    /** Whether this member ever observed: an observer records epochs it never promised. */
    boolean everObserved;

    SimulatedMember(int id, EnsembleChecks checks) {
        this.id = id;
        this.checks = checks;
        disk.onEpochRecorded = epoch -> checks.epochRecorded(this, epoch);
    }

    /** Starts (or restarts) the process from its disk: the snapshot at the log's base, then the protocol. */
    void start(QuorumConfig config, RandomGenerator random) {
        up = true;
        incarnation++;
        appliedZxid = disk.base();
        digest = disk.snapshotDigest;
        newLeaderEpoch = -1;
        newLeaderZxid = -1;
        appliedRoster = dynamicRoster;
        member = dynamicRoster == null ? new Member(id, config, disk, this, random, disk.base())
                : new Member(id, config.withMembers(dynamicRoster), dynamicRoster.version(), disk, this, random,
                        disk.base());
    }

    /** The process dies: what was not durable is gone, and so is everything in memory. */
    void crash() {
        up = false;
        disk.crash();
        member = null;
    }

    /** Hands a message to the member, noting a NEWLEADER for the epoch check. */
    void receive(int from, Message message) {
        if (message instanceof Message.Linked l && l.body() instanceof Message.NewLeader nl) {
            newLeaderEpoch = nl.epoch();
            newLeaderZxid = nl.zxid();
        }
        member.receive(from, message);
    }

    /** The simulated fsync; tells the member when something new became durable. */
    void flush() {
        if (!disk.hasUnflushed()) {
            return;
        }
        long durable = disk.flush();
        onFlushed(durable);
        member.persisted(durable);
    }

    void onFlushed(long durable) {
    }

    /** Moves the log's base up to what is applied and durable, as a snapshot would. */
    void compact() {
        disk.compact(appliedZxid, digest);
    }

    @Override
    public void apply(Entry entry) {
        long after = chain(digest, entry);
        checks.applying(this, entry, after);
        digest = after;
        appliedZxid = entry.zxid();
        Roster roster = SimReconfig.rosterOf(entry);
        if (roster != null) {
            appliedRoster = roster;
            dynamicRoster = roster;
            checks.configApplied(entry.zxid(), roster);
        }
        onApplied(entry);
    }

    /** After an entry was applied here. */
    void onApplied(Entry entry) {
    }

    @Override
    public Snapshot snapshot() {
        Roster r = appliedRoster;
        return new Snapshot(appliedZxid, ByteBuffer.allocate(8 + 16 + snapshotPadding).putLong(digest)
                .putLong(r == null ? -1 : r.version()).putInt(r == null ? 0 : SimReconfig.mask(r.voters()))
                .putInt(r == null ? 0 : SimReconfig.mask(r.observers())).array());
    }

    @Override
    public void install(Snapshot snapshot) {
        ByteBuffer state = ByteBuffer.wrap(snapshot.state());
        long d = state.getLong();
        long version = state.getLong();
        if (version >= 0) {
            appliedRoster = new Roster(version, SimReconfig.ids(state.getInt()), SimReconfig.ids(state.getInt()));
            if (dynamicRoster == null || dynamicRoster.version() < version) {
                dynamicRoster = appliedRoster;
            }
        }
        checks.installing(this, snapshot.zxid(), d);
        appliedZxid = snapshot.zxid();
        digest = d;
        disk.snapshotDigest = d;
    }

    @Override
    public Roster rosterOf(Entry entry) {
        return SimReconfig.rosterOf(entry);
    }

    /** The "dynamic file": the newest configuration applied, as its mask bytes (empty before any). */
    @Override
    public byte[] configText() {
        Roster r = dynamicRoster;
        return r == null ? new byte[0] : ByteBuffer.allocate(16).putLong(r.version())
                .putInt(SimReconfig.mask(r.voters())).putInt(SimReconfig.mask(r.observers())).array();
    }

    /** As the server: a configuration that does not list this member is not taken (it keeps its own). */
    @Override
    public Roster adoptConfig(long version, byte[] text) {
        ByteBuffer b = ByteBuffer.wrap(text);
        b.getLong();
        Roster r = new Roster(version, SimReconfig.ids(b.getInt()), SimReconfig.ids(b.getInt()));
        if (!r.voters().contains(id) && !r.observers().contains(id)) {
            return null;
        }
        dynamicRoster = r;
        return r;
    }

    @Override
    public Roster rosterInState() {
        return appliedRoster;
    }

    @Override
    public byte[] prepare(long zxid, byte[] payload, LeaderView view) {
        return SimReconfig.prepare(payload, view);
    }

    static long chain(long digest, Entry e) {
        long h = digest * 0x9E3779B97F4A7C15L + e.zxid();
        for (byte b : e.payload()) {
            h = (h ^ b) * 0x100000001B3L;
        }
        return h ^ (h >>> 29);
    }

    /** The client write id every test payload starts with. */
    static long writeIdOf(Entry e) {
        return ByteBuffer.wrap(e.payload()).getLong();
    }

    @Override
    public String toString() {
        return up ? member.toString() : "member " + id + " down (disk: epoch " + disk.currentEpoch + ", last "
                + Zxid.hex(disk.lastZxid()) + ", durable " + Zxid.hex(disk.durableZxid()) + ")";
    }
}
