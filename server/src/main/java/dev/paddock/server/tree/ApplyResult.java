package dev.paddock.server.tree;

import dev.paddock.wire.ErrorCode;
import dev.paddock.wire.proto.Response;
import java.util.List;

/** The outcome of applying one entry: the answer for the client, and what changed for the watchers. */
public record ApplyResult(ErrorCode error, Response response, List<Change> changes) {
    public static ApplyResult error(ErrorCode code) {
        return new ApplyResult(code, null, List.of());
    }
}
