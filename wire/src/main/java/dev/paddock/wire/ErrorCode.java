package dev.paddock.wire;

/**
 * ZooKeeper's error codes ({@code KeeperException.Code}) with their wire values. This is the one place
 * where Paddock's errors meet the numbers clients understand.
 */
public enum ErrorCode {
    OK(0),
    SYSTEM_ERROR(-1),
    RUNTIME_INCONSISTENCY(-2),
    DATA_INCONSISTENCY(-3),
    CONNECTION_LOSS(-4),
    MARSHALLING_ERROR(-5),
    UNIMPLEMENTED(-6),
    OPERATION_TIMEOUT(-7),
    BAD_ARGUMENTS(-8),
    NEW_CONFIG_NO_QUORUM(-13),
    RECONFIG_IN_PROGRESS(-14),
    UNKNOWN_SESSION(-12),
    API_ERROR(-100),
    NO_NODE(-101),
    NO_AUTH(-102),
    BAD_VERSION(-103),
    NO_CHILDREN_FOR_EPHEMERALS(-108),
    NODE_EXISTS(-110),
    NOT_EMPTY(-111),
    SESSION_EXPIRED(-112),
    INVALID_CALLBACK(-113),
    INVALID_ACL(-114),
    AUTH_FAILED(-115),
    SESSION_MOVED(-118),
    NOT_READ_ONLY(-119),
    EPHEMERAL_ON_LOCAL_SESSION(-120),
    NO_WATCHER(-121),
    REQUEST_TIMEOUT(-122),
    RECONFIG_DISABLED(-123),
    SESSION_CLOSED_REQUIRE_SASL_AUTH(-124),
    QUOTA_EXCEEDED(-125),
    THROTTLED_OP(-127);

    public final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    public static ErrorCode of(int code) {
        for (ErrorCode e : values()) {
            if (e.code == code) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown error code " + code);
    }
}
