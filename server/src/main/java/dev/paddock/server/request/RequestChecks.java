package dev.paddock.server.request;

import dev.paddock.server.tree.StateMachine;
import dev.paddock.wire.ErrorCode;
import dev.paddock.wire.OpCode;
import dev.paddock.wire.proto.CreateRequest;
import dev.paddock.wire.proto.CreateTtlRequest;
import dev.paddock.wire.proto.MultiRequest;
import dev.paddock.wire.proto.PathRequest;
import dev.paddock.wire.proto.PathVersionRequest;
import dev.paddock.wire.proto.PathWatchRequest;
import dev.paddock.wire.proto.Request;
import dev.paddock.wire.proto.SetDataRequest;

/**
 * Requests that decode but that ZooKeeper 3.9.5 cannot serve, answered before they reach a read or the
 * write path: a null string (jute length -1) where a client always sends a path, a null ACL list in a
 * multi's create, a multi holding a read or a multiRead holding a write. ZooKeeper trips over the null
 * (or the odd operation) inside its request processors and answers MarshallingError (-5); these checks
 * give the same answer without any exception. Pinned by the compat scenarios {@code NullPathScenarios}.
 *
 * <p>Left to the state machine, because ZooKeeper's answer there comes after checks that need the tree:
 * setData and setACL with a null path (BadArguments, from the path validation), ACL entries with a null
 * id. Left to the handlers: sync, getEphemerals, addWatch, checkWatches and removeWatches, where ZooKeeper
 * never looks inside the null path, and setWatches, whose lists are processed in order up to the first
 * null.
 */
final class RequestChecks {
    private RequestChecks() {
    }

    /** The error to answer at once, or null when the request goes on to its handler. */
    static ErrorCode reject(Request request, boolean extendedTypesEnabled) {
        return switch (request.opCode()) {
            case EXISTS, GET_DATA, GET_CHILDREN, GET_CHILDREN2 -> nullPath(((PathWatchRequest) request).path());
            case GET_ACL, GET_ALL_CHILDREN_NUMBER -> nullPath(((PathRequest) request).path());
            case DELETE -> nullPath(((PathVersionRequest) request).path());
            case CREATE, CREATE2, CREATE_CONTAINER -> {
                CreateRequest r = (CreateRequest) request;
                yield r.path() != null ? null
                        : createWithoutPath(StateMachine.createModeError(r.opCode(), r.flags(), -1, extendedTypesEnabled));
            }
            case CREATE_TTL -> {
                CreateTtlRequest r = (CreateTtlRequest) request;
                yield r.path() != null ? null
                        : createWithoutPath(StateMachine.createModeError(OpCode.CREATE_TTL, r.flags(), r.ttl(),
                                extendedTypesEnabled));
            }
            case MULTI -> multi((MultiRequest) request);
            case MULTI_READ -> multiRead((MultiRequest) request);
            default -> null;
        };
    }

    private static ErrorCode nullPath(String path) {
        return path == null ? ErrorCode.MARSHALLING_ERROR : null;
    }

    /** A create without a path fails on the opcode and flags first, as ZooKeeper checks them first. */
    private static ErrorCode createWithoutPath(ErrorCode modeError) {
        return modeError != null ? modeError : ErrorCode.MARSHALLING_ERROR;
    }

    /**
     * A multi fails as a whole, before any operation runs, when it holds a read, an operation with a null
     * path, or a create (not createTTL) with a null ACL list.
     */
    private static ErrorCode multi(MultiRequest multi) {
        for (Request op : multi.ops()) {
            if (!isCompleteWrite(op)) {
                return ErrorCode.MARSHALLING_ERROR;
            }
        }
        return null;
    }

    private static boolean isCompleteWrite(Request op) {
        return switch (op.opCode()) {
            case CREATE, CREATE2, CREATE_CONTAINER -> {
                CreateRequest r = (CreateRequest) op;
                yield r.path() != null && r.acl() != null;
            }
            case CREATE_TTL -> ((CreateTtlRequest) op).path() != null;
            case DELETE, CHECK -> ((PathVersionRequest) op).path() != null;
            case SET_DATA -> ((SetDataRequest) op).path() != null;
            default -> false;
        };
    }

    /** A multiRead fails as a whole when it holds anything but getData and getChildren with a path. */
    private static ErrorCode multiRead(MultiRequest multi) {
        for (Request op : multi.ops()) {
            boolean read = op.opCode() == OpCode.GET_DATA || op.opCode() == OpCode.GET_CHILDREN;
            if (!read || ((PathWatchRequest) op).path() == null) {
                return ErrorCode.MARSHALLING_ERROR;
            }
        }
        return null;
    }
}
