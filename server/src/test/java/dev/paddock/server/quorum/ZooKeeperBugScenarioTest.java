package dev.paddock.server.quorum;

import static dev.paddock.server.quorum.ScriptedEnsemble.anything;
import static dev.paddock.server.quorum.ScriptedEnsemble.body;
import static dev.paddock.server.quorum.ScriptedEnsemble.from;
import static dev.paddock.server.quorum.ScriptedEnsemble.newLeaderAck;
import static dev.paddock.server.quorum.ScriptedEnsemble.to;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.server.fault.Invariants.InvariantViolation;
import dev.paddock.server.quorum.ScriptedEnsemble.Envelope;
import dev.paddock.server.quorum.ScriptedEnsemble.Node;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ZooKeeper bugs DESIGN promises as test cases, each replayed step by step on a {@link ScriptedEnsemble}:
 * the scenario of the bug report, then what Paddock does instead. The {@link EnsembleChecks} invariants
 * (CommittedNeverLost, EpochNeverAheadOfHistory, HistoriesArePrefixesOfOneChain, ...) run after every step
 * as well, so each scenario also shows that none of them breaks on the way.
 *
 * <p>With equal histories an election picks the highest id, so the scripts read: member 3 leads first.
 */
class ZooKeeperBugScenarioTest {
    private static final long W3 = Zxid.of(1, 3);
    private static final long W6 = Zxid.of(1, 6);

    /**
     * Three members, 3 leading epoch 1: three writes reach everyone; then 1 is down while three more
     * commit on 2 and 3; then 2 goes down and 3, without a quorum, steps down. Member 1 (its fsync held)
     * restarts and, with 3, elects 3 for epoch 2; the script stops once 1 holds 3's DIFF and NEWLEADER.
     */
    private static ScriptedEnsemble followerSyncedByDiffIntoANewEpoch() {
        ScriptedEnsemble ctx = ScriptedEnsemble.ofVoters(3).startAll();
        assertThat(ctx.electLeader()).isEqualTo(3);
        ctx.writeAndSettle(3, 3);
        ctx.crash(1);
        ctx.writeAndSettle(3, 3);
        assertThat(ctx.lastAcknowledged()).isEqualTo(W6);
        ctx.crash(2);
        ctx.runUntil(() -> ctx.node(3).member.role() == Role.LOOKING, 10);

        ctx.holdFsync(1);
        ctx.forgetSent();
        ctx.restart(1);
        ctx.runUntil(() -> ctx.node(1).newLeaderEpoch == 2, 20);
        Envelope sync = last(ctx.sent(to(1).and(body(Message.Sync.class))));
        assertThat(((Message.Sync) sync.body()).entries()).hasSize(3); // a DIFF: 1:4 .. 1:6
        assertThat(ctx.node(1).disk.lastZxid()).isEqualTo(W6);
        assertThat(ctx.node(1).disk.durableZxid()).isEqualTo(W3);
        return ctx;
    }

    /**
     * ZOOKEEPER-3911: a follower acknowledged NEWLEADER before it had logged the DIFF; the leader, counting
     * that ack, committed and served; then the whole quorum crashed, the old leader never came back, and the
     * follower with the next member formed a quorum without the DIFFed entries: committed writes were gone.
     * Here the follower persists the synced entries, then records the epoch, then acknowledges, and after the
     * same crash the two survivors still hold every acknowledged write.
     */
    @Test
    void zookeeper3911_followerPersistsHistoryBeforeEpochBeforeAck() {
        ScriptedEnsemble ctx = followerSyncedByDiffIntoANewEpoch();
        Node one = ctx.node(1);
        assertThat(one.disk.currentEpoch).isEqualTo(1);
        assertThat(ctx.sent(from(1).and(newLeaderAck()))).isEmpty();
        assertThat(ctx.leader()).isEqualTo(-1);

        ctx.releaseFsync(1);
        assertThat(one.eventsFrom("durable")).containsExactly(
                "durable " + Zxid.hex(W6),
                "epoch 2 recorded, durable " + Zxid.hex(W6),
                "sent NEWLEADER ack " + Zxid.hex(W6) + " to 3");
        ctx.settle();
        assertThat(ctx.leader()).isEqualTo(3);
        assertThat(ctx.node(3).member.epoch()).isEqualTo(2);
        ctx.writeAndSettle(3, 2);

        // The quorum that acknowledged crashes; the old leader never returns.
        ctx.crash(3);
        ctx.crash(1);
        ctx.restart(1);
        ctx.restart(2);
        assertThat(ctx.electLeader()).isEqualTo(1);
        assertEveryAcknowledgedWriteApplied(ctx, 1, 2);
    }

