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
 * A write path for request-layer unit tests: each write gets the next zxid and applies at once, with its
 * watches, before {@link #submit} returns (no log, no quorum). The server's only real write path is
 * {@code ensemble.EnsembleMember}.
 */
class ImmediateWritePath implements WritePath {
    private final StateMachine stateMachine;
    private final WatchManager watches;
    private final Clock clock;

    ImmediateWritePath(StateMachine stateMachine, WatchManager watches, Clock clock) {
        this.stateMachine = stateMachine;
        this.watches = watches;
        this.clock = clock;
    }

    @Override
    public void submit(long sessionId, List<Id> identities, Request request, Callback callback) {
        Txn txn = new Txn(stateMachine.lastZxid() + 1, clock.wallMs(), sessionId, List.copyOf(identities), request);
        ApplyResult result = stateMachine.apply(txn);
        watches.fire(result.changes(), txn.zxid());
        if (callback != null) {
            callback.committed(new Committed(txn.zxid(), result));
        }
    }

    @Override
    public void sync(Runnable caughtUp) {
        caughtUp.run();
    }

    @Override
    public boolean serving() {
        return true;
    }

    @Override
    public boolean decidesExpiry() {
        return true;
    }

    @Override
    public String mode() {
        return "standalone";
    }
}
