package dev.paddock.server.ensemble;

import dev.paddock.server.quorum.Member;
import dev.paddock.server.request.WritePath.Callback;
import dev.paddock.server.request.WritePath.Committed;
import dev.paddock.server.storage.EntryPayload;
import dev.paddock.server.time.Clock;
import dev.paddock.server.tree.ApplyResult;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.Txn;
import dev.paddock.wire.ErrorCode;
import dev.paddock.wire.proto.Id;
import dev.paddock.wire.proto.Request;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The write side of an {@link EnsembleMember}: the writes and syncs its own clients asked for, each held
 * until the member applies its entry (or the sync's point), and answered then. Request thread only.
 */
final class WriteRequests {
    private final int myId;
    private final Clock clock;
    private final StateMachine stateMachine;
    private final Map<Long, Callback> pending = new HashMap<>();
    private final Map<Long, Runnable> syncsAsked = new HashMap<>();
    private final TreeMap<Long, List<Runnable>> waitingForApplied = new TreeMap<>();
    private long nextRequestId;
    private long nextSyncId;

    /**
     * {@code firstRequestId}: each process numbers its requests from a random point, because an entry this
     * member forwarded before a restart can commit after it, and must not answer a request of the new
     * process that happens to carry the same number (RequestNumbersTest).
     */
    WriteRequests(int myId, Clock clock, StateMachine stateMachine, long firstRequestId) {
        this.myId = myId;
        this.clock = clock;
        this.stateMachine = stateMachine;
        this.nextRequestId = firstRequestId;
    }

    /** Hands a write to the member ({@code null} before it started); answers ConnectionLoss when it refuses. */
    void submit(Member member, long sessionId, List<Id> identities, Request request, Callback callback) {
        long requestId = ++nextRequestId;
        // The zxid is the leader's to give; time and identities are fixed here, before replication.
        byte[] payload = EntryPayload.encode(myId, requestId,
                new Txn(0, clock.wallMs(), sessionId, List.copyOf(identities), request));
        if (callback != null) {
            pending.put(requestId, callback);
        }
        if (member == null || !member.submit(payload)) {
            Callback c = pending.remove(requestId);
            if (c != null) {
                c.committed(new Committed(stateMachine.lastZxid(), ApplyResult.error(ErrorCode.CONNECTION_LOSS)));
            }
        }
    }

    /** Asks the member for a sync point; runs {@code caughtUp} at once when it cannot ask. */
    void sync(Member member, Runnable caughtUp) {
        long id = ++nextSyncId;
        syncsAsked.put(id, caughtUp);
        if (member == null || !member.sync(id)) {
            syncsAsked.remove(id);
            caughtUp.run();
        }
    }

    /** The member's answer to a sync: caught up once the state machine has applied {@code commitZxid}. */
    void syncReady(long id, long commitZxid) {
        Runnable caughtUp = syncsAsked.remove(id);
        if (caughtUp == null) {
            return;
        }
        if (stateMachine.lastZxid() >= commitZxid) {
            caughtUp.run();
        } else {
            waitingForApplied.computeIfAbsent(commitZxid, k -> new ArrayList<>()).add(caughtUp);
        }
    }

    /** An entry was applied: answers the write when this member asked for it, then the syncs it satisfies. */
    void applied(EntryPayload.Decoded decoded, long zxid, ApplyResult result) {
        if (decoded.origin() == myId && !pending.isEmpty()) { // none pending: a replay after a restart
            Callback c = pending.remove(decoded.requestId());
            if (c != null) {
                c.committed(new Committed(zxid, result));
            }
        }
        while (!waitingForApplied.isEmpty() && waitingForApplied.firstKey() <= zxid) {
            waitingForApplied.pollFirstEntry().getValue().forEach(Runnable::run);
        }
    }

    /** Forgets every write and sync still owed (the member lost its leader; see EnsembleMember.roleChanged). */
    void dropAll() {
        pending.clear();
        syncsAsked.clear();
        waitingForApplied.clear();
    }

    /** Callbacks still held; bounded by what the connected clients have in flight. */
    int outstanding() {
        int waiting = waitingForApplied.values().stream().mapToInt(List::size).sum();
        return pending.size() + syncsAsked.size() + waiting;
    }
}
