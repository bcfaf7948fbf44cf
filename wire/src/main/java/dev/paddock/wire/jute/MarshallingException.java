package dev.paddock.wire.jute;

/**
 * Bytes that cannot be a valid jute record: a negative or oversized length, a truncated field, an
 * unknown opcode. Always a typed error, never an OutOfMemoryError or an index exception, so that the
 * network layer can close just the connection that sent them.
 */
public final class MarshallingException extends RuntimeException {
    public MarshallingException(String message) {
        super(message);
    }
}
