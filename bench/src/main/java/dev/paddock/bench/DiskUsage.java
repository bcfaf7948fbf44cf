package dev.paddock.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What a data directory holds on disk, file by file: the apparent size (what {@code ls} shows) and the
 * allocated size (blocks the file system gave it, what {@code du} counts), so preallocation shows as the
 * difference. Files are sorted into snapshots, logs and the rest by name, the same for both servers
 * ({@code snapshot.*} and {@code log.*} in ZooKeeper's {@code version-2} and Paddock's {@code paddock-1}).
 */
record DiskUsage(List<FileUsage> files) {

    /** One file; {@code allocated} from the 512-byte blocks {@code find -printf %b} reports. */
    record FileUsage(String relativePath, long apparent, long allocated) {
        String kind() {
            String name = Path.of(relativePath).getFileName().toString();
            if (name.startsWith("snapshot.")) {
                return name.endsWith(".tmp") ? "snapshot being written" : "snapshot";
            }
            return name.startsWith("log.") ? "log" : "other";
        }
    }

    /** Lists every regular file under {@code dir} (GNU find). */
    static DiskUsage of(Path dir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("find", dir.toAbsolutePath().toString(), "-type", "f", "-printf", "%s %b %P\\n")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("find failed: " + out);
        }
        List<FileUsage> files = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split(" ", 3);
            files.add(new FileUsage(parts[2], Long.parseLong(parts[0]), Long.parseLong(parts[1]) * 512));
        }
        files.sort(Comparator.comparing(FileUsage::relativePath));
        return new DiskUsage(List.copyOf(files));
    }

    long apparent(String kind) {
        return files.stream().filter(f -> kind == null || f.kind().equals(kind)).mapToLong(FileUsage::apparent).sum();
    }

    long allocated(String kind) {
        return files.stream().filter(f -> kind == null || f.kind().equals(kind)).mapToLong(FileUsage::allocated).sum();
    }

    /** Snapshot file names (without .tmp ones), as the reader of a listing wants to see them. */
    List<String> snapshots() {
        return files.stream().filter(f -> f.kind().equals("snapshot")).map(FileUsage::relativePath).toList();
    }

    /** One line per file: apparent and allocated bytes and the path. */
    String listing() {
        StringBuilder sb = new StringBuilder();
        for (FileUsage f : files) {
            sb.append(String.format(Locale.ROOT, "  %,15d apparent %,15d allocated  %s%n", f.apparent(), f.allocated(),
                    f.relativePath()));
        }
        return sb.toString();
    }

    /** "2 snapshots (12.3 MB), 3 logs (40.1 MB apparent, 67.1 MB allocated)": what a restart had to read. */
    String summary() {
        long snaps = files.stream().filter(f -> f.kind().equals("snapshot")).count();
        long logs = files.stream().filter(f -> f.kind().equals("log")).count();
        return String.format(Locale.ROOT, "%d snapshot%s (%.1f MB), %d log%s (%.1f MB apparent, %.1f MB allocated)",
                snaps, snaps == 1 ? "" : "s", apparent("snapshot") / 1e6, logs, logs == 1 ? "" : "s",
                apparent("log") / 1e6, allocated("log") / 1e6);
    }
}
