package dev.paddock.wire.proto;

import dev.paddock.wire.OpCode;
import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.MarshallingException;

/** Decodes the body of a client request, which follows its {@link RequestHeader}, by the header's opcode. */
public final class Requests {
    private Requests() {
    }

    /**
     * The request body for {@code opCode}. Bytes after the body are left unread, as ZooKeeper does.
     *
     * @throws MarshallingException for an opcode that clients do not send, or a malformed body
     */
    public static Request read(int opCode, JuteReader in) {
        OpCode op = OpCode.of(opCode);
        if (op == null) {
            throw new MarshallingException("unknown opcode " + opCode);
        }
        return switch (op) {
            case CREATE, CREATE2, CREATE_CONTAINER -> CreateRequest.read(op, in);
            case CREATE_TTL -> CreateTtlRequest.read(in);
            case DELETE, CHECK -> PathVersionRequest.read(op, in);
            case EXISTS, GET_DATA, GET_CHILDREN, GET_CHILDREN2 -> PathWatchRequest.read(op, in);
            case SET_DATA -> SetDataRequest.read(in);
            case GET_ACL, SYNC, GET_EPHEMERALS, GET_ALL_CHILDREN_NUMBER -> PathRequest.read(op, in);
            case SET_ACL -> SetAclRequest.read(in);
            case MULTI, MULTI_READ -> MultiRequest.read(op, in);
            case RECONFIG -> ReconfigRequest.read(in);
            case CHECK_WATCHES, REMOVE_WATCHES, ADD_WATCH -> WatchModeRequest.read(op, in);
            case AUTH -> AuthPacket.read(in);
            case SET_WATCHES -> SetWatchesRequest.read(in);
            case SET_WATCHES2 -> SetWatches2Request.read(in);
            case SASL -> SaslRequest.read(in);
            case PING -> EmptyRequest.PING;
            case CLOSE_SESSION -> EmptyRequest.CLOSE_SESSION;
            case WHO_AM_I -> EmptyRequest.WHO_AM_I;
            case NOTIFICATION, DELETE_CONTAINER, CREATE_SESSION, ERROR ->
                    throw new MarshallingException("opcode " + opCode + " (" + op + ") is not a client request");
        };
    }
}
