package dev.paddock.server.ensemble;

import dev.paddock.server.tree.AclLists;
import dev.paddock.server.tree.ApplyResult;
import dev.paddock.server.tree.CreateMode;
import dev.paddock.wire.OpCode;
import dev.paddock.wire.proto.Create2Response;
import dev.paddock.wire.proto.CreateRequest;
import dev.paddock.wire.proto.MultiRequest;
import dev.paddock.wire.proto.PathResponse;
import dev.paddock.wire.proto.PathVersionRequest;
import dev.paddock.wire.proto.Request;
import dev.paddock.wire.proto.SetDataRequest;
import dev.paddock.wire.proto.StatResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What one simulated client writes: creates (persistent, ephemeral, ephemeral sequential), setData, delete
 * and multi (a check and a few more ops) over a few paths, so writes collide and often fail on versions,
 * missing parents or existing nodes, which are committed results too. Versions are the ones the client last
 * learned from its own answers, or -1, or a guess.
 */
final class SimRequests {
    private static final String[] PERSISTENT = {"/a", "/b", "/q", "/a/x", "/a/y", "/b/x", "/q/x"};
    private static final String[] EPHEMERAL = {"/e1", "/e2", "/a/e", "/q/e"};

    private final int clientId;
    private final SplittableRandom random;
    private final Map<String, Integer> versions = new HashMap<>();
    private final List<String> sequentials = new ArrayList<>();
    private long counter;

    SimRequests(int clientId, SplittableRandom random) {
        this.clientId = clientId;
        this.random = random;
    }

    /** Remembers versions and sequential names from its own answers, for later conditional writes. */
    void learn(Request request, ApplyResult result) {
        if (result.response() instanceof StatResponse s && request instanceof SetDataRequest sd) {
            versions.put(sd.path(), s.stat().version());
        } else if (result.response() instanceof Create2Response cr) {
            versions.put(cr.path(), cr.stat().version());
            if (cr.path().startsWith("/q/n-")) {
                sequentials.add(cr.path());
            }
        } else if (result.response() instanceof PathResponse pr && pr.path().startsWith("/q/n-")) {
            sequentials.add(pr.path());
        }
    }

    Request next() {
        double r = random.nextDouble();
        if (r < 0.3) {
            return create();
        } else if (r < 0.6) {
            String path = pick(PERSISTENT);
            return new SetDataRequest(path, data(), version(path));
        } else if (r < 0.8) {
            return delete();
        }
        return multi();
    }

    private Request create() {
        double r = random.nextDouble();
        OpCode op = random.nextBoolean() ? OpCode.CREATE : OpCode.CREATE2;
        if (r < 0.55) {
            return new CreateRequest(op, pick(PERSISTENT), data(), AclLists.OPEN, CreateMode.PERSISTENT.flag);
        } else if (r < 0.85) {
            return new CreateRequest(op, pick(EPHEMERAL), data(), AclLists.OPEN, CreateMode.EPHEMERAL.flag);
        }
        return new CreateRequest(op, "/q/n-", data(), AclLists.OPEN, CreateMode.EPHEMERAL_SEQUENTIAL.flag);
    }

    private Request delete() {
        String path;
        if (!sequentials.isEmpty() && random.nextInt(3) == 0) {
            path = sequentials.remove(random.nextInt(sequentials.size()));
        } else {
            path = random.nextBoolean() ? pick(PERSISTENT) : pick(EPHEMERAL);
        }
        return new PathVersionRequest(OpCode.DELETE, path, version(path));
    }

    private Request multi() {
        List<Request> ops = new ArrayList<>();
        String path = pick(PERSISTENT);
        ops.add(new PathVersionRequest(OpCode.CHECK, path, version(path)));
        int more = 1 + random.nextInt(3);
        for (int i = 0; i < more; i++) {
            double r = random.nextDouble();
            if (r < 0.4) {
                String p = pick(PERSISTENT);
                ops.add(new SetDataRequest(p, data(), version(p)));
            } else if (r < 0.7) {
                ops.add(create());
            } else {
                ops.add(delete());
            }
        }
        return new MultiRequest(OpCode.MULTI, ops);
    }

    private int version(String path) {
        double r = random.nextDouble();
        if (r < 0.5) {
            return -1;
        }
        Integer known = versions.get(path);
        return known != null && r < 0.85 ? known : random.nextInt(4);
    }

    /** Unique per write (so every committed entry is told apart), sometimes null as Kafka writes it. */
    private byte[] data() {
        int r = random.nextInt(50);
        if (r < 5) {
            return null;
        }
        byte[] name = ("c" + clientId + "-" + (++counter)).getBytes(StandardCharsets.UTF_8);
        if (r != 5) {
            return name;
        }
        // Now and then a big value, so the log's tail also reaches its byte bound between snapshots.
        byte[] big = new byte[512 + random.nextInt(1024)];
        System.arraycopy(name, 0, big, 0, name.length);
        return big;
    }

    private String pick(String[] paths) {
        return paths[random.nextInt(paths.length)];
    }
}
