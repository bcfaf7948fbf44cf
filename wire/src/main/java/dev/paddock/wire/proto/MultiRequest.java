package dev.paddock.wire.proto;

import dev.paddock.wire.OpCode;
import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.MarshallingException;
import java.util.ArrayList;
import java.util.List;

/**
 * multi (14) and multiRead (22): a list of operations, each preceded by a {@link MultiHeader} carrying its
 * opcode, ended by {@link MultiHeader#END}. The operations a multi may hold are create, create2,
 * createContainer ({@link CreateRequest}), createTTL ({@link CreateTtlRequest}), delete and check
 * ({@link PathVersionRequest}), setData ({@link SetDataRequest}); a multiRead holds getChildren and getData
 * ({@link PathWatchRequest}, whose watch flag is always false from ZooKeeper's client).
 */
public record MultiRequest(OpCode opCode, List<Request> ops) implements Request {
    public static MultiRequest read(OpCode opCode, JuteReader in) {
        List<Request> ops = new ArrayList<>();
        // Every operation takes at least one header of the frame, so the frame bounds the list.
        for (MultiHeader h = MultiHeader.read(in); !h.done(); h = MultiHeader.read(in)) {
            ops.add(readOp(h.type(), in));
        }
        return new MultiRequest(opCode, ops);
    }

    private static Request readOp(int type, JuteReader in) {
        OpCode op = OpCode.of(type);
        if (op == null) {
            throw new MarshallingException("invalid operation type " + type + " in multi");
        }
        return switch (op) {
            case CREATE, CREATE2, CREATE_CONTAINER -> CreateRequest.read(op, in);
            case CREATE_TTL -> CreateTtlRequest.read(in);
            case DELETE, CHECK -> PathVersionRequest.read(op, in);
            case SET_DATA -> SetDataRequest.read(in);
            case GET_CHILDREN, GET_DATA -> PathWatchRequest.read(op, in);
            default -> throw new MarshallingException("invalid operation type " + type + " (" + op + ") in multi");
        };
    }

    @Override
    public void write(JuteWriter out) {
        for (Request op : ops) {
            out.writeRecord(new MultiHeader(op.opCode().code, false, -1)).writeRecord(op);
        }
        out.writeRecord(MultiHeader.END);
    }

    @Override
    public int size() {
        int size = MultiHeader.SIZE;
        for (Request op : ops) {
            size += MultiHeader.SIZE + op.size();
        }
        return size;
    }
}
