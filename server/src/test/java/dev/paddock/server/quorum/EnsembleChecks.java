package dev.paddock.server.quorum;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The safety properties every test ensemble must keep, one named class each (the invariants of KRaft's
 * RaftEventSimulationTest): the {@link Simulation} checks them after every event and the
 * {@link ScriptedEnsemble} after every step. A broken one throws a {@link Violation} whose message starts
 * with the invariant's name.
 *
 * <p>The reference is {@link #canonical}: the one true history, zxid to the chain digest after applying
 * it, built from whatever member applies a zxid first. Applying is the only way an entry counts as
 * committed here (a member applies only what its leader said is committed).
 */
final class EnsembleChecks {
    /** A broken invariant; the message names it. */
    static final class Violation extends AssertionError {
        Violation(String invariant, String detail) {
            super("invariant " + invariant + " violated: " + detail);
        }
    }

    /** One property; the hooks it does not need stay empty. */
    abstract static class Invariant {
        String name() {
            return getClass().getSimpleName();
        }

        void violated(String detail) {
            throw new Violation(name(), detail);
        }

        /** Before {@code m} applies {@code e}; {@code digestAfter} is its state digest once applied. */
        void applying(SimulatedMember m, Entry e, long digestAfter) {
        }

        /** Before {@code m} installs a leader's snapshot at {@code zxid} with state {@code digest}. */
        void installing(SimulatedMember m, long zxid, long digest) {
        }

        /** Right after {@code m} recorded {@code epoch} as its current epoch. */
        void epochRecorded(SimulatedMember m, long epoch) {
        }

        /** After every event or step. */
        void afterEvent(EnsembleChecks c) {
        }

        /** Once the ensemble has healed and gone quiet. */
        void converged(EnsembleChecks c) {
        }
    }

    final QuorumConfig config;
    private final Supplier<Collection<? extends SimulatedMember>> members;
    final TreeMap<Long, Long> canonical = new TreeMap<>();
    /** The voters in force from each zxid on: the initial ones from 0, then each applied reconfiguration's. */
    final TreeMap<Long, java.util.Set<Integer>> votersFrom = new TreeMap<>();
    final Map<Long, Integer> leaderOfEpoch = new HashMap<>();
    private final List<Invariant> invariants = new ArrayList<>();

    EnsembleChecks(QuorumConfig config, Supplier<Collection<? extends SimulatedMember>> members) {
        this.config = config;
        this.members = members;
        votersFrom.put(0L, config.voters());
        invariants.add(new SingleLeaderPerEpoch());
        invariants.add(new MonotonicCommit());
        invariants.add(new HistoriesArePrefixesOfOneChain());
        invariants.add(new CommittedNeverLost());
        invariants.add(new EpochNeverAheadOfHistory());

        invariants.add(new MonotonicEpochs());
        invariants.add(new LogsArePrefixesOfOneChain());
    }

    Collection<? extends SimulatedMember> members() {
        return members.get();
    }

    /** The highest committed zxid so far, 0 when none. */
    long committed() {
        return canonical.isEmpty() ? 0 : canonical.lastKey();
    }

    /** A member applied the reconfiguration at {@code zxid} (every member applies the same one there). */
    void configApplied(long zxid, Roster roster) {
        java.util.Set<Integer> before = votersFrom.putIfAbsent(zxid, roster.voters());
        if (before != null && !before.equals(roster.voters())) {
            throw new Violation("ConfigsAreOneChain", "two configurations at " + Zxid.hex(zxid) + ": " + before
                    + " and " + roster.voters());
        }
    }

    /** The voters of the configuration in force at {@code zxid}. */
    java.util.Set<Integer> votersAt(long zxid) {
        return votersFrom.floorEntry(zxid).getValue();
    }

    void applying(SimulatedMember m, Entry e, long digestAfter) {
        for (Invariant i : invariants) {
            i.applying(m, e, digestAfter);
        }
        canonical.putIfAbsent(e.zxid(), digestAfter);
    }

    void installing(SimulatedMember m, long zxid, long digest) {
        for (Invariant i : invariants) {
            i.installing(m, zxid, digest);
        }
    }

    void epochRecorded(SimulatedMember m, long epoch) {
        for (Invariant i : invariants) {
            i.epochRecorded(m, epoch);
        }
    }

    void afterEvent() {
        for (Invariant i : invariants) {
            i.afterEvent(this);
        }
    }

    void converged() {
        for (Invariant i : invariants) {
            i.converged(this);
        }
    }

    // ---- the invariants -------------------------------------------------------------------------------

    /** At most one member ever serves as leader of a given epoch. */
    static final class SingleLeaderPerEpoch extends Invariant {
        /** The epoch each member was last seen leading, to look up the map only when it changes. */
        private final Map<Integer, Long> lastSeen = new HashMap<>();

        @Override
        void afterEvent(EnsembleChecks c) {
            for (SimulatedMember m : c.members()) {
                if (m.up && m.member.isServingLeader()) {
                    long epoch = m.member.epoch();
                    Long seen = lastSeen.get(m.id);
                    if (seen != null && seen == epoch) {
                        continue;
                    }
                    lastSeen.put(m.id, epoch);
                    Integer previous = c.leaderOfEpoch.putIfAbsent(epoch, m.id);
                    if (previous != null && previous != m.id) {
                        violated("two leaders in epoch " + epoch + ": " + previous + " and " + m.id);
                    }
                }
            }
        }
    }

    /** A member's applied point only moves forward: each entry above the last, a snapshot never below it. */
    static final class MonotonicCommit extends Invariant {
        @Override
        void applying(SimulatedMember m, Entry e, long digestAfter) {
            if (e.zxid() <= m.appliedZxid) {
                violated("member " + m.id + " applied " + Zxid.hex(e.zxid()) + " after " + Zxid.hex(m.appliedZxid));
            }
        }

        @Override
        void installing(SimulatedMember m, long zxid, long digest) {
            if (zxid < m.appliedZxid) {
                violated("member " + m.id + " installed a snapshot at " + Zxid.hex(zxid) + " below its applied "
                        + Zxid.hex(m.appliedZxid));
            }
        }
    }

    /**
     * Every member applies a prefix of one chain: never skipping a committed zxid, and reaching the same
     * state digest at each zxid as every other member (so no committed entry is changed or reordered).
     */
    static final class HistoriesArePrefixesOfOneChain extends Invariant {
        @Override
        void applying(SimulatedMember m, Entry e, long digestAfter) {
            Long skipped = m.checks.canonical.higherKey(m.appliedZxid);
            if (skipped != null && skipped < e.zxid()) {
                violated("member " + m.id + " skipped committed " + Zxid.hex(skipped) + " going from "
                        + Zxid.hex(m.appliedZxid) + " to " + Zxid.hex(e.zxid()));
            }
            Long expected = m.checks.canonical.get(e.zxid());
            if (expected != null && expected != digestAfter) {
                violated("member " + m.id + " diverged at " + Zxid.hex(e.zxid()));
            }
        }

        @Override
        void installing(SimulatedMember m, long zxid, long digest) {
            Long expected = m.checks.canonical.get(zxid);
            if (expected != null && expected != digest) {
                violated("member " + m.id + " installed a snapshot that diverges at " + Zxid.hex(zxid));
            }
        }
    }

    /**
     * The newest committed entry stays durable on a quorum of voters (in their logs or snapshots), whatever
     * crashes, truncations and snapshots happen: an acknowledged write is never lost (ZOOKEEPER-3911, 4643,
     * 4646, 4785, 4925).
     */
    static final class CommittedNeverLost extends Invariant {
        @Override
        void afterEvent(EnsembleChecks c) {
            long committed = c.committed();
            if (committed == 0) {
                return;
            }
            // A quorum of the configuration in force at the entry (across a configuration change, that is what
            // makes "nothing committed is lost across a config change").
            java.util.Set<Integer> voters = c.votersAt(committed);
            int holders = 0;
            for (SimulatedMember m : c.members()) {
                if (voters.contains(m.id) && m.disk.holdsDurably(committed)) {
                    holders++;
                }
            }
            if (holders * 2 <= voters.size()) {
                List<Integer> on = new ArrayList<>();
                for (SimulatedMember m : c.members()) {
                    if (voters.contains(m.id) && m.disk.holdsDurably(committed)) {
                        on.add(m.id);
                    }
                }
                violated("committed " + Zxid.hex(committed) + " is durable only on " + on);
            }
        }
    }

    /**
     * The current epoch is recorded only once the history synced in it is durable: a leader's whole log, a
     * learner's log up to the NEWLEADER zxid of that very epoch. An epoch file ahead of the log would let a
     * member with missing entries win an election (ZOOKEEPER-4643).
     */
    static final class EpochNeverAheadOfHistory extends Invariant {
        @Override
        void epochRecorded(SimulatedMember m, long epoch) {
            long durable = m.disk.durableZxid();
            if (m.member != null && m.member.role() == Role.LEADING) {
                if (durable < m.disk.lastZxid()) {
                    violated("leader " + m.id + " recorded epoch " + epoch + " with its log durable only to "
                            + Zxid.hex(durable) + " of " + Zxid.hex(m.disk.lastZxid()));
                }
                return;
            }
            if (m.newLeaderEpoch != epoch) {
                violated("member " + m.id + " recorded epoch " + epoch + " without a NEWLEADER for it");
            }
            if (durable < m.newLeaderZxid) {
                violated("member " + m.id + " recorded epoch " + epoch + " with its log durable only to "
                        + Zxid.hex(durable) + " before NEWLEADER's " + Zxid.hex(m.newLeaderZxid));
            }
        }
    }

    /** Accepted and current epochs never go back on any disk, and a voter's current epoch is one it accepted. */
    static final class MonotonicEpochs extends Invariant {
        /** Per member id: the accepted and current epoch last seen. */
        private long[][] seen = new long[0][];

        @Override
        void afterEvent(EnsembleChecks c) {
            for (SimulatedMember m : c.members()) {
                long accepted = m.disk.acceptedEpoch;
                long current = m.disk.currentEpoch;
                if (m.id >= seen.length) {
                    seen = java.util.Arrays.copyOf(seen, m.id + 1);
                }
                if (seen[m.id] == null) {
                    seen[m.id] = new long[2];
                }
                long[] before = seen[m.id];
                if (accepted < before[0] || current < before[1]) {
                    violated("member " + m.id + " epochs went back: accepted " + before[0] + " -> " + accepted
                            + ", current " + before[1] + " -> " + current);
                }
                if (m.member != null && m.member.role() == Role.OBSERVING) {
                    m.everObserved = true;
                }
                if (!m.everObserved && current > accepted) {
                    violated("voter " + m.id + " is in epoch " + current + " but accepted only " + accepted);
                }
                before[0] = accepted;
                before[1] = current;
            }
        }
    }

    /**
     * Once converged, every member's log holds the one chain: replaying it from the snapshot reaches the
     * canonical digest at every zxid up to what the member applied, and nothing is logged beyond that.
     */
    static final class LogsArePrefixesOfOneChain extends Invariant {
        @Override
        void converged(EnsembleChecks c) {
            for (SimulatedMember m : c.members()) {
                if (m.member != null && !m.member.isServing()) {
                    continue; // a server outside the configuration that cannot find the leader (see Simulation)
                }
                long digest = m.disk.snapshotDigest;
                for (Entry e : m.disk.entries(m.disk.base(), m.disk.lastZxid())) {
                    digest = SimulatedMember.chain(digest, e);
                    Long expected = c.canonical.get(e.zxid());
                    if (expected == null || expected != digest) {
                        violated("member " + m.id + " logs " + Zxid.hex(e.zxid()) + " off the committed chain");
                    }
                }
                if (m.disk.lastZxid() != m.appliedZxid) {
                    violated("member " + m.id + " logs up to " + Zxid.hex(m.disk.lastZxid()) + " but applied "
                            + Zxid.hex(m.appliedZxid));
                }
            }
        }
    }
}