    /**
     * ZOOKEEPER-4643: a follower updated its current epoch, then crashed before the synced entries reached
     * its disk. Restarted with the newer epoch and a shorter log, it won the next election and truncated
     * committed entries on the others. Here a crash before the history is durable leaves the epoch
     * unrecorded, so the member with the longer history leads and nothing is truncated.
     */
    @Test
    void zookeeper4643_crashBeforeSyncedHistoryIsDurableLeavesEpochUnrecorded() {
        ScriptedEnsemble ctx = followerSyncedByDiffIntoANewEpoch();
        ctx.crash(1);
        Node one = ctx.node(1);
        assertThat(one.disk.currentEpoch).isEqualTo(1);
        assertThat(one.disk.acceptedEpoch).isEqualTo(2);
        assertThat(one.disk.lastZxid()).isEqualTo(W3);

        ctx.crash(3);
        ctx.releaseFsync(1);
        ctx.restart(1);
        ctx.restart(2);
        assertThat(ctx.electLeader()).isEqualTo(2);
        assertThat(last(ctx.sent(to(1).and(body(Message.Sync.class)))).body())
                .isEqualTo(new Message.Sync(-1, null, ctx.node(2).disk.entries(W3, W6)));
        assertEveryAcknowledgedWriteApplied(ctx, 1, 2);
    }

    /**
     * ZOOKEEPER-4646: the follower acknowledged NEWLEADER while its log writes were still queued, crashed
     * right after the ack, and lost entries the leader had counted as stored there. Here no ack leaves
     * before the fsync; a crash right after the ack keeps the synced history and the recorded epoch.
     */
    @Test
    void zookeeper4646_crashRightAfterNewLeaderAckKeepsTheSyncedHistory() {
        ScriptedEnsemble ctx = followerSyncedByDiffIntoANewEpoch();
        ctx.tick();
        assertThat(ctx.sent(from(1).and(newLeaderAck()))).isEmpty();

        ctx.releaseFsync(1);
        assertThat(ctx.deliver(from(1).and(newLeaderAck()))).isEqualTo(1);
        assertThat(ctx.leader()).isEqualTo(3);
        ctx.crash(1);
        Node one = ctx.node(1);
        assertThat(one.disk.currentEpoch).isEqualTo(2);
        assertThat(one.disk.durableZxid()).isEqualTo(W6);
        assertThat(one.disk.lastZxid()).isEqualTo(W6);

        // Even with the leader gone, the follower that acknowledged carries the epoch's history on.
        ctx.crash(3);
        ctx.restart(1);
        ctx.restart(2);
        assertThat(ctx.electLeader()).isEqualTo(1);
        assertEveryAcknowledgedWriteApplied(ctx, 1, 2);
    }

    /**
     * Three members, 3 leading epoch 1 with three writes everywhere; 1 is down while three more commit on
     * 2 and 3; then 1 restarts with its fsync held and rejoins the running epoch (no new epoch: it promised
     * this one already). The script stops once 1 holds its DIFF and NEWLEADER.
     */
    private static ScriptedEnsemble followerRejoiningTheRunningEpoch(boolean holdSecondFollowersFsync) {
        ScriptedEnsemble ctx = ScriptedEnsemble.ofVoters(3).startAll();
        assertThat(ctx.electLeader()).isEqualTo(3);
        ctx.writeAndSettle(3, 3);
        ctx.crash(1);
        ctx.writeAndSettle(3, 3);
        if (holdSecondFollowersFsync) {
            ctx.holdFsync(2);
            assertThat(ctx.write(3)).isPositive();
            ctx.settle();
        }
        ctx.holdFsync(1);
        ctx.forgetSent();
        ctx.restart(1);
        ctx.runUntil(() -> ctx.node(1).newLeaderEpoch == 1, 20);
        assertThat(ctx.leader()).isEqualTo(3);
        return ctx;
    }

