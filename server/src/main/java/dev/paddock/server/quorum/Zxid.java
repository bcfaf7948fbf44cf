package dev.paddock.server.quorum;

/** zxid = epoch << 32 | counter, as in ZooKeeper. */
public final class Zxid {
    private Zxid() {
    }

    public static long of(long epoch, long counter) {
        return (epoch << 32) | (counter & 0xffff_ffffL);
    }

    public static long epoch(long zxid) {
        return zxid >>> 32;
    }

    public static long counter(long zxid) {
        return zxid & 0xffff_ffffL;
    }

    public static String hex(long zxid) {
        return "0x" + Long.toHexString(zxid);
    }
}
