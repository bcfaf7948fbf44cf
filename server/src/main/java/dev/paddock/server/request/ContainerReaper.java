package dev.paddock.server.request;

import dev.paddock.server.time.Clock;
import dev.paddock.server.tree.DataTree;
import dev.paddock.wire.OpCode;
import dev.paddock.wire.proto.PathRequest;
import dev.paddock.wire.proto.Stat;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes containers that had children and have none left, and TTL nodes without children that were not
 * modified for longer than their TTL, as ZooKeeper's ContainerManager does. Each removal is a log entry
 * (deleteContainer), so replicas agree; apply re-checks that the node is still empty.
 */
public final class ContainerReaper implements Runnable {
    /** ZooKeeper's default cap on removals per minute, so a mass expiry cannot flood the log. */
    private static final int MAX_PER_RUN = 10_000;

    private final DataTree tree;
    private final WritePath writePath;
    private final Clock clock;

    public ContainerReaper(DataTree tree, WritePath writePath, Clock clock) {
        this.tree = tree;
        this.writePath = writePath;
        this.clock = clock;
    }

    @Override
    public void run() {
        if (!writePath.decidesExpiry()) {
            return; // in an ensemble only the leader proposes removals
        }
        for (String path : candidates()) {
            writePath.submit(0, List.of(), new PathRequest(OpCode.DELETE_CONTAINER, path), null);
        }
    }

    List<String> candidates() {
        List<String> result = new ArrayList<>();
        for (String path : tree.containers()) {
            Stat s = tree.stat(path);
            if (s.numChildren() == 0 && s.cversion() > 0 && result.size() < MAX_PER_RUN) {
                result.add(path);
            }
        }
        long now = clock.wallMs();
        for (String path : tree.ttlNodes()) {
            Stat s = tree.stat(path);
            long ttl = tree.ttlMs(path);
            if (s.numChildren() == 0 && now - s.mtime() > ttl && result.size() < MAX_PER_RUN) {
                result.add(path);
            }
        }
        return result;
    }
}
