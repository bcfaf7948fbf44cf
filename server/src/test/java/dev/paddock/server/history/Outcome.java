package dev.paddock.server.history;

import java.util.Objects;

/**
 * The answer a client got. {@code version} is the version read (reads), the new version (setData), 0
 * (create) or -1 (delete, errors); {@code data} is what a read returned. {@code czxid}, when known (else -1),
 * tells one incarnation of a node from the next after a delete and create; only the per-session order
 * check uses it, the linearizability check compares code, version and data.
 */
public record Outcome(Code code, int version, String data, long czxid) {
    /** The results the znode model can give; other errors mean the operation did not happen ({@code fail}). */
    public enum Code {
        OK, NO_NODE, NODE_EXISTS, BAD_VERSION
    }

    public Outcome {
        Objects.requireNonNull(code, "code");
    }

    public static Outcome read(String data, int version) {
        return read(data, version, -1);
    }

    public static Outcome read(String data, int version, long czxid) {
        return new Outcome(Code.OK, version, Objects.requireNonNull(data, "data"), czxid);
    }

    /** setData succeeded and the node is now at {@code newVersion}. */
    public static Outcome written(int newVersion) {
        return written(newVersion, -1);
    }

    public static Outcome written(int newVersion, long czxid) {
        return new Outcome(Code.OK, newVersion, null, czxid);
    }

    public static Outcome created() {
        return created(-1);
    }

    public static Outcome created(long czxid) {
        return new Outcome(Code.OK, 0, null, czxid);
    }

    public static Outcome deleted() {
        return new Outcome(Code.OK, -1, null, -1);
    }

    public static Outcome noNode() {
        return new Outcome(Code.NO_NODE, -1, null, -1);
    }

    public static Outcome nodeExists() {
        return new Outcome(Code.NODE_EXISTS, -1, null, -1);
    }

    public static Outcome badVersion() {
        return new Outcome(Code.BAD_VERSION, -1, null, -1);
    }

    /** The same answer, whatever the czxid (the model does not track it). */
    public boolean sameAs(Outcome other) {
        return code == other.code && version == other.version && Objects.equals(data, other.data);
    }

    /** Whether this answer shows a version of an existing node (reads, setData, create). */
    public boolean showsVersion() {
        return code == Code.OK && version >= 0;
    }

    @Override
    public String toString() {
        if (code != Code.OK) {
            return code.toString();
        }
        String text = version < 0 ? "ok" : "ok v" + version;
        return data == null ? text : text + " \"" + data + "\"";
    }
}
