package dev.paddock.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.PaddockServer;
import dev.paddock.server.ServerTestSupport;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issue 13 scenario that filled both servers' heaps: clients holding a recursive watch on "/" that never
 * read their sockets while another client writes as fast as it can (here with long paths, so that each
 * event is large). Each such connection is closed once
 * more than maxClientQueuedBytes wait for it (here 16 MiB); the writer's writes all succeed,
 * a client that reads gets every event, and the silent clients' sessions live on (they may reconnect).
 * Without the bound the silent sockets are never closed and the drain below never ends.
 */
class SlowReaderTest {
    private static final int WRITES = 10_000;
    /**
     * A watch event carries the path, not the data: an 8,000-character path makes each event about 8 KiB,
     * so the 10,000 events (80 MB) outgrow what the kernel buffers for a socket (up to tcp_wmem's and
     * tcp_rmem's maximum, 36 MiB here) as well as the bound.
     */
    private static final String HOT = "/" + "h".repeat(8000);
    private static final int SILENT_CLIENTS = 2;

    @TempDir
    Path dir;

    @Test
    void clientsThatNeverReadAreClosedAndNobodyElseSuffers() throws Exception {
        int port = ServerTestSupport.freePort();
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("tickTime", "2000");
        cfg.put("clientPort", Integer.toString(port));
        cfg.put("clientPortAddress", "127.0.0.1");
        cfg.put("dataDir", Files.createDirectories(dir.resolve("data")).toString());
        cfg.put("forceSync", "no");
        // Above what the pipelining writer's bursts queue for the reading client (500 events of 8 KiB).
        cfg.put("maxClientQueuedBytes", Integer.toString(16 * 1024 * 1024));
        cfg.put("maxSessionTimeout", "120000");
        try (PaddockServer server = PaddockServer.start(ServerTestSupport.config(dir, cfg))) {
            Silent[] silent = new Silent[SILENT_CLIENTS];
            for (int i = 0; i < silent.length; i++) {
                silent[i] = Silent.open(port);
            }
            ZooKeeper reader = ServerTestSupport.connect(port);
            AtomicInteger seen = new AtomicInteger();
            reader.addWatch("/", e -> {
                if (e.getType() == Watcher.Event.EventType.NodeDataChanged) {
                    seen.incrementAndGet();
                }
            }, AddWatchMode.PERSISTENT_RECURSIVE);
            ZooKeeper writer = ServerTestSupport.connect(port);
            writer.create(HOT, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            writeFlat(writer);
            await("the reading client's events", () -> seen.get() == WRITES);
            for (Silent s : silent) {
                assertThat(s.closedByServer()).as("a client that never reads is closed").isTrue();
                assertThat(s.sessionStillOpen(port)).as("its session lives on").isTrue();
            }
            assertThat(writer.exists(HOT, false).getVersion()).isEqualTo(WRITES);
            reader.close();
            writer.close();
        }
    }

    /** WRITES 16-byte setData calls, pipelined up to 500 at a time; fails on the first error. */
    private static void writeFlat(ZooKeeper writer) throws Exception {
        Semaphore inFlight = new Semaphore(500);
        AtomicReference<KeeperException.Code> failure = new AtomicReference<>();
        byte[] data = new byte[16];
        for (int i = 0; i < WRITES; i++) {
            inFlight.acquire();
            writer.setData(HOT, data, -1, (rc, path, ctx, stat) -> {
                if (rc != 0) {
                    failure.compareAndSet(null, KeeperException.Code.get(rc));
                }
                inFlight.release();
            }, null);
        }
        assertThat(inFlight.tryAcquire(500, 120, TimeUnit.SECONDS)).isTrue();
        assertThat(failure.get()).isNull();
    }

    private static void await(String what, java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** A raw client with a small receive buffer: handshake, a recursive watch on "/", then it never reads. */
    private record Silent(Socket socket, long sessionId, byte[] password) {
        static Silent open(int port) throws IOException {
            Socket s = new Socket();
            s.setReceiveBufferSize(4096);
            s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            s.setSoTimeout(30_000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            DataInputStream in = new DataInputStream(s.getInputStream());
            connect(out, 0, new byte[16]);
            in.readInt();
            in.readInt(); // protocol version
            in.readInt(); // negotiated timeout
            long sessionId = in.readLong();
            byte[] password = new byte[in.readInt()];
            in.readFully(password);
            in.readBoolean();
            byte[] path = "/".getBytes(StandardCharsets.UTF_8);
            out.writeInt(8 + 4 + path.length + 4);
            out.writeInt(1);
            out.writeInt(ZooDefs.OpCode.addWatch);
            out.writeInt(path.length);
            out.write(path);
            out.writeInt(AddWatchMode.PERSISTENT_RECURSIVE.getMode());
            out.flush();
            in.readFully(new byte[in.readInt()]);
            return new Silent(s, sessionId, password);
        }

        static void connect(DataOutputStream out, long sessionId, byte[] password) throws IOException {
            out.writeInt(4 + 8 + 4 + 8 + 4 + password.length + 1);
            out.writeInt(0);
            out.writeLong(0);
            out.writeInt(120_000);
            out.writeLong(sessionId);
            out.writeInt(password.length);
            out.write(password);
            out.writeBoolean(false);
            out.flush();
        }

        /** Reads everything still buffered; true once the server's close shows (end of stream or reset). */
        boolean closedByServer() throws IOException {
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[64 * 1024];
            try {
                while (in.read(buf) >= 0) {
                    // drain what was sent before the close
                }
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // connection reset: the server dropped what was queued
            } finally {
                socket.close();
            }
        }

        boolean sessionStillOpen(int port) throws IOException {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(30_000);
                DataInputStream in = new DataInputStream(s.getInputStream());
                connect(new DataOutputStream(s.getOutputStream()), sessionId, password);
                in.readInt();
                in.readInt();
                return in.readInt() > 0;
            }
        }
    }
}
