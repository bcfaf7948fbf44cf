package dev.paddock.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.PaddockServer;
import dev.paddock.server.auth.DigestAuth;
import dev.paddock.server.config.ServerConfig;
import dev.paddock.server.fault.ConnectionFaults;
import dev.paddock.server.fault.FatalFaults;
import dev.paddock.wire.OpCode;
import dev.paddock.wire.jute.JuteRecord;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.proto.Acl;
import dev.paddock.wire.proto.AuthPacket;
import dev.paddock.wire.proto.ConnectRequest;
import dev.paddock.wire.proto.CreateRequest;
import dev.paddock.wire.proto.CreateTtlRequest;
import dev.paddock.wire.proto.EmptyRequest;
import dev.paddock.wire.proto.Id;
import dev.paddock.wire.proto.MultiRequest;
import dev.paddock.wire.proto.PathRequest;
import dev.paddock.wire.proto.PathVersionRequest;
import dev.paddock.wire.proto.PathWatchRequest;
import dev.paddock.wire.proto.ReconfigRequest;
import dev.paddock.wire.proto.Request;
import dev.paddock.wire.proto.RequestHeader;
import dev.paddock.wire.proto.SaslRequest;
import dev.paddock.wire.proto.SetAclRequest;
import dev.paddock.wire.proto.SetDataRequest;
import dev.paddock.wire.proto.SetWatches2Request;
import dev.paddock.wire.proto.SetWatchesRequest;
import dev.paddock.wire.proto.WatchModeRequest;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad client input must never reach an exception on the server: after valid handshakes, thousands of frames
 * built from valid requests and then mutated (bit flips, null strings and lists, wrong opcodes, truncated or
 * extended bodies, overwritten lengths, frame lengths that lie) go to an in-process standalone server. Then
 * a fresh client must still create and read a node, no fatal fault may have been reported (an exception
 * that escapes a request-thread task is one), no connection may have been closed for an unexpected
 * exception, and every connection must have answered the exists that ends its batch or been closed. Seeded: the seed is printed; rerun with {@code -Dfuzz.seed=S}, and {@code -Dfuzz.frames=N}
 * sends more (default 5,000).
 */
class MutatedFrameFuzzTest {
    private static final int SHORT_BATCH = 5;
    private static final int LONG_BATCH = 40;
    private static final String SUPER = "super:fuzz";
    /** The xid of the exists("/") that ends a batch (pings are answered with xid -2, so they cannot mark). */
    private static final int MARK = 0x7fff_fff0;
    private static final int[] OPCODES = Arrays.stream(OpCode.values()).mapToInt(op -> op.code).toArray();

    @TempDir
    Path dir;

    private final List<FatalFaults.Fault> faults = new CopyOnWriteArrayList<>();
    private Consumer<FatalFaults.Fault> previousHandler;
    private PaddockServer server;
    private int answered;
    private int hung;

    @BeforeEach
    void start() throws Exception {
        previousHandler = FatalFaults.setHandler(faults::add);
        Properties p = new Properties();
        p.setProperty("tickTime", "200");
        p.setProperty("dataDir", dir.resolve("data").toString());
        p.setProperty("clientPort", "0");
        p.setProperty("clientPortAddress", "127.0.0.1");
        p.setProperty("maxClientCnxns", "0");
        p.setProperty("forceSync", "no");
        p.setProperty("maxSessionTimeout", "30000");
        // The fuzz may well set the root's ACL; the final check writes as the super user.
        p.setProperty("DigestAuthenticationProvider.superDigest", DigestAuth.digestOf(SUPER));
        server = PaddockServer.start(ServerConfig.fromProperties(p));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        FatalFaults.setHandler(previousHandler);
    }

