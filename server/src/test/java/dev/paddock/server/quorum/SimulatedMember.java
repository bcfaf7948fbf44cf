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
        member = new Member(id, config, disk, this, random, disk.base());
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
        onApplied(entry);
    }

    /** After an entry was applied here. */
    void onApplied(Entry entry) {
    }

    @Override
    public Snapshot snapshot() {
        return new Snapshot(appliedZxid, ByteBuffer.allocate(8 + snapshotPadding).putLong(digest).array());
    }

    @Override
    public void install(Snapshot snapshot) {
        long d = ByteBuffer.wrap(snapshot.state()).getLong();
        checks.installing(this, snapshot.zxid(), d);
        appliedZxid = snapshot.zxid();
        digest = d;
        disk.snapshotDigest = d;
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
