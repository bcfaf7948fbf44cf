package dev.paddock.server.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The two epochs a member keeps beside its snapshots, as ZooKeeper keeps them in dataDir:
 * {@code acceptedEpoch} ("epoch leaderId": the newest epoch promised, and to whom) and {@code currentEpoch}
 * (the epoch of the last leader this member fully synchronised with). Each write is durable when it
 * returns (temporary file, force, atomic rename, directory force): the protocol sends its promise right
 * after. These are the only synchronous writes the request thread makes, once per election.
 */
public final class EpochFiles implements Epochs {
    private final Path dir;
    private long acceptedEpoch;
    private int acceptedLeader = -1;
    private long currentEpoch;

    public EpochFiles(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        String accepted = read(LogFormat.ACCEPTED_EPOCH_FILE);
        try {
            if (accepted != null) {
                String[] parts = accepted.split(" ");
                acceptedEpoch = Long.parseLong(parts[0]);
                acceptedLeader = parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
            }
            String current = read(LogFormat.CURRENT_EPOCH_FILE);
            currentEpoch = current == null ? 0 : Long.parseLong(current);
        } catch (NumberFormatException e) {
            throw new IOException("cannot read the epoch files in " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long acceptedEpoch() {
        return acceptedEpoch;
    }

    @Override
    public int acceptedLeader() {
        return acceptedLeader;
    }

    @Override
    public long currentEpoch() {
        return currentEpoch;
    }

    @Override
    public void accept(long epoch, int leaderId) {
        write(LogFormat.ACCEPTED_EPOCH_FILE, epoch + " " + leaderId);
        acceptedEpoch = epoch;
        acceptedLeader = leaderId;
    }

    @Override
    public void setCurrent(long epoch) {
        write(LogFormat.CURRENT_EPOCH_FILE, Long.toString(epoch));
        currentEpoch = epoch;
    }

    private String read(String name) throws IOException {
        Path p = dir.resolve(name);
        return Files.exists(p) ? Files.readString(p, StandardCharsets.US_ASCII).strip() : null;
    }

    private void write(String name, String value) {
        try {
            Path tmp = dir.resolve(name + ".tmp");
            try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                c.write(ByteBuffer.wrap(value.getBytes(StandardCharsets.US_ASCII)));
                c.force(true);
            }
            Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            LogFormat.syncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(name), e);
        }
    }
}
