package dev.paddock.server.migration;

import java.io.IOException;
import java.nio.file.Path;

/**
 * ZooKeeper's files cannot be imported as they are. The message names the file and, where one is known, the
 * byte offset (in the uncompressed stream for compressed snapshots), so an operator can look at the spot.
 */
public final class ImportException extends IOException {
    public ImportException(String message) {
        super(message);
    }

    public ImportException(String message, Throwable cause) {
        super(message, cause);
    }

    static ImportException at(Path file, long offset, String what) {
        return new ImportException(file + " at offset " + offset + ": " + what);
    }

    static ImportException at(Path file, long offset, String what, Throwable cause) {
        return new ImportException(file + " at offset " + offset + ": " + what, cause);
    }
}