    /**
     * ZOOKEEPER-4685: a follower in sync acknowledged a PROPOSAL that arrived after NEWLEADER before it
     * acknowledged NEWLEADER; the leader took that for a protocol error and shut down, costing the
     * ensemble an election. Here the NEWLEADER ack always leaves first, the proposal's ack right behind it,
     * and the leader keeps leading the same epoch.
     */
    @Test
    void zookeeper4685_proposalAcksFollowTheNewLeaderAckAndTheLeaderKeepsLeading() {
        ScriptedEnsemble ctx = followerRejoiningTheRunningEpoch(false);
        long w7 = ctx.write(3);
        ctx.settle();
        long z7 = ctx.zxidOf(w7);
        assertThat(z7).isEqualTo(Zxid.of(1, 7));
        assertThat(ctx.node(1).disk.lastZxid()).isEqualTo(z7); // the proposal reached 1 after NEWLEADER
        assertThat(ctx.sent(from(1).and(body(Message.Ack.class)))).isEmpty();

        ctx.releaseFsync(1);
        List<String> acks = ctx.sent(from(1).and(body(Message.Ack.class))).stream()
                .map(e -> MessageText.of(e.body())).toList();
        assertThat(acks).containsExactly("NEWLEADER ack " + Zxid.hex(W6), "Ack " + Zxid.hex(z7));
        ctx.settle();
        ctx.tick();
        ctx.settle();
        assertThat(ctx.sent(body(Message.StepDown.class))).isEmpty();
        assertThat(ctx.leader()).isEqualTo(3);
        assertThat(ctx.node(3).member.epoch()).isEqualTo(1);
        assertThat(ctx.allServing()).isTrue();
        assertEveryAcknowledgedWriteApplied(ctx, 1, 2, 3);
    }

    /**
     * ZOOKEEPER-4394: a proposal still outstanding when the leader synced a follower was committed (COMMIT
     * arrived) after NEWLEADER but before UPTODATE, and the follower threw a NullPointerException looking
     * for it. Here the outstanding proposal travels in the DIFF, and its COMMIT before UPTODATE applies it.
     */
    @Test
    void zookeeper4394_commitBetweenNewLeaderAndUpToDateIsApplied() {
        ScriptedEnsemble ctx = followerRejoiningTheRunningEpoch(true);
        long z7 = Zxid.of(1, 7);
        Envelope sync = last(ctx.sent(to(1).and(body(Message.Sync.class))));
        assertThat(((Message.Sync) sync.body()).entries()).extracting(Entry::zxid).contains(z7);
        assertThat(ctx.node(3).appliedZxid).isEqualTo(W6); // 1:7 is outstanding

        ctx.releaseFsync(2); // 2 acknowledges 1:7: committed; COMMIT goes to 1 too
        ctx.settle();
        Node one = ctx.node(1);
        assertThat(ctx.sent(to(1).and(body(Message.Commit.class)))).isNotEmpty();
        assertThat(one.events).contains("applied " + Zxid.hex(z7));
        assertThat(ctx.sent(to(1).and(body(Message.UpToDate.class)))).isEmpty();

        ctx.releaseFsync(1);
        ctx.settle();
        assertThat(one.member.isServing()).isTrue();
        assertThat(one.appliedZxid).isEqualTo(z7);
        assertEveryAcknowledgedWriteApplied(ctx, 1, 2, 3);
    }

