package dev.paddock.wire.proto;

import dev.paddock.wire.OpCode;
import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteRecord;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.MarshallingException;

/**
 * One entry of a {@link MultiResponse}: a {@link MultiHeader} (type, not done, err) and the body for that
 * type. {@code type} is the operation's opcode, or -1 for an error result; {@code err} is 0 unless
 * {@code type} is -1. The body is {@link PathResponse} for create, {@link Create2Response} for create2,
 * createTTL and createContainer, {@link StatResponse} for setData, {@link StringListResponse} for
 * getChildren, {@link GetDataResponse} for getData, {@link ErrorResponse} for an error, and null for
 * delete and check.
 */
public record MultiResult(int type, int err, Response body) implements JuteRecord {
    public static final int ERROR = -1;

    /** A successful result of an operation with the given opcode. */
    public static MultiResult ok(OpCode op, Response body) {
        return new MultiResult(op.code, 0, body);
    }

    /** A failed (or, after a failure, rolled back) operation: type -1 with an {@link ErrorResponse} body. */
    public static MultiResult error(int err) {
        return new MultiResult(ERROR, err, new ErrorResponse(err));
    }

    /** Reads the body that follows {@code header}, which must not be the end header. */
    public static MultiResult read(MultiHeader header, JuteReader in) {
        int type = header.type();
        Response body;
        switch (type) {
            case 1 -> body = PathResponse.read(in);
            case 15, 19, 21 -> body = Create2Response.read(in);
            case 2, 13 -> body = null;
            case 5 -> body = StatResponse.read(in);
            case 8 -> body = StringListResponse.read(in);
            case 4 -> body = GetDataResponse.read(in);
            case ERROR -> body = ErrorResponse.read(in);
            default -> throw new MarshallingException("invalid result type " + type + " in multi response");
        }
        return new MultiResult(type, header.err(), body);
    }

    @Override
    public void write(JuteWriter out) {
        out.writeRecord(new MultiHeader(type, false, err));
        if (body != null) {
            out.writeRecord(body);
        }
    }

    @Override
    public int size() {
        return MultiHeader.SIZE + (body == null ? 0 : body.size());
    }
}
