package dev.paddock.server.migration;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Adler32;

/**
 * Reads one ZooKeeper transaction log ({@code log.<zxid>}): a FileHeader ({@code "ZKLG"}, version, dbid), then
 * entries {@code long adler32(payload) | int length | payload | 'B'}, then the zeros of the preallocated tail.
 *
 * <p>Where the entries end is decided as ZooKeeper's {@code FileTxnIterator} decides it: a zero length (the
 * preallocated tail), the end of the file, or an entry without its trailing {@code 'B'} (a write torn by a
 * crash: ZooKeeper logs "Last transaction was partial" and moves to the next file) all end this file. A
 * checksum that does not match a complete entry is corruption, which ZooKeeper refuses to load, and so does
 * the import.
 */
final class ZkTxnLogReader implements Closeable {
    static final int MAGIC = 0x5A4B4C47;
    private static final int MAX_ENTRY = 256 << 20;

    private final Path file;
    private final InputStream raw;
    private final JuteStream in;
    /** How the entries ended: null while reading; "preallocated tail", "end of file" or a partial entry. */
    private String end;

    ZkTxnLogReader(Path file) throws IOException {
        this.file = file;
        this.raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        this.in = new JuteStream(raw, file);
        try {
            int magic = in.readInt();
            if (magic != MAGIC) {
                throw ImportException.at(file, 0, "not a ZooKeeper transaction log (magic 0x"
                        + Integer.toHexString(magic) + ")");
            }
            in.readInt();
            in.readLong();
        } catch (EOFException e) {
            raw.close();
            throw ImportException.at(file, in.offset(), "file ends inside the log header");
        } catch (IOException e) {
            raw.close();
            throw e;
        }
    }

    /** How the entries ended, once {@link #next} returned null. */
    String end() {
        return end;
    }

    /** The next entry, or null once the entries end. */
    ZkTxn.Entry next() throws IOException {
        if (end != null) {
            return null;
        }
        long at = in.offset();
        long crc;
        int len;
        try {
            crc = in.readLong();
            len = in.readInt();
        } catch (EOFException e) {
            return finish(in.offset() == at ? "end of file" : "partial entry at offset " + at + " (file ends)");
        }
        if (len == 0) {
            return finish("preallocated tail at offset " + at);
        }
        if (len < 0 || len > MAX_ENTRY) {
            throw ImportException.at(file, at + 8, "bad entry length " + len);
        }
        byte[] payload = new byte[len];
        try {
            in.readFully(payload);
            if (in.readByte() != 'B') {
                return finish("partial entry at offset " + at + " (no end marker)");
            }
        } catch (EOFException e) {
            return finish("partial entry at offset " + at + " (file ends)");
        }
        Adler32 adler = new Adler32();
        adler.update(payload);
        if (adler.getValue() != crc) {
            throw ImportException.at(file, at, "checksum mismatch (entry says 0x" + Long.toHexString(crc)
                    + ", payload has 0x" + Long.toHexString(adler.getValue()) + ")");
        }
        return ZkTxnDecoder.decode(file, at + 12, payload);
    }

    private ZkTxn.Entry finish(String how) {
        end = how;
        return null;
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }
}
