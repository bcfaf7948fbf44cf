package dev.paddock.server.storage;

import dev.paddock.server.tree.AclLists;
import dev.paddock.server.tree.CreateMode;
import dev.paddock.server.tree.CreateSessionRequest;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.TreeSnapshot;
import dev.paddock.server.tree.Txn;
import dev.paddock.wire.OpCode;
import dev.paddock.wire.proto.CreateRequest;
import dev.paddock.wire.proto.EmptyRequest;
import dev.paddock.wire.proto.Id;
import dev.paddock.wire.proto.MultiRequest;
import dev.paddock.wire.proto.PathRequest;
import dev.paddock.wire.proto.PathVersionRequest;
import dev.paddock.wire.proto.Request;
import dev.paddock.wire.proto.SetDataRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/** Deterministic workloads and helpers for the storage tests. */
final class LogTestSupport {
    static final List<Id> IDS = List.of(new Id("ip", "127.0.0.1"));

    private LogTestSupport() {
    }

    /**
     * {@code count} entries (zxids 1..count) of a mixed workload: sessions, persistent, sequential and
     * ephemeral creates, setData, deletes, multis (some failing), a container delete and session closes.
     */
    static List<Txn> workload(long seed, int count) {
        Random r = new Random(seed);
        StateMachine model = new StateMachine(true);
        List<Txn> txns = new ArrayList<>(count);
        List<Long> sessions = new ArrayList<>();
        List<String> nodes = new ArrayList<>();
        nodes.add("/app");
        for (int i = 1; i <= count; i++) {
            Request req;
            long session = sessions.isEmpty() ? 0 : sessions.get(r.nextInt(sessions.size()));
            int pick = i == 1 ? -1 : r.nextInt(100);
            if (i == 1) {
                req = new CreateRequest(OpCode.CREATE, "/app", new byte[] {1}, AclLists.OPEN, 0);
            } else if (pick < 8 || sessions.isEmpty()) {
                session = 0x100L + i;
                sessions.add(session);
                req = new CreateSessionRequest(30_000);
            } else if (pick < 35) {
                String parent = nodes.get(r.nextInt(nodes.size()));
                CreateMode mode = switch (r.nextInt(4)) {
                    case 0 -> CreateMode.PERSISTENT_SEQUENTIAL;
                    case 1 -> CreateMode.EPHEMERAL;
                    default -> CreateMode.PERSISTENT;
                };
                String path = parent + "/n" + i;
                byte[] data = r.nextInt(10) == 0 ? null : bytes(r, r.nextInt(40));
                req = new CreateRequest(r.nextBoolean() ? OpCode.CREATE : OpCode.CREATE2, path, data, AclLists.OPEN,
                        mode.flag);
                if (mode == CreateMode.PERSISTENT) {
                    nodes.add(path);
                }
            } else if (pick < 60) {
                String path = nodes.get(r.nextInt(nodes.size()));
                req = new SetDataRequest(path, bytes(r, r.nextInt(60)), r.nextInt(5) == 0 ? 3 : -1);
            } else if (pick < 70 && nodes.size() > 1) {
                String path = nodes.remove(1 + r.nextInt(nodes.size() - 1));
                req = new PathVersionRequest(OpCode.DELETE, path, -1);
            } else if (pick < 85) {
                String a = "/app/m" + i;
                List<Request> ops = new ArrayList<>();
                ops.add(new CreateRequest(OpCode.CREATE, a, bytes(r, 5), AclLists.OPEN, 0));
                ops.add(new CreateRequest(OpCode.CREATE, a + "/c", bytes(r, 5), AclLists.OPEN, 0));
                if (r.nextInt(3) == 0) {
                    ops.add(new PathVersionRequest(OpCode.CHECK, "/app", 12345)); // fails: the multi rolls back
                } else {
                    nodes.add(a);
                }
                req = new MultiRequest(OpCode.MULTI, ops);
            } else if (pick < 90) {
                req = new PathRequest(OpCode.DELETE_CONTAINER, "/app/none" + i);
            } else if (sessions.size() > 1) {
                session = sessions.remove(r.nextInt(sessions.size()));
                req = EmptyRequest.CLOSE_SESSION;
            } else {
                req = new CreateRequest(OpCode.CREATE, "/app/x" + i, null, AclLists.OPEN, 0);
            }
            Txn txn = new Txn(i, 1_700_000_000_000L + i, session, IDS, req);
            model.apply(txn);
            txns.add(txn);
        }
        return txns;
    }

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    /** The state after the first {@code n} entries. */
    static StateMachine applied(List<Txn> txns, int n) {
        StateMachine sm = new StateMachine(true);
        for (int i = 0; i < n; i++) {
            sm.apply(txns.get(i));
        }
        return sm;
    }

    /** Writes entries {@code from..to-1} (list indexes) through a SegmentWriter and waits until durable. */
    static void log(Path dir, List<Txn> txns, int from, int to, long preAllocBytes) throws Exception {
        SegmentWriter w = new SegmentWriter(dir, dir, preAllocBytes, false, new SegmentWriter.Durable(0, 0),
                () -> true, t -> { });
        w.start();
        for (int i = from; i < to; i++) {
            w.submit(new SegmentWriter.Append(entry(txns.get(i)), 0));
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (w.durable().zxid() < txns.get(to - 1).zxid()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("log writer did not finish");
            }
            LockSupport.parkNanos(1_000_000);
        }
        w.close();
    }

    /** Every transaction in the segments of {@code dir}, in order; each segment must scan clean. */
    static List<Txn> readBack(Path dir) throws Exception {
        List<Txn> read = new ArrayList<>();
        for (Path segment : LogFormat.list(dir, LogFormat.LOG_PREFIX)) {
            SegmentScanner.Outcome o = SegmentScanner.scan(segment, (zxid, off, payload) ->
                    read.add(EntryPayload.decode(zxid, payload).txn()));
            if (!o.clean()) {
                throw new AssertionError(segment + " does not scan clean: " + o);
            }
        }
        return read;
    }

    /** The log entry of a transaction, as a standalone server writes it (origin 0). */
    static dev.paddock.server.quorum.Entry entry(Txn txn) {
        return new dev.paddock.server.quorum.Entry(txn.zxid(), EntryPayload.encode(0, txn.zxid(), txn));
    }

    /** Writes a snapshot of the state after the first {@code n} entries. */
    static Path snapshot(Path dir, List<Txn> txns, int n) throws IOException {
        StateMachine sm = applied(txns, n);
        TreeSnapshot.Capture c = TreeSnapshot.capture(sm);
        try {
            return SnapshotFile.write(dir, c);
        } finally {
            c.release();
        }
    }

    static void flipByte(Path file, long offset) throws IOException {
        byte[] b = Files.readAllBytes(file);
        b[(int) offset] ^= 0x5a;
        Files.write(file, b);
    }

    /** Offsets of every valid record in a segment. */
    static List<Long> recordOffsets(Path segment) throws IOException {
        List<Long> offsets = new ArrayList<>();
        SegmentScanner.scan(segment, (zxid, offset, payload) -> offsets.add(offset));
        return offsets;
    }
}
