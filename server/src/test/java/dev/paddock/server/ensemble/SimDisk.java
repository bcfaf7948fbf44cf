package dev.paddock.server.ensemble;

import dev.paddock.server.quorum.Entry;
import dev.paddock.server.quorum.ReplicaStorage;
import dev.paddock.server.quorum.Zxid;
import dev.paddock.server.storage.MemoryEpochs;
import dev.paddock.server.storage.LogDevice;
import dev.paddock.server.storage.MemberStorage;
import dev.paddock.server.storage.Recovery;
import dev.paddock.server.storage.ReplicaLog;
import dev.paddock.server.storage.SnapshotService;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.TreeSnapshot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * One member's disk in the glue simulation. What is durable survives a crash: the epochs (written through at
 * once, as {@code EpochFiles} forces them), the snapshots (periodic ones once their background write event
 * ran, installed ones once the log's reset did) and the log records an fsync completed. What the running
 * process had only queued is lost, except that a crash in the middle of an fsync may leave any prefix of
 * that batch on disk, as a real torn write does.
 *
 * <p>The member runs the real {@link ReplicaLog} and {@link SnapshotService} on it: the log's
 * {@link LogDevice} and the snapshot service's writer and background executor are this class's, with the
 * fsync and the snapshot write as events the scheduler places. Start-up reads it as {@code Recovery} reads a
 * data directory: the newest snapshot, then every record after it, none missing.
 */
final class SimDisk extends MemoryEpochs {
    /** What a running member does on this disk, for the coverage counters and the invariants. */
    interface Listener {
        void snapshotWritten(SimDisk disk, long zxid, byte[] body);

        void truncated(SimDisk disk, long zxid);
    }

    private final int memberId;
    private final SimScheduler scheduler;
    private final SplittableRandom random;
    private final GlueSimulation.Faults faults;
    private final Listener listener;
    private final TreeMap<Long, byte[]> snapshots = new TreeMap<>();
    private final List<Entry> records = new ArrayList<>();
    private Device device;
    private int snapshotWritesInFlight;
    /** Entries read back from this disk (the coverage counters: the read path must be exercised). */
    private long reads;

    SimDisk(int memberId, SimScheduler scheduler, SplittableRandom random, GlueSimulation.Faults faults,
            Listener listener) {
        this.memberId = memberId;
        this.scheduler = scheduler;
        this.random = random;
        this.faults = faults;
        this.listener = listener;
    }

    // Epochs (from MemoryEpochs) are durable when set: a crash keeps them.

    // ---- start-up and crash --------------------------------------------------------------------------------

    /**
     * The member's storage for one process lifetime: start-up reads the disk, and the log and the snapshot
     * service write to it until {@code process} dies.
     */
    MemberStorage open(SimNode.Process process, BooleanSupplier wake, int snapCount, long maxTailBytes,
                       boolean extendedTypes) {
        Map.Entry<Long, byte[]> newest = snapshots.lastEntry();
        long snapZxid = newest == null ? 0 : newest.getKey();
        StateMachine recovered = newest == null ? new StateMachine(extendedTypes)
                : decode(newest.getValue(), snapZxid, extendedTypes);
        List<Entry> entries = new ArrayList<>();
        long last = snapZxid;
        for (Entry e : records) {
            if (e.zxid() <= last) {
                continue;
            }
            if (!Recovery.follows(last, e.zxid())) {
                throw new GlueInvariant.Violation("DurableLogHasNoGap", "member " + memberId + "'s disk lacks the"
                        + " entries between " + Zxid.hex(last) + " and " + Zxid.hex(e.zxid()));
            }
            entries.add(e);
            last = e.zxid();
        }
        device = new Device(process, wake, last);
        // A window of a few entries (it differs by member, without drawing from the seeded random source), so
        // the schedules exercise reading entries back from the disk: DIFFs, applies after start-up, cuts.
        ReplicaLog log = new ReplicaLog(snapZxid, entries, this, device,
                new ReplicaLog.TailBound(2 + memberId % 4, 512L * (1 + memberId % 3)));
        snapshotWritesInFlight = 0;
        SnapshotService snapshotService = new SnapshotService(snapCount, maxTailBytes, log, snapshotWriter(),
                task -> backgroundWrite(process, task), process.requestThread()::execute,
                new SplittableRandom(random.nextLong()));
        return new MemberStorage() {
            @Override
            public StateMachine recoveredState() {
                return recovered;
            }

            @Override
            public ReplicaStorage log() {
                return log;
            }

            @Override
            public void applied(StateMachine stateMachine) {
                snapshotService.applied(stateMachine);
            }

            @Override
            public String snapshotNow(StateMachine stateMachine) {
                return snapshotService.snapshotNow(stateMachine);
            }

            @Override
            public void close() {
            }
        };
    }

    static StateMachine decode(byte[] body, long zxid, boolean extendedTypes) {
        try {
            return TreeSnapshot.read(new DataInputStream(new ByteArrayInputStream(body)), zxid, extendedTypes);
        } catch (IOException e) {
            throw new UncheckedIOException("snapshot at " + Zxid.hex(zxid) + " does not decode", e);
        }
    }

    /** The process died: what it had queued is lost, but part of a batch being written may have landed. */
    void crash() {
        if (device != null) {
            device.crash();
            device = null;
        }
        snapshotWritesInFlight = 0;
    }

    /** Whether a periodic snapshot is being written now (an install meanwhile is the review's hazard H1). */
    boolean snapshotBeingWritten() {
        return snapshotWritesInFlight > 0;
    }

    long lastDurableZxid() {
        if (!records.isEmpty()) {
            return records.get(records.size() - 1).zxid();
        }
        return snapshots.isEmpty() ? 0 : snapshots.lastKey();
    }

    // ---- the snapshot service's writer ------------------------------------------------------------------------

    /**
     * The snapshot thread: the write is an event some time after the capture, so applies, syncs and installs
     * interleave with it; it is in flight from the capture to that event.
     */
    private void backgroundWrite(SimNode.Process process, Runnable task) {
        snapshotWritesInFlight++;
        scheduler.after(1 + random.nextLong(faults.maxSnapshotWriteMs()), "member " + memberId + " snapshot write",
                () -> {
                    if (process.alive()) {
                        snapshotWritesInFlight--;
                        task.run();
                    }
                });
    }

    private SnapshotService.Writer snapshotWriter() {
        return new SnapshotService.Writer() {
            @Override
            public String write(TreeSnapshot.Capture capture) throws IOException {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                capture.writeTo(new DataOutputStream(bytes));
                byte[] body = bytes.toByteArray();
                snapshots.put(capture.zxid(), body);
                listener.snapshotWritten(SimDisk.this, capture.zxid(), body);
                return "snapshot." + Long.toHexString(capture.zxid());
            }

            @Override
            public String where() {
                return "the simulated disk of member " + memberId;
            }
        };
    }

    long entriesReadBack() {
        return reads;
    }

    int memberId() {
        return memberId;
    }

    // ---- the log device -----------------------------------------------------------------------------------------

    private void write(LogDevice.Op op) {
        if (op instanceof LogDevice.Append a) {
            if (!records.isEmpty() && a.entry().zxid() <= records.get(records.size() - 1).zxid()) {
                throw new GlueInvariant.Violation("DurableLogIsOrdered", "member " + memberId + " writes "
                        + Zxid.hex(a.entry().zxid()) + " after " + Zxid.hex(records.get(records.size() - 1).zxid()));
            }
            records.add(a.entry());
        } else if (op instanceof LogDevice.Truncate t) {
            records.removeIf(e -> e.zxid() > t.zxid());
        } else if (op instanceof LogDevice.Reset r) {
            snapshots.put(r.zxid(), r.snapshotBody());
            records.clear();
        }
    }

    /** The process's queue to the disk: ops wait for an fsync event, which writes one batch. */
    private final class Device implements LogDevice {
        private final SimNode.Process process;
        private final BooleanSupplier wake;
        private final ArrayDeque<Op> queue = new ArrayDeque<>();
        private Durable durable;
        private int batch;
        private long fsyncs;

        Device(SimNode.Process process, BooleanSupplier wake, long recoveredLastZxid) {
            this.process = process;
            this.wake = wake;
            this.durable = new Durable(0, recoveredLastZxid);
        }

        @Override
        public void submit(Op op) {
            if (op instanceof Truncate t) {
                listener.truncated(SimDisk.this, t.zxid());
            }
            queue.add(op);
            if (batch == 0) {
                startFsync();
            }
        }

        /** Takes everything queued as one batch; it is durable when the fsync event runs. */
        private void startFsync() {
            batch = queue.size();
            long delay = 1 + random.nextLong(faults.maxFsyncMs());
            scheduler.after(delay, "member " + memberId + " fsync " + batch + " ops", () -> {
                if (process.alive()) {
                    finishFsync();
                }
            });
        }

        private void finishFsync() {
            Durable reached = null;
            for (int i = 0; i < batch; i++) {
                Op op = queue.poll();
                write(op);
                if (op instanceof Append a) {
                    reached = new Durable(a.generation(), a.entry().zxid());
                } else if (op instanceof Truncate t) {
                    reached = new Durable(t.generation(), t.zxid());
                } else if (op instanceof Reset r) {
                    reached = new Durable(r.generation(), r.zxid());
                }
            }
            batch = 0;
            fsyncs++;
            if (reached != null) {
                durable = reached;
                wakeMember();
            }
            if (!queue.isEmpty()) {
                startFsync();
            }
        }

        /** As the writer thread does: if the request thread's queue is full, ask again a little later. */
        private void wakeMember() {
            if (!wake.getAsBoolean()) {
                scheduler.after(1, null, () -> {
                    if (process.alive()) {
                        wakeMember();
                    }
                });
            }
        }

        void crash() {
            int landed = batch == 0 ? 0 : random.nextInt(batch + 1);
            for (int i = 0; i < landed; i++) {
                write(queue.poll());
            }
            queue.clear();
            batch = 0;
        }

        /** Only what an fsync wrote can be read back: the records, never the queue. */
        @Override
        public List<Entry> read(long fromExclusive, long toInclusive, int count) {
            List<Entry> out = new ArrayList<>();
            for (Entry e : records) {
                if (out.size() == count) {
                    break;
                }
                if (e.zxid() > fromExclusive && e.zxid() <= toInclusive) {
                    out.add(e);
                }
            }
            reads += out.size();
            return out;
        }

        @Override
        public Durable durable() {
            return durable;
        }

        @Override
        public long fsyncCount() {
            return fsyncs;
        }

        @Override
        public void close() {
        }
    }
}
