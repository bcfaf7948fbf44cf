package dev.paddock.server.quorum;

import java.util.Arrays;

/** One replicated log entry: its zxid and an opaque payload (a serialized transaction). */
public record Entry(long zxid, byte[] payload) {
    @Override
    public boolean equals(Object o) {
        return o instanceof Entry e && e.zxid == zxid && Arrays.equals(e.payload, payload);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(zxid) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "Entry[" + Zxid.hex(zxid) + ", " + payload.length + " bytes]";
    }
}
