package dev.paddock.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Measures what one fsync of a small append costs on the disk the servers' data directories are on. */
final class FsyncProbe {
    record Result(int count, double p50Ms, double p99Ms, double meanMs) {
    }

    private FsyncProbe() {
    }

    /**
     * {@code preallocated} false: each 4 KiB write appends, so the fsync also commits the new file size
     * (a log without preallocation). True: the file is first written to its full length and synced, then
     * each write overwrites in place (ZooKeeper's preallocated 64 MB log segments).
     */
    static Result measure(Path dir, int count, boolean preallocated) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("fsync-probe.bin");
        Latencies lat = new Latencies();
        ByteBuffer block = ByteBuffer.allocate(4096);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            if (preallocated) {
                ByteBuffer zeros = ByteBuffer.allocate(4096);
                for (int i = 0; i < count; i++) {
                    zeros.clear();
                    ch.write(zeros);
                }
                ch.force(true);
                ch.position(0);
            }
            for (int i = 0; i < count; i++) {
                block.clear();
                ch.write(block);
                long t0 = System.nanoTime();
                ch.force(false);
                lat.add(System.nanoTime() - t0);
            }
        } finally {
            Files.deleteIfExists(file);
        }
        lat.sorted();
        return new Result(count, lat.percentileNanos(50) / 1e6, lat.percentileNanos(99) / 1e6, lat.meanNanos() / 1e6);
    }
}
