package dev.paddock.server.storage;

/** The data on disk cannot be recovered without losing committed entries; the message names the file. */
public final class RecoveryException extends Exception {
    public RecoveryException(String message) {
        super(message);
    }
}
