package dev.paddock.server.history;

import java.util.Objects;

/**
 * One client operation on one znode, as the client asked it (the answer is an {@link Outcome}). The key is
 * the znode's path; the checker checks each key on its own (P-compositionality), so an operation touches one
 * key only. Data are strings; {@link RecordingClient} maps bytes to them losslessly (ISO-8859-1).
 *
 * @param kind what the client asked
 * @param key the znode's path
 * @param expectedVersion the version a conditional setData or delete names, or -1 for "any"
 * @param data what setData or create writes, null otherwise
 */
public record Operation(Kind kind, String key, int expectedVersion, String data) {
    /** The kinds of operation the znode model knows. */
    public enum Kind {
        /** getData without a sync before it: checked only for per-session order. */
        READ,
        /** getData right after a sync in the same session: checked for linearizability. */
        SYNCED_READ,
        /** setData, blind (expected version -1) or conditional (compare-and-set on the version). */
        SET,
        /** create of a persistent node. */
        CREATE,
        /** delete, blind or conditional. */
        DELETE
    }

    public Operation {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        if ((kind == Kind.SET || kind == Kind.CREATE) != (data != null)) {
            throw new IllegalArgumentException(kind + " with data " + data);
        }
    }

    public static Operation read(String key) {
        return new Operation(Kind.READ, key, -1, null);
    }

    public static Operation syncedRead(String key) {
        return new Operation(Kind.SYNCED_READ, key, -1, null);
    }

    /** setData with version -1. */
    public static Operation write(String key, String data) {
        return new Operation(Kind.SET, key, -1, data);
    }

    /** setData that succeeds only if the node's version is {@code expectedVersion}. */
    public static Operation cas(String key, int expectedVersion, String data) {
        return new Operation(Kind.SET, key, expectedVersion, data);
    }

    public static Operation create(String key, String data) {
        return new Operation(Kind.CREATE, key, -1, data);
    }

    public static Operation delete(String key, int expectedVersion) {
        return new Operation(Kind.DELETE, key, expectedVersion, null);
    }

    /** Whether the operation takes part in the linearizability search (plain reads do not). */
    public boolean linearizable() {
        return kind != Kind.READ;
    }

    /** Whether the operation can change the node (so an unknown outcome matters). */
    public boolean mutates() {
        return kind == Kind.SET || kind == Kind.CREATE || kind == Kind.DELETE;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case READ -> "read(" + key + ")";
            case SYNCED_READ -> "syncedRead(" + key + ")";
            case SET -> expectedVersion < 0 ? "write(" + key + ", \"" + data + "\")"
                    : "cas(" + key + ", v" + expectedVersion + ", \"" + data + "\")";
            case CREATE -> "create(" + key + ", \"" + data + "\")";
            case DELETE -> "delete(" + key + ", v" + expectedVersion + ")";
        };
    }
}
