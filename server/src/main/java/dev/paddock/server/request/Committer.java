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
 * The write path: fixes an entry's zxid and time, applies it to the state machine and fires the watches
 * it triggers. This is the seam where the durable log (fsync before the answer) and replication plug in;
 * today it applies in memory, in the order entries arrive.
 */
public final class Committer {
    private final StateMachine stateMachine;
    private final WatchManager watches;
    private final Clock clock;

    public Committer(StateMachine stateMachine, WatchManager watches, Clock clock) {
        this.stateMachine = stateMachine;
        this.watches = watches;
        this.clock = clock;
    }

    public record Committed(long zxid, ApplyResult result) {
    }

    public Committed commit(long sessionId, List<Id> identities, Request request) {
        long zxid = stateMachine.lastZxid() + 1;
        Txn txn = new Txn(zxid, clock.wallMs(), sessionId, List.copyOf(identities), request);
        ApplyResult result = stateMachine.apply(txn);
        watches.fire(result.changes(), zxid);
        return new Committed(zxid, result);
    }
}