    /**
     * ZOOKEEPER-4785: entries a follower took in a DIFF but had not yet written when it was bounced were
     * lost though acknowledged. The general rule: nothing acknowledged is ever truncated. Here an old
     * leader logs a write nobody else saw and crashes; the new leader's TRUNC cuts exactly that write and
     * nothing committed, and a cut below the applied point fails an invariant instead of happening.
     */
    @Test
    void zookeeper4785_truncationCutsOnlyWhatWasNeverCommitted() {
        ScriptedEnsemble ctx = ScriptedEnsemble.ofVoters(3).startAll();
        assertThat(ctx.electLeader()).isEqualTo(3);
        ctx.writeAndSettle(3, 3);
        long lost = ctx.write(3);
        assertThat(ctx.drop(from(3).and(body(Message.Proposal.class)))).isEqualTo(2);
        ctx.flush(3);
        ctx.crash(3);
        assertThat(ctx.node(3).disk.lastZxid()).isEqualTo(Zxid.of(1, 4));

        assertThat(ctx.electLeader()).isEqualTo(2);
        ctx.writeAndSettle(2, 1);
        ctx.restart(3);
        assertThat(ctx.electLeader()).isEqualTo(2);
        Message.Sync sync = (Message.Sync) last(ctx.sent(to(3).and(body(Message.Sync.class)))).body();
        assertThat(sync.truncateTo()).isEqualTo(W3);
        assertThat(sync.entries()).extracting(Entry::zxid).containsExactly(Zxid.of(2, 1));
        assertThat(ctx.zxidOf(lost)).isNull();
        assertThat(ctx.node(3).disk.contains(Zxid.of(1, 4))).isFalse();
        assertEveryAcknowledgedWriteApplied(ctx, 1, 2, 3);

        Member three = ctx.node(3).member;
        assertThatThrownBy(() -> three.truncateAfter(Zxid.of(1, 2)))
                .isInstanceOf(InvariantViolation.class)
                .hasMessageContaining("below its applied");
    }

    /**
     * ZOOKEEPER-4785, the leader's side: a leader whose own fsync lags commits on its followers' acks and
     * acknowledges clients, then crashes and loses its unsynced tail. The entries live on the quorum that
     * acknowledged them; the new leader has them and gives them back to the old one.
     */
    @Test
    void zookeeper4785_leaderThatLostItsTailLosesNoCommittedEntry() {
        ScriptedEnsemble ctx = ScriptedEnsemble.ofVoters(3).startAll();
        assertThat(ctx.electLeader()).isEqualTo(3);
        ctx.writeAndSettle(3, 1);
        ctx.holdFsync(3);
        List<Long> writes = ctx.writeAndSettle(3, 3);
        long z4 = ctx.zxidOf(writes.get(2));
        assertThat(ctx.node(3).disk.durableZxid()).isEqualTo(Zxid.of(1, 1));
        ctx.crash(3);
        assertThat(ctx.node(3).disk.lastZxid()).isEqualTo(Zxid.of(1, 1));

        assertThat(ctx.electLeader()).isEqualTo(2);
        ctx.releaseFsync(3);
        ctx.restart(3);
        assertThat(ctx.electLeader()).isEqualTo(2);
        assertThat(ctx.node(3).disk.contains(z4)).isTrue();
        assertEveryAcknowledgedWriteApplied(ctx, 1, 2, 3);
    }

    /**
     * ZOOKEEPER-4925: a stale follower synced by DIFF kept a hole in the history it would serve from (its
     * committedLog); once it led, it passed the hole on to other stale members by DIFF, and they lost
     * committed entries. Here what a DIFF brings is appended to the log every later sync reads from: a
     * member synced by DIFF, leading later, gives another stale member every entry.
     */
    @Test
    void zookeeper4925_followerSyncedByDiffGivesEveryEntryOnWhenItLeads() {
        ScriptedEnsemble ctx = ScriptedEnsemble.ofVoters(5).startAll();
        assertThat(ctx.electLeader()).isEqualTo(5);
        ctx.writeAndSettle(5, 1);
        ctx.crash(4);
        ctx.crash(2);
        ctx.writeAndSettle(5, 3); // committed on 5, 3 and 1
        ctx.restart(4);
        assertThat(ctx.electLeader()).isEqualTo(5);
        Message.Sync diff = (Message.Sync) last(ctx.sent(to(4).and(body(Message.Sync.class)))).body();
        assertThat(diff.entries()).extracting(Entry::zxid)
                .containsExactly(Zxid.of(1, 2), Zxid.of(1, 3), Zxid.of(1, 4));

        ctx.crash(5);
        ctx.crash(3);
        ctx.restart(2);
        assertThat(ctx.electLeader()).isEqualTo(4);
        Message.Sync fromFour = (Message.Sync) last(ctx.sent(from(4).and(to(2)).and(body(Message.Sync.class))))
                .body();
        assertThat(fromFour.entries()).extracting(Entry::zxid)
                .containsExactly(Zxid.of(1, 2), Zxid.of(1, 3), Zxid.of(1, 4));
        ctx.writeAndSettle(4, 1);
        assertEveryAcknowledgedWriteApplied(ctx, 1, 2, 4);
    }

