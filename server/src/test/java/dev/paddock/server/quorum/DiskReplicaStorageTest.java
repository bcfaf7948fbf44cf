package dev.paddock.server.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskReplicaStorageTest {
    @TempDir
    Path dir;

    private static Entry entry(long epoch, long counter) {
        return new Entry(Zxid.of(epoch, counter), ("payload " + counter).getBytes());
    }

    private static void awaitDurable(AtomicLong durable, long zxid) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (durable.get() < zxid) {
            assertThat(System.nanoTime()).as("durable in time").isLessThan(deadline);
            LockSupport.parkNanos(1_000_000);
        }
    }

    @Test
    void entriesAndEpochsSurviveAReopenAndThePreallocatedTailIsNotData() throws Exception {
        AtomicLong durable = new AtomicLong();
        try (DiskReplicaStorage s = new DiskReplicaStorage(dir, true, 8192, durable::set)) {
            s.acceptEpoch(3, 2);
            s.setCurrentEpoch(2);
            for (int i = 1; i <= 100; i++) {
                s.append(entry(2, i));
            }
            awaitDurable(durable, Zxid.of(2, 100));
            assertThat(Files.size(dir.resolve("replica.log"))).isGreaterThan(8192);
        }
        try (DiskReplicaStorage s = new DiskReplicaStorage(dir, true, 8192, z -> { })) {
            assertThat(s.acceptedEpoch()).isEqualTo(3);
            assertThat(s.acceptedLeader()).isEqualTo(2);
            assertThat(s.currentEpoch()).isEqualTo(2);
            assertThat(s.lastZxid()).isEqualTo(Zxid.of(2, 100));
            assertThat(s.durableZxid()).isEqualTo(Zxid.of(2, 100));
            assertThat(s.entries(Zxid.of(2, 98), Zxid.of(2, 100))).containsExactly(entry(2, 99), entry(2, 100));
            assertThat(s.floorZxid(Zxid.of(3, 0))).isEqualTo(Zxid.of(2, 100));
        }
    }

    @Test
    void aTornLastRecordIsCut() throws Exception {
        AtomicLong durable = new AtomicLong();
        try (DiskReplicaStorage s = new DiskReplicaStorage(dir, true, 4096, durable::set)) {
            for (int i = 1; i <= 3; i++) {
                s.append(entry(1, i));
            }
            awaitDurable(durable, Zxid.of(1, 3));
        }
        // Corrupt the last record's payload, as a write cut short by a power failure would leave it.
        long lastRecordEnd = 12 + 3L * (16 + entry(1, 1).payload().length);
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("replica.log").toFile(), "rw")) {
            f.seek(lastRecordEnd - 2);
            f.write(new byte[] {0x55, 0x55});
        }
        try (DiskReplicaStorage s = new DiskReplicaStorage(dir, true, 4096, z -> { })) {
            assertThat(s.lastZxid()).isEqualTo(Zxid.of(1, 2));
            s.append(entry(1, 3));
            assertThat(s.lastZxid()).isEqualTo(Zxid.of(1, 3));
        }
    }

    @Test
    void truncateCompactAndResetAreDurable() throws Exception {
        AtomicLong durable = new AtomicLong();
        try (DiskReplicaStorage s = new DiskReplicaStorage(dir, true, 4096, durable::set)) {
            for (int i = 1; i <= 10; i++) {
                s.append(entry(1, i));
            }
            awaitDurable(durable, Zxid.of(1, 10));
            s.truncateAfter(Zxid.of(1, 6));
            assertThat(s.lastZxid()).isEqualTo(Zxid.of(1, 6));
            s.append(entry(2, 1));
            awaitDurable(durable, Zxid.of(2, 1));
            s.compactTo(Zxid.of(1, 4));
            assertThat(s.baseZxid()).isEqualTo(Zxid.of(1, 4));
        }
        try (DiskReplicaStorage s = new DiskReplicaStorage(dir, true, 4096, z -> { })) {
            assertThat(s.baseZxid()).isEqualTo(Zxid.of(1, 4));
            assertThat(s.entries(Zxid.of(1, 4), Long.MAX_VALUE)).containsExactly(entry(1, 5), entry(1, 6), entry(2, 1));
            s.resetTo(Zxid.of(5, 0));
        }
        try (DiskReplicaStorage s = new DiskReplicaStorage(dir, true, 4096, z -> { })) {
            assertThat(s.baseZxid()).isEqualTo(Zxid.of(5, 0));
            assertThat(s.lastZxid()).isEqualTo(Zxid.of(5, 0));
        }
    }
}
