package dev.paddock.server.storage;

import dev.paddock.server.tree.CreateSessionRequest;
import dev.paddock.server.tree.Txn;
import dev.paddock.wire.OpCode;
import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.MarshallingException;
import dev.paddock.wire.proto.Id;
import dev.paddock.wire.proto.PathRequest;
import dev.paddock.wire.proto.Request;
import dev.paddock.wire.proto.Requests;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The transaction inside a log record's payload ({@link EntryPayload}), in one of two forms. The zxid lives
 * in the record header.
 *
 * <pre>
 * compact (written now): opcode (zigzag varint) | time (zigzag varint) | session id (8) | identities and the
 *                        request in {@link JuteWriter#compact}'s form
 * fixed (read only):     time (8) | session id (8) | opcode (4) | identities (jute list of Id) | the request's
 *                        jute encoding
 * </pre>
 */
public final class TxnCodec {
    private TxnCodec() {
    }

    public static int size(Txn txn) {
        int size = 8 + 8 + 4 + 4;
        for (Id id : txn.identities()) {
            size += id.size();
        }
        return size + txn.request().size();
    }

    /** Writes the payload at the buffer's position, which must have {@link #size} bytes left. */
    public static void write(Txn txn, ByteBuffer buf) {
        JuteWriter out = JuteWriter.wrap(buf);
        out.writeLong(txn.timeMs()).writeLong(txn.sessionId()).writeInt(txn.request().opCode().code);
        out.writeRecordList(txn.identities());
        txn.request().write(out);
    }

    /** Byte offset of the opcode in a payload written by {@link #write}. */
    public static final int OPCODE_OFFSET = 8 + 8;

    public static byte[] encode(Txn txn) {
        ByteBuffer b = ByteBuffer.allocate(size(txn));
        write(txn, b);
        return b.array();
    }

    /** Writes the compact form (the size is counted by writing it to {@link JuteWriter#counting}). */
    static void writeCompact(Txn txn, JuteWriter out) {
        out.writeInt(txn.request().opCode().code).writeVarLong(JuteWriter.zigzag(txn.timeMs()))
                .writeLong(txn.sessionId()).writeRecordList(txn.identities());
        txn.request().write(out);
    }

    /** Reads the fixed form. @throws MarshallingException when the payload does not decode */
    public static Txn read(long zxid, ByteBuffer payload) {
        JuteReader in = JuteReader.of(payload);
        long timeMs = in.readLong();
        long sessionId = in.readLong();
        int opCode = in.readInt();
        return readRest(zxid, timeMs, sessionId, opCode, payload, in, false);
    }

    /** Reads the compact form. @throws MarshallingException when the payload does not decode */
    static Txn readCompact(long zxid, ByteBuffer payload) {
        JuteReader in = JuteReader.compact(payload);
        int opCode = in.readInt();
        long timeMs = JuteReader.unzigzag(in.readVarLong());
        long sessionId = in.readLong();
        return readRest(zxid, timeMs, sessionId, opCode, payload, in, true);
    }

    /** The identities and the request, which {@code in} (reading {@code payload} from its position) is at. */
    private static Txn readRest(long zxid, long timeMs, long sessionId, int opCode, ByteBuffer payload,
                                JuteReader in, boolean compact) {
        List<Id> ids;
        int idsAt = in.position();
        IdsSeen seen = lastIds;
        if (seen != null && seen.compact == compact && seen.isAt(payload, payload.position() + idsAt)) {
            ids = seen.ids;
            ByteBuffer rest = payload.duplicate().position(payload.position() + idsAt + seen.encoding.length);
            in = compact ? JuteReader.compact(rest) : JuteReader.of(rest);
        } else {
            List<Id> read = in.readList(Id::read, 8);
            ids = read == null ? List.of() : List.copyOf(read);
            remember(payload, payload.position() + idsAt, in.position() - idsAt, ids, compact);
        }
        Request request;
        if (opCode == OpCode.CREATE_SESSION.code) {
            request = CreateSessionRequest.read(in);
        } else if (opCode == OpCode.RECONFIG.code) {
            request = dev.paddock.server.tree.ConfigChange.read(in);
        } else if (opCode == OpCode.DELETE_CONTAINER.code) {
            request = PathRequest.read(OpCode.DELETE_CONTAINER, in);
        } else {
            request = Requests.read(opCode, in);
        }
        if (in.remaining() != 0) {
            throw new MarshallingException(in.remaining() + " bytes left after the request of zxid 0x"
                    + Long.toHexString(zxid));
        }
        return new Txn(zxid, timeMs, sessionId, ids, request);
    }

    /**
     * Consecutive entries mostly carry the same identities (one client's writes, the replay of a bulk load), so
     * the encoding last decoded and its list are kept: bytes equal to that encoding would decode to that list
     * and end right after it, so the list is reused. Any thread may decode; a race only misses the reuse.
     */
    private static void remember(ByteBuffer payload, int at, int length, List<Id> ids, boolean compact) {
        if (length <= MAX_REMEMBERED_IDS_BYTES) {
            byte[] encoding = new byte[length];
            payload.get(at, encoding);
            lastIds = new IdsSeen(encoding, ids, compact);
        }
    }

    /** An encoding of an identities list (in the compact form or the fixed one) and the list it decodes to. */
    private record IdsSeen(byte[] encoding, List<Id> ids, boolean compact) {
        /** Whether {@code buf} holds this encoding at absolute index {@code at}. */
        boolean isAt(ByteBuffer buf, int at) {
            return buf.limit() - at >= encoding.length
                    && buf.slice(at, encoding.length).equals(ByteBuffer.wrap(encoding));
        }
    }

    private static final int MAX_REMEMBERED_IDS_BYTES = 1024;
    private static volatile IdsSeen lastIds;
}