    @Test
    void mutatedFramesNeverHurtTheServer() throws Exception {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        int frames = Integer.getInteger("fuzz.frames", 5_000);
        System.out.println("MutatedFrameFuzzTest: -Dfuzz.seed=" + seed + " -Dfuzz.frames=" + frames);
        long failuresBefore = ConnectionFaults.count();
        Random random = new Random(seed);
        long started = System.nanoTime();
        int sent = 0;
        int closedByServer = 0;
        answered = 0;
        hung = 0;
        int connections = 0;
        while (sent < frames) {
            // Mostly short batches (a mutation that costs the connection wastes the rest of its batch), some
            // long pipelined ones (requests queued behind pending writes).
            int n = Math.min(random.nextInt(5) == 0 ? LONG_BATCH : SHORT_BATCH, frames - sent);
            connections++;
            if (batch(random, n)) {
                closedByServer++;
            }
            sent += n;
            assertThat(faults).as("fatal faults (seed %d, after %d frames)", seed, sent).isEmpty();
        }
        System.out.printf("MutatedFrameFuzzTest: %d frames sent, %d answered; %d of %d connections closed by the"
                + " server; %d ms%n", sent, answered, closedByServer, connections,
                (System.nanoTime() - started) / 1_000_000);

        try (ZooKeeper zk = connect()) {
            zk.addAuthInfo("digest", SUPER.getBytes());
            zk.create("/fuzz-check", "alive".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            assertThat(zk.getData("/fuzz-check", false, null)).isEqualTo("alive".getBytes());
        }
        assertThat(faults).as("fatal faults (seed %d)", seed).isEmpty();
        assertThat(hung).as("connections that stopped answering (seed %d)", seed).isZero();
        assertThat(ConnectionFaults.count() - failuresBefore)
                .as("connections closed after an unexpected exception (seed %d)", seed).isZero();
    }

    /** One connection: a handshake, then mutated frames; true if the server closed it. */
    private boolean batch(Random random, int n) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.clientPort())) {
            s.setSoTimeout(2_000);
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            out.write(frame(bytes(new ConnectRequest(0, 0, 30_000, 0, new byte[16], false))));
            out.flush();
            boolean lyingLength = false;
            try {
                readFrame(in);
                for (int i = 0; i < n && !lyingLength; i++) {
                    byte[] payload = mutate(random, valid(random, i + 1));
                    byte[] framed = frame(payload);
                    if (i == n - 1 && random.nextInt(8) == 0) {
                        // The frame's length lies; the server waits for bytes that never come or reads garbage.
                        ByteBuffer.wrap(framed).putInt(0, lie(random, payload.length));
                        lyingLength = true;
                    }
                    out.write(framed);
                }
                if (lyingLength) {
                    s.setSoTimeout(100); // the server may well wait for bytes that never come
                } else {
                    out.write(frame(concat(bytes(new RequestHeader(MARK, OpCode.EXISTS.code)),
                            bytes(new PathWatchRequest(OpCode.EXISTS, "/", false)))));
                }
                out.flush();
                return drainUntilPing(in);
            } catch (EOFException | SocketException e) {
                return true;
            } catch (SocketTimeoutException e) {
                if (!lyingLength) {
                    hung++; // neither the marker's answer nor a close: the connection stopped answering
                }
                return false; // with a lying length the server legitimately waits for the rest of the frame
            }
        }
    }

    /** Reads until the answer to the closing marker (false) or until the server closes the connection (true). */
    private boolean drainUntilPing(DataInputStream in) throws IOException {
        while (true) {
            byte[] reply = readFrame(in);
            int xid = reply.length >= 4 ? ByteBuffer.wrap(reply).getInt(0) : 0;
            if (xid == MARK) {
                return false;
            }
            if (xid != -1) {
                answered++;
            }
        }
    }

    private static byte[] readFrame(DataInputStream in) throws IOException {
        int len = in.readInt();
        if (len < 0 || len > 4 << 20) {
            throw new IOException("bad frame length from the server: " + len);
        }
        byte[] b = new byte[len];
        in.readFully(b);
        return b;
    }

    // ---- valid requests ----

    /** A valid request (header and body) of a random kind, its strings and lists sometimes null. */
    private static byte[] valid(Random r, int xid) {
        boolean nulls = r.nextInt(4) == 0;
        String path = maybeNull(r, nulls, pick(r, "/", "/a", "/a/b", "/fuzz", "/zookeeper", "/zookeeper/config", ""));
        byte[] data = r.nextInt(8) == 0 ? null : new byte[r.nextInt(16)];
        List<Acl> acl = nulls && r.nextBoolean() ? null : acl(r, nulls);
        int flags = r.nextInt(8) - 1;
        Request request = switch (r.nextInt(22)) {
            case 0 -> new CreateRequest(OpCode.CREATE, path, data, acl, flags);
            case 1 -> new CreateRequest(OpCode.CREATE2, path, data, acl, flags);
            case 2 -> new CreateRequest(OpCode.CREATE_CONTAINER, path, data, acl, 4);
            case 3 -> new CreateTtlRequest(path, data, acl, flags, r.nextInt(3) - 1 + 1000L * r.nextInt(3));
            case 4 -> new PathVersionRequest(OpCode.DELETE, path, r.nextInt(3) - 1);
            case 5 -> new PathWatchRequest(OpCode.EXISTS, path, r.nextBoolean());
            case 6 -> new PathWatchRequest(OpCode.GET_DATA, path, r.nextBoolean());
            case 7 -> new SetDataRequest(path, data, r.nextInt(3) - 1);
            case 8 -> new PathRequest(OpCode.GET_ACL, path);
            case 9 -> new SetAclRequest(path, acl, r.nextInt(3) - 1);
            case 10 -> new PathWatchRequest(r.nextBoolean() ? OpCode.GET_CHILDREN : OpCode.GET_CHILDREN2, path,
                    r.nextBoolean());
            case 11 -> new PathRequest(pick(r, OpCode.SYNC, OpCode.GET_EPHEMERALS, OpCode.GET_ALL_CHILDREN_NUMBER), path);
            case 12, 13 -> multi(r, nulls, r.nextBoolean() ? OpCode.MULTI : OpCode.MULTI_READ);
            case 14 -> new WatchModeRequest(pick(r, OpCode.CHECK_WATCHES, OpCode.REMOVE_WATCHES, OpCode.ADD_WATCH), path,
                    r.nextInt(7) - 1);
            case 15 -> new AuthPacket(0, maybeNull(r, nulls, pick(r, "digest", "ip", "world", "sasl")),
                    nulls && r.nextBoolean() ? null : "user:pw".getBytes());
            case 16 -> new SetWatchesRequest(r.nextInt(3) - 1, paths(r, nulls), paths(r, nulls), paths(r, nulls));
            case 17 -> new SetWatches2Request(r.nextInt(3) - 1, paths(r, nulls), paths(r, nulls), paths(r, nulls),
                    paths(r, nulls), paths(r, nulls));
            case 18 -> new SaslRequest(nulls ? null : new byte[4]);
            case 19 -> new ReconfigRequest(maybeNull(r, nulls, "server.2=x:1:2"), null, null, -1);
            case 20 -> EmptyRequest.WHO_AM_I;
            default -> EmptyRequest.PING;
        };
        int headerXid = switch (request.opCode()) {
            case AUTH -> -4;
            case SET_WATCHES, SET_WATCHES2 -> -8;
            case PING -> -2;
            default -> xid;
        };
        return concat(bytes(new RequestHeader(headerXid, request.opCode().code)), bytes(request));
    }

    private static MultiRequest multi(Random r, boolean nulls, OpCode type) {
        List<Request> ops = new ArrayList<>();
        int n = r.nextInt(4);
        for (int i = 0; i < n; i++) {
            String path = maybeNull(r, nulls, "/m" + r.nextInt(3));
            ops.add(switch (r.nextInt(6)) {
                case 0 -> new CreateRequest(OpCode.CREATE, path, new byte[1], nulls && r.nextBoolean() ? null : acl(r, nulls),
                        r.nextInt(3));
                case 1 -> new PathVersionRequest(OpCode.DELETE, path, -1);
                case 2 -> new PathVersionRequest(OpCode.CHECK, path, r.nextInt(3) - 1);
                case 3 -> new SetDataRequest(path, new byte[2], -1);
                case 4 -> new PathWatchRequest(OpCode.GET_DATA, path, false);
                default -> new PathWatchRequest(OpCode.GET_CHILDREN, path, false);
            });
        }
        return new MultiRequest(type, ops);
    }

    private static List<Acl> acl(Random r, boolean nulls) {
        String scheme = maybeNull(r, nulls, pick(r, "world", "digest", "ip", "auth", "super"));
        String id = maybeNull(r, nulls, pick(r, "anyone", "user:hash", "127.0.0.1", "10.0.0.0/8", ""));
        List<Acl> acl = new ArrayList<>(List.of(new Acl(r.nextInt(32), new Id(scheme, id))));
        if (r.nextBoolean()) {
            acl.add(new Acl(acl.get(0).perms(), new Id(maybeNull(r, nulls, "world"), maybeNull(r, nulls, "anyone"))));
        }
        return acl;
    }

    private static List<String> paths(Random r, boolean nulls) {
        if (nulls && r.nextInt(3) == 0) {
            return null;
        }
        List<String> paths = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            paths.add(maybeNull(r, nulls, pick(r, "/", "/a", "/fuzz", "/none")));
        }
        return paths;
    }

    // ---- mutations ----

    /**
     * One mutation. Those that cost the connection (a cut into the header, an opcode the server does not
     * serve) are kept rarer than those that leave it open, so that most frames reach the request thread.
     */
    private static byte[] mutate(Random r, byte[] valid) {
        byte[] b = valid.clone();
        int bodyStart = r.nextInt(10) == 0 ? 0 : 8; // mostly leave the header alone
        switch (r.nextInt(12)) {
            case 0, 1 -> { } // sent as it is (with whatever nulls it has)
            case 2, 3 -> {
                for (int flips = 1 + r.nextInt(8); flips > 0 && b.length > bodyStart; flips--) {
                    int bit = bodyStart * 8 + r.nextInt((b.length - bodyStart) * 8);
                    b[bit / 8] ^= (byte) (1 << (bit % 8));
                }
            }
            case 4, 5 -> b = Arrays.copyOf(b, bodyStart + r.nextInt(b.length - bodyStart + 1)); // truncated
            case 6 -> { // extended with random bytes
                int extra = 1 + r.nextInt(16);
                b = Arrays.copyOf(b, b.length + extra);
                for (int i = b.length - extra; i < b.length; i++) {
                    b[i] = (byte) r.nextInt(256);
                }
            }
            case 7 -> ByteBuffer.wrap(b).putInt(4, OPCODES[r.nextInt(OPCODES.length)]); // another request's opcode
            case 8 -> ByteBuffer.wrap(b).putInt(4, r.nextInt(4) == 0 ? r.nextInt(300) - 20 // any opcode
                    : OPCODES[r.nextInt(OPCODES.length)]);
            case 9, 10 -> { // a length or count overwritten somewhere in the body
                if (b.length >= 12) {
                    int at = 8 + r.nextInt(b.length - 11);
                    int[] values = {-1, -2, 0, 1, Integer.MAX_VALUE, Integer.MIN_VALUE, b.length, r.nextInt()};
                    ByteBuffer.wrap(b).putInt(at, values[r.nextInt(values.length)]);
                }
            }
            default -> { // a few random bytes overwritten
                for (int k = 1 + r.nextInt(4); k > 0 && b.length > bodyStart; k--) {
                    b[bodyStart + r.nextInt(b.length - bodyStart)] = (byte) r.nextInt(256);
                }
            }
        }
        return b;
    }

    private static int lie(Random r, int actual) {
        int[] values = {actual + 1 + r.nextInt(64), Math.max(0, actual - 1 - r.nextInt(8)), 0, -1,
            0xfffff, 0xfffff + 1, Integer.MAX_VALUE};
        return values[r.nextInt(values.length)];
    }

    // ---- helpers ----

    @SafeVarargs
    private static <T> T pick(Random r, T... choices) {
        return choices[r.nextInt(choices.length)];
    }

    private static String maybeNull(Random r, boolean nulls, String value) {
        return nulls && r.nextInt(3) == 0 ? null : value;
    }

    private static byte[] bytes(JuteRecord record) {
        byte[] b = new byte[record.size()];
        JuteWriter.wrap(b).writeRecord(record);
        return b;
    }

    private static byte[] frame(byte[] payload) {
        return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private ZooKeeper connect() throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper("127.0.0.1:" + server.clientPort(), 20_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        assertThat(connected.await(10, TimeUnit.SECONDS)).isTrue();
        return zk;
    }
}
