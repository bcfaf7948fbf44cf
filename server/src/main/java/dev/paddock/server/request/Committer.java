package dev.paddock.server.request;

import dev.paddock.server.time.Clock;
import dev.paddock.server.tree.ApplyResult;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.Txn;
import dev.paddock.server.watch.WatchManager;
import dev.paddock.wire.proto.Id;
import dev.paddock.wire.proto.Request;
import java.util.List;

/**
 * The write path: fixes an entry's zxid and time, makes it durable, applies it to the state machine in zxid
 * order, fires the watches it triggers and then calls back, all on the request thread. Callers must not
 * assume the callback runs before {@link #submit} returns: once the log is in place it runs after the
 * entry's fsync.
 */
public final class Committer {
    private final StateMachine stateMachine;
    private final WatchManager watches;
    private final Clock clock;
    private long lastAssignedZxid;

    public Committer(StateMachine stateMachine, WatchManager watches, Clock clock) {
        this.stateMachine = stateMachine;
        this.watches = watches;
        this.clock = clock;
        this.lastAssignedZxid = stateMachine.lastZxid();
    }

    public record Committed(long zxid, ApplyResult result) {
    }

    public interface Callback {
        void committed(Committed committed);
    }

    /** The zxid of the newest entry handed in (it may not be applied yet). */
    public long lastAssignedZxid() {
        return lastAssignedZxid;
    }

    public void submit(long sessionId, List<Id> identities, Request request, Callback callback) {
        long zxid = ++lastAssignedZxid;
        Txn txn = new Txn(zxid, clock.wallMs(), sessionId, List.copyOf(identities), request);
        apply(txn, callback);
    }

    /** Applies an entry that is durable; entries arrive here in zxid order. */
    private void apply(Txn txn, Callback callback) {
        ApplyResult result = stateMachine.apply(txn);
        watches.fire(result.changes(), txn.zxid());
        if (callback != null) {
            callback.committed(new Committed(txn.zxid(), result));
        }
    }
}