    /**
     * ZOOKEEPER-1277: when the low 32 bits of the zxid rolled over, servers stopped serving until an
     * election. Here, once the counter reaches the rollover threshold (4 in this test), the leader moves to
     * the next epoch with the same learners, without an election (no election tick runs in between), and
     * the client's next attempt is written in the new epoch with the counter restarted.
     */
    @Test
    void zookeeper1277_counterRolloverMovesToNextEpochWithoutElection() {
        ScriptedEnsemble ctx = new ScriptedEnsemble(ScriptedEnsemble.config(3, 4)).startAll();
        assertThat(ctx.electLeader()).isEqualTo(3);
        List<Long> first = ctx.writeAndSettle(3, 4);
        assertThat(ctx.zxidOf(first.get(3))).isEqualTo(Zxid.of(1, 4));

        assertThat(ctx.write(3)).isEqualTo(-1); // the counter is exhausted: the client retries
        ctx.settle(); // messages and fsyncs only: no tick, no election tick
        assertThat(ctx.allServing()).isTrue();
        assertThat(ctx.leader()).isEqualTo(3);
        assertThat(ctx.node(3).member.epoch()).isEqualTo(2);
        for (int id = 1; id <= 2; id++) {
            List<Role> roles = ctx.node(id).roles;
            assertThat(roles.subList(roles.size() - 2, roles.size())).containsExactly(Role.LOOKING, Role.FOLLOWING);
        }

        List<Long> next = new ArrayList<>(ctx.writeAndSettle(3, 2));
        next.addAll(ctx.writeAndSettle(1, 1)); // forwarded by a follower
        assertThat(next).extracting(ctx::zxidOf)
                .containsExactly(Zxid.of(2, 1), Zxid.of(2, 2), Zxid.of(2, 3));
        assertEveryAcknowledgedWriteApplied(ctx, 1, 2, 3);
    }

    /**
     * Three members, 3 leading epoch 1; 1 is down while 20 writes commit on 2 and 3; with {@code compact}
     * the leader's log then starts after everything 1 has (so 1 needs a snapshot). 1 restarts while a
     * client keeps writing at the leader, one write per tick; returns the ticks 1 took to serve.
     */
    private static int followerCatchesUpWhileLeaderServes(ScriptedEnsemble ctx, boolean compact) {
        assertThat(ctx.electLeader()).isEqualTo(3);
        ctx.writeAndSettle(3, 2);
        ctx.crash(1);
        ctx.writeAndSettle(3, 20);
        if (compact) {
            ctx.node(3).compact();
            ctx.node(2).compact();
        }
        ctx.restart(1);
        int ticks = 0;
        List<Long> during = new ArrayList<>();
        while (!ctx.node(1).member.isServing()) {
            assertThat(ticks).as("ticks for member 1 to catch up").isLessThan(10);
            during.add(ctx.write(3));
            ctx.settle();
            ctx.electionTick();
            ctx.tick();
            ticks++;
        }
        ctx.settle();
        assertThat(during).allSatisfy(w -> assertThat(ctx.zxidOf(w)).isNotNull());
        // No election, no new epoch: the leader served throughout.
        assertThat(ctx.node(3).roles).containsExactly(Role.LOOKING, Role.LEADING, Role.LEADING);
        assertThat(ctx.node(3).member.epoch()).isEqualTo(1);
        assertThat(ctx.sent(body(Message.StepDown.class).or(body(Message.Reestablish.class)))).isEmpty();
        assertEveryAcknowledgedWriteApplied(ctx, 1, 2, 3);
        return ticks;
    }

