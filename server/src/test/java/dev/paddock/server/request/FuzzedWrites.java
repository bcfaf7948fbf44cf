package dev.paddock.server.request;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.paddock.server.tree.CreateSessionRequest;
import dev.paddock.wire.OpCode;
import dev.paddock.wire.proto.Acl;
import dev.paddock.wire.proto.CreateRequest;
import dev.paddock.wire.proto.CreateTtlRequest;
import dev.paddock.wire.proto.EmptyRequest;
import dev.paddock.wire.proto.Id;
import dev.paddock.wire.proto.MultiRequest;
import dev.paddock.wire.proto.PathRequest;
import dev.paddock.wire.proto.PathVersionRequest;
import dev.paddock.wire.proto.Request;
import dev.paddock.wire.proto.SetAclRequest;
import dev.paddock.wire.proto.SetDataRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes as a fuzzer makes them: each field drawn from a small pool of interesting values (valid and
 * invalid paths, reserved nodes, sequential names, ACLs of every scheme, odd flags, versions and TTLs)
 * or from the fuzzer's bytes, so coverage guidance reaches the state machine's corners quickly.
 */
final class FuzzedWrites {
    static final long[] SESSIONS = {0x100L, 0x200L, 0x300L};
    private static final String[] PATHS = {"/", "/a", "/a/b", "/a/b/c", "/a/s", "/a/s0000000000",
        "/a/s0000000001", "/c", "/c/x", "/t", "/zookeeper", "/zookeeper/quota", "/zookeeper/config",
        "/zookeeper/x", "", "a", "/a/", "/a//b", "/a/.", "/a/..", "/a/b\u0000"};
    private static final List<List<Acl>> ACLS = List.of(
            List.of(new Acl(Acl.ALL, new Id("world", "anyone"))),
            List.of(new Acl(Acl.READ, new Id("world", "anyone"))),
            List.of(new Acl(Acl.ALL, new Id("auth", ""))),
            List.of(new Acl(Acl.ALL, new Id("digest", "u:ABCDEFGHIJKLMNOPQRSTUVWXYZ0="))),
            List.of(new Acl(Acl.ALL, new Id("ip", "127.0.0.0/8"))),
            List.of(new Acl(Acl.ALL, new Id("ip", "300.1.1.1"))),
            List.of(new Acl(Acl.ALL, new Id("sasl", "a/b/c@R"))),
            List.of(new Acl(Acl.ALL, new Id("x509", "CN=client"))),
            List.of(new Acl(Acl.ALL, new Id("nosuch", "x"))),
            List.of(new Acl(0, new Id("world", "anyone"))),
            List.of(new Acl(Acl.ALL | 0x40, new Id("world", "anyone"))),
            List.of());
    static final List<List<Id>> IDENTITIES = List.of(
            List.of(),
            List.of(new Id("ip", "127.0.0.1")),
            List.of(new Id("ip", "127.0.0.1"), new Id("digest", "u:ABCDEFGHIJKLMNOPQRSTUVWXYZ0=")),
            List.of(new Id("super", "")));

    private FuzzedWrites() {
    }

    static Request next(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 10)) {
            case 0 -> new CreateSessionRequest(data.consumeInt(0, 60_000));
            case 1 -> EmptyRequest.CLOSE_SESSION;
            case 2 -> new MultiRequest(OpCode.MULTI, ops(data));
            case 3 -> new PathRequest(OpCode.DELETE_CONTAINER, path(data));
            default -> op(data);
        };
    }

    private static List<Request> ops(FuzzedDataProvider data) {
        int n = data.consumeInt(0, 5);
        List<Request> ops = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ops.add(data.consumeInt(0, 5) == 0 ? new PathVersionRequest(OpCode.CHECK, path(data), version(data))
                    : op(data));
        }
        return ops;
    }

    private static Request op(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 6)) {
            case 0 -> new CreateRequest(OpCode.CREATE, path(data), bytes(data), acl(data), flags(data));
            case 1 -> new CreateRequest(OpCode.CREATE2, path(data), bytes(data), acl(data), flags(data));
            case 2 -> new CreateRequest(OpCode.CREATE_CONTAINER, path(data), bytes(data), acl(data), flags(data));
            case 3 -> new CreateTtlRequest(path(data), bytes(data), acl(data), flags(data),
                    data.consumeBoolean() ? data.consumeLong() : data.consumeLong(-1, 10_000));
            case 4 -> new PathVersionRequest(OpCode.DELETE, path(data), version(data));
            case 5 -> new SetDataRequest(path(data), bytes(data), version(data));
            default -> new SetAclRequest(path(data), acl(data), version(data));
        };
    }

    private static String path(FuzzedDataProvider data) {
        int pick = data.consumeInt(0, PATHS.length + 1);
        if (pick < PATHS.length) {
            return PATHS[pick];
        }
        String tail = data.consumeString(12);
        return pick == PATHS.length ? "/" + tail : "/a/" + tail;
    }

    private static byte[] bytes(FuzzedDataProvider data) {
        return data.consumeBoolean() ? null : data.consumeBytes(data.consumeInt(0, 64));
    }

    private static List<Acl> acl(FuzzedDataProvider data) {
        if (data.consumeInt(0, 7) == 0) {
            return List.of(new Acl(data.consumeInt(), new Id(data.consumeString(6), data.consumeString(20))));
        }
        return ACLS.get(data.consumeInt(0, ACLS.size() - 1));
    }

    private static int flags(FuzzedDataProvider data) {
        return data.consumeBoolean() ? data.consumeInt(0, 6) : data.consumeInt();
    }

    private static int version(FuzzedDataProvider data) {
        return data.consumeInt(-2, 3);
    }
}
