package dev.paddock.wire;

/** The request types of the client protocol, with ZooKeeper's numeric codes. */
public enum OpCode {
    NOTIFICATION(0),
    CREATE(1),
    DELETE(2),
    EXISTS(3),
    GET_DATA(4),
    SET_DATA(5),
    GET_ACL(6),
    SET_ACL(7),
    GET_CHILDREN(8),
    SYNC(9),
    PING(11),
    GET_CHILDREN2(12),
    CHECK(13),
    MULTI(14),
    CREATE2(15),
    RECONFIG(16),
    CHECK_WATCHES(17),
    REMOVE_WATCHES(18),
    CREATE_CONTAINER(19),
    DELETE_CONTAINER(20),
    CREATE_TTL(21),
    MULTI_READ(22),
    AUTH(100),
    SET_WATCHES(101),
    SASL(102),
    GET_EPHEMERALS(103),
    GET_ALL_CHILDREN_NUMBER(104),
    SET_WATCHES2(105),
    ADD_WATCH(106),
    WHO_AM_I(107),
    CREATE_SESSION(-10),
    CLOSE_SESSION(-11),
    ERROR(-1);

    private static final OpCode[] BY_SMALL_CODE = new OpCode[128];

    static {
        for (OpCode op : values()) {
            if (op.code >= 0 && op.code < BY_SMALL_CODE.length) {
                BY_SMALL_CODE[op.code] = op;
            }
        }
    }

    public final int code;

    OpCode(int code) {
        this.code = code;
    }

    /** The opcode with this number, or null when there is none. */
    public static OpCode of(int code) {
        if (code >= 0 && code < BY_SMALL_CODE.length) {
            return BY_SMALL_CODE[code];
        }
        return switch (code) {
            case -10 -> CREATE_SESSION;
            case -11 -> CLOSE_SESSION;
            case -1 -> ERROR;
            default -> null;
        };
    }
}
