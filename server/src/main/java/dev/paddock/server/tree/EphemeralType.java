package dev.paddock.server.tree;

/**
 * What a znode's ephemeralOwner field encodes, as ZooKeeper encodes it: 0 for persistent, a session id
 * for ephemeral, Long.MIN_VALUE for a container, and 0xFF in the top byte with the TTL in the low 40 bits
 * for a TTL node (only when extended types are enabled, which also caps server ids at 254).
 */
public enum EphemeralType {
    VOID, NORMAL, CONTAINER, TTL;

    public static final long CONTAINER_OWNER = Long.MIN_VALUE;
    private static final long EXTENDED_MASK = 0xFF00_0000_0000_0000L;
    public static final long MAX_TTL_MS = 0xFF_FFFF_FFFFL;

    public static EphemeralType of(long ephemeralOwner, boolean extendedTypesEnabled) {
        if (ephemeralOwner == 0) {
            return VOID;
        }
        if (ephemeralOwner == CONTAINER_OWNER) {
            return CONTAINER;
        }
        if (extendedTypesEnabled && (ephemeralOwner & EXTENDED_MASK) == EXTENDED_MASK) {
            return TTL;
        }
        return NORMAL;
    }

    public static long ttlOwner(long ttlMs) {
        return EXTENDED_MASK | ttlMs;
    }

    public static long ttlOf(long ephemeralOwner) {
        return ephemeralOwner & MAX_TTL_MS;
    }
}
