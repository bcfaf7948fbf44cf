package dev.paddock.server.storage;

import dev.paddock.server.tree.Txn;
import dev.paddock.wire.jute.MarshallingException;
import java.nio.ByteBuffer;

/**
 * The payload of one replicated log entry, as it travels between members and as it lies in a log record:
 *
 * <pre>
 * record version (1) | origin server id (4) | request number at the origin (8) | transaction (TxnCodec)
 * </pre>
 *
 * The version byte lets the record grow (ClickHouse Keeper's changelog does the same): a later version may
 * append fields (a tree digest, a trace id) and readers refuse versions they do not know, naming them. The
 * origin and request number let the server that took the request answer its client when the entry applies;
 * entries read from a standalone log written before version 1 existed carry origin 0 and request 0.
 */
public final class EntryPayload {
    public static final byte VERSION = 1;
    /** Bytes before the transaction. */
    public static final int PREFIX_BYTES = 1 + 4 + 8;

    /** A decoded payload. */
    public record Decoded(int origin, long requestId, Txn txn) {
    }

    private EntryPayload() {
    }

    /** The payload of {@code txn} (whose zxid is not stored: the record header holds it). */
    public static byte[] encode(int origin, long requestId, Txn txn) {
        ByteBuffer b = ByteBuffer.allocate(PREFIX_BYTES + TxnCodec.size(txn));
        b.put(VERSION).putInt(origin).putLong(requestId);
        TxnCodec.write(txn, b);
        return b.array();
    }

    /** The opcode of the transaction in {@code payload}, read in place (no decoding); -1 if it is too short. */
    public static int opCode(byte[] payload) {
        int at = PREFIX_BYTES + TxnCodec.OPCODE_OFFSET;
        if (payload.length < at + 4) {
            return -1;
        }
        return (payload[at] & 0xff) << 24 | (payload[at + 1] & 0xff) << 16 | (payload[at + 2] & 0xff) << 8
                | payload[at + 3] & 0xff;
    }

    /** {@link #opCode(byte[])} of a payload in a buffer (from its position), read in place. */
    public static int opCode(ByteBuffer payload) {
        int at = PREFIX_BYTES + TxnCodec.OPCODE_OFFSET;
        if (payload.remaining() < at + 4) {
            return -1;
        }
        return payload.getInt(payload.position() + at);
    }

    /** Whether a payload holds a reconfiguration (what a member must find in its log after start-up). */
    public static boolean isReconfig(byte[] payload) {
        return opCode(payload) == dev.paddock.wire.OpCode.RECONFIG.code;
    }

    /** A payload around a bare transaction encoding, as segments of format 1 hold them. */
    static ByteBuffer fromBareTxn(ByteBuffer txn) {
        ByteBuffer b = ByteBuffer.allocate(PREFIX_BYTES + txn.remaining());
        b.put(VERSION).putInt(0).putLong(0).put(txn.duplicate());
        return b.flip();
    }

    /** @throws MarshallingException when the payload is of an unknown version or does not decode */
    public static Decoded decode(long zxid, ByteBuffer payload) {
        ByteBuffer b = payload.duplicate();
        if (b.remaining() < PREFIX_BYTES) {
            throw new MarshallingException("entry 0x" + Long.toHexString(zxid) + " has only " + b.remaining()
                    + " bytes");
        }
        byte version = b.get();
        if (version != VERSION) {
            throw new MarshallingException("entry 0x" + Long.toHexString(zxid) + " has record version " + version
                    + "; this Paddock reads version " + VERSION + " (written by a newer Paddock?)");
        }
        int origin = b.getInt();
        long requestId = b.getLong();
        return new Decoded(origin, requestId, TxnCodec.read(zxid, b.slice()));
    }

    public static Decoded decode(long zxid, byte[] payload) {
        return decode(zxid, ByteBuffer.wrap(payload));
    }
}
