package dev.paddock.server.history;

/**
 * The model's view of one znode: absent, or present with a data version and data. Immutable, with value
 * equality, because the search memoizes (linearized set, state) pairs.
 */
public record ZnodeState(boolean exists, int version, String data) {
    public static final ZnodeState ABSENT = new ZnodeState(false, -1, null);

    public static ZnodeState of(String data, int version) {
        return new ZnodeState(true, version, data);
    }

    @Override
    public String toString() {
        return exists ? "v" + version + " \"" + data + "\"" : "absent";
    }
}
