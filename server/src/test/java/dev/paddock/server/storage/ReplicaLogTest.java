package dev.paddock.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.quorum.Entry;
import dev.paddock.server.quorum.Snapshot;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link ReplicaLog} reports as durable while its changes wait for the disk. */
class ReplicaLogTest {
    /** A disk that writes what was queued only when told to. */
    private static final class HeldDevice implements LogDevice {
        private final List<Op> queued = new ArrayList<>();
        private Durable durable = new Durable(0, 0);

        @Override
        public void submit(Op op) {
            queued.add(op);
        }

        void write() {
            for (Op op : queued) {
                if (op instanceof Append a) {
                    durable = new Durable(a.generation(), a.entry().zxid());
                } else if (op instanceof Truncate t) {
                    durable = new Durable(t.generation(), t.zxid());
                } else if (op instanceof Reset r) {
                    durable = new Durable(r.generation(), r.zxid());
                }
            }
            queued.clear();
        }

        @Override
        public List<Entry> read(long fromExclusive, long toInclusive, int count) {
            throw new AssertionError("nothing is read back in these tests");
        }

        @Override
        public Durable durable() {
            return durable;
        }

        @Override
        public long fsyncCount() {
            return 0;
        }

        @Override
        public void close() {
        }
    }

    private static Entry entry(long zxid) {
        return new Entry(zxid, new byte[] {(byte) zxid});
    }

    /**
     * Until the disk has cut the log, a crash brings the cut entries back, so the history as the member sees
     * it is not durable even up to the truncation point; a learner that recorded its new epoch meanwhile
     * would come back with the old entries under it (glue simulation, seed 7620 of the crash-heavy hunt).
     */
    @Test
    void aTruncationIsDurableOnlyOnceTheDiskHasCutTheLog() {
        HeldDevice device = new HeldDevice();
        ReplicaLog log = new ReplicaLog(0, List.of(), new MemoryEpochs(), device);
        for (long z = 1; z <= 5; z++) {
            log.append(entry(z));
        }
        device.write();
        assertThat(log.durableZxid()).isEqualTo(5);
        log.truncateAfter(3);
        assertThat(log.lastZxid()).isEqualTo(3);
        assertThat(log.durableZxid()).as("the cut is still queued").isLessThan(3);
        device.write();
        assertThat(log.durableZxid()).isEqualTo(3);
        log.append(entry(0x1_0000_0001L));
        assertThat(log.durableZxid()).isEqualTo(3);
        device.write();
        assertThat(log.durableZxid()).isEqualTo(0x1_0000_0001L);
    }

    @Test
    void anInstalledSnapshotIsDurableOnlyOnceTheResetIsWritten() {
        HeldDevice device = new HeldDevice();
        ReplicaLog log = new ReplicaLog(0, List.of(), new MemoryEpochs(), device);
        log.append(entry(1));
        device.write();
        log.resetTo(new Snapshot(40, new byte[0]));
        assertThat(log.durableZxid()).isLessThan(40);
        log.append(entry(41));
        device.write();
        assertThat(log.durableZxid()).isEqualTo(41);
    }
}
