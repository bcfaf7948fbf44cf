package dev.paddock.wire;

/** The reserved xids of the client protocol. */
public final class Xid {
    /** A watch notification sent by the server. */
    public static final int NOTIFICATION = -1;
    public static final int PING = -2;
    public static final int AUTH = -4;
    public static final int SET_WATCHES = -8;

    private Xid() {
    }
}
