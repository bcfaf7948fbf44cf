package dev.paddock.server.request;

import dev.paddock.server.log.LogWriter;
import dev.paddock.server.log.Storage;
import dev.paddock.server.time.Clock;
import dev.paddock.server.tree.ApplyResult;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.Txn;
import dev.paddock.server.watch.WatchManager;
import dev.paddock.wire.proto.Id;
import dev.paddock.wire.proto.Request;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write path: fixes an entry's zxid and time, makes it durable, applies it to the state machine in zxid
 * order, fires the watches it triggers and then calls back, all on the request thread. Callers must not
 * assume the callback runs before {@link #submit} returns: with storage, it runs after the entry's fsync.
 *
 * <p>With storage, {@link #submit} hands the entry to the log writer thread (blocking only while its
 * bounded queue is full). The writer appends and forces a whole batch with one fsync, then wakes the
 * request thread, which applies the durable entries in zxid order ({@link #drain}). Without storage
 * (tests, tools), entries apply at once.
 */
public final class Committer implements WritePath {
    private static final Logger LOG = LoggerFactory.getLogger(Committer.class);
    private final StateMachine stateMachine;
    private final WatchManager watches;
    private final Clock clock;
    private final RequestLoop loop;
    private final Storage storage;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private long lastAssignedZxid;

    /** In memory only: entries apply as soon as they are submitted. */
    public Committer(StateMachine stateMachine, WatchManager watches, Clock clock) {
        this(stateMachine, watches, clock, null, null);
    }

    /** Durable: entries apply once the log has forced them; {@code loop} is the request thread. */
    public Committer(StateMachine stateMachine, WatchManager watches, Clock clock, RequestLoop loop, Storage storage) {
        this.stateMachine = stateMachine;
        this.watches = watches;
        this.clock = clock;
        this.loop = loop;
        this.storage = storage;
        this.lastAssignedZxid = stateMachine.lastZxid();
        if (storage != null) {
            storage.start(this::wake);
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

    /** The zxid of the newest entry handed in (it may not be applied yet). */
    public long lastAssignedZxid() {
        return lastAssignedZxid;
    }

    @Override
    public void submit(long sessionId, List<Id> identities, Request request, Callback callback) {
        long zxid = ++lastAssignedZxid;
        Txn txn = new Txn(zxid, clock.wallMs(), sessionId, List.copyOf(identities), request);
        if (storage == null) {
            apply(txn, callback);
            return;
        }
        try {
            storage.append(txn, callback);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the log queue was full", e);
        }
    }

    /** Writer thread: asks the request thread to apply what became durable; false if its queue is full. */
    private boolean wake() {
        if (!drainScheduled.compareAndSet(false, true)) {
            return true;
        }
        if (loop.tryExecute(drainTask)) {
            return true;
        }
        drainScheduled.set(false);
        return false;
    }

    /** Request thread: applies every durable entry, in zxid order. */
    private void drain() {
        drainScheduled.set(false);
        LogWriter.Entry e;
        while ((e = storage.pollDurable()) != null) {
            try {
                apply(e.txn(), (Callback) e.attachment());
            } catch (RuntimeException | AssertionError ex) {
                // One failing callback must not strand the durable entries behind it.
                LOG.error("applying zxid 0x{} failed", Long.toHexString(e.txn().zxid()), ex);
            }
            storage.applied(stateMachine);
        }
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
