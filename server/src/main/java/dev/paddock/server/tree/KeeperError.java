package dev.paddock.server.tree;

import dev.paddock.wire.ErrorCode;

/**
 * A ZooKeeper error answered to the client (NoNode, BadVersion, ...). Operating errors, not bugs: they are
 * results, carried as exceptions only inside one apply or read so the code stays linear. No stack trace.
 */
public final class KeeperError extends Exception {
    private final ErrorCode code;

    public KeeperError(ErrorCode code) {
        super(code.name(), null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
