package dev.paddock.server.request;

import dev.paddock.server.stats.ServerStats;
import dev.paddock.server.tree.ApplyResult;
import dev.paddock.wire.ErrorCode;
import dev.paddock.wire.proto.CreateRequest;
import dev.paddock.wire.proto.CreateTtlRequest;
import dev.paddock.wire.proto.MultiRequest;
import dev.paddock.wire.proto.MultiResponse;
import dev.paddock.wire.proto.Request;
import dev.paddock.wire.proto.SetDataRequest;

/**
 * Counts a write refused for a hard quota under the top-level namespace of its path (ZooKeeper's
 * {@code quota_exceeded_error_per_namespace}; a multi counts the op that was refused). ZooKeeper counts where its
 * leader prepares the write; Paddock where the request was taken, once per refusal either way.
 */
final class QuotaRefusals {
    private QuotaRefusals() {
    }

    static void count(Request request, ApplyResult result, ServerStats stats) {
        String path = null;
        if (result.error() == ErrorCode.QUOTA_EXCEEDED) {
            path = pathOf(request);
        } else if (request instanceof MultiRequest multi && result.response() instanceof MultiResponse answer) {
            for (int i = 0; i < answer.results().size() && i < multi.ops().size(); i++) {
                if (answer.results().get(i).err() == ErrorCode.QUOTA_EXCEEDED.code) {
                    path = pathOf(multi.ops().get(i));
                }
            }
        }
        String namespace = topNamespace(path);
        if (namespace != null) {
            stats.quotaExceeded(namespace);
        }
    }

    private static String pathOf(Request request) {
        if (request instanceof CreateRequest r) {
            return r.path();
        }
        if (request instanceof CreateTtlRequest r) {
            return r.path();
        }
        return request instanceof SetDataRequest r ? r.path() : null;
    }

    /** ZooKeeper's PathUtils.getTopNamespace: the first component, or null when there is none. */
    private static String topNamespace(String path) {
        if (path == null) {
            return null;
        }
        String[] parts = path.split("/");
        return parts.length > 1 ? parts[1] : null;
    }
}