    /**
     * ZOOKEEPER-2678: a follower far behind a large database took so long to sync (a snapshot taken during
     * a DIFF, on the learner's critical path) that the leader gave up on it, and re-elections cascaded.
     * Here a follower older than the leader's log gets the snapshot and the entries after it, and serves
     * again within a tick or two while the leader keeps committing writes in the same epoch.
     */
    @Test
    void zookeeper2678_farBehindFollowerCatchesUpBySnapshotWhileLeaderServes() {
        // Sync messages of a few bytes, so the snapshot (digest 8 + configuration 16 + padding 40 bytes here) and
        // the entries span many messages.
        ScriptedEnsemble ctx = new ScriptedEnsemble(ScriptedEnsemble.config(3, Long.MAX_VALUE)
                .withSyncMessageBytes(8, 100));
        for (int id = 1; id <= 3; id++) {
            ctx.node(id).snapshotPadding = 40;
        }
        ctx.startAll();
        int ticks = followerCatchesUpWhileLeaderServes(ctx, true);
        assertThat(ticks).isLessThanOrEqualTo(2);
        Message.Sync sync = (Message.Sync) last(ctx.sent(to(1).and(body(Message.Sync.class)))).body();
        assertThat(sync.snapshot()).isNotNull();
        assertThat(sync.snapshot().sizeBytes()).isEqualTo(64);
        assertThat(ctx.sent(to(1).and(body(Message.SnapshotChunk.class)))).hasSize(8);
        assertThat(ctx.node(1).events).anyMatch(e -> e.startsWith("installed snapshot"));
        int largest = ctx.sent(anything()).stream().mapToInt(e -> MessageCodec.encode(e.message()).length).max()
                .orElseThrow();
        assertThat(largest).isLessThan(200);
    }

    /** ZOOKEEPER-2678, the DIFF case: a follower behind the leader's log catches up by DIFF in the same epoch. */
    @Test
    void zookeeper2678_followerBehindCatchesUpByDiffWhileLeaderServes() {
        ScriptedEnsemble ctx = new ScriptedEnsemble(ScriptedEnsemble.config(3, Long.MAX_VALUE)
                .withSyncMessageBytes(8, 100)).startAll();
        int ticks = followerCatchesUpWhileLeaderServes(ctx, false);
        assertThat(ticks).isLessThanOrEqualTo(2);
        Message.Sync sync = (Message.Sync) last(ctx.sent(to(1).and(body(Message.Sync.class)))).body();
        assertThat(sync.snapshot()).isNull();
        assertThat(sync.truncateTo()).isEqualTo(-1);
        int synced = sync.entries().size();
        for (Envelope e : ctx.sent(to(1).and(body(Message.SyncEntries.class)))) {
            synced += ((Message.SyncEntries) e.body()).entries().size();
        }
        assertThat(sync.entries()).hasSize(3); // 28 bytes an entry, about 100 bytes a message
        assertThat(synced).isGreaterThanOrEqualTo(20);
    }

    /** Every listed member applied at least up to the newest acknowledged write (the chain checks do the rest). */
    private static void assertEveryAcknowledgedWriteApplied(ScriptedEnsemble ctx, int... ids) {
        ctx.settle();
        long newest = ctx.lastAcknowledged();
        for (int id : ids) {
            assertThat(ctx.node(id).appliedZxid).as("applied at member %d", id).isGreaterThanOrEqualTo(newest);
        }
        for (long zxid : ctx.acknowledged.values()) {
            assertThat(ctx.checks.canonical).containsKey(zxid);
        }
    }

    private static Envelope last(List<Envelope> envelopes) {
        assertThat(envelopes).isNotEmpty();
        return envelopes.get(envelopes.size() - 1);
    }
}
