package dev.paddock.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.proto.ExistsRequest;

/**
 * Many watching sessions on one selector thread (10,000 reference clients would need 20,000 threads
 * and more file descriptors than this machine allows). Each session sets a data watch with exists and
 * records when its notification arrives.
 */
final class RawWatchers implements AutoCloseable {
    private static final int SESSION_TIMEOUT_MS = 30_000;
    private static final int MAX_HANDSHAKES_IN_FLIGHT = 32;

    private final class Conn {
        final SocketChannel ch;
        final ByteBuffer in = ByteBuffer.allocate(4096);
        boolean connected;
        volatile long eventNanos;

        Conn(SocketChannel ch) {
            this.ch = ch;
        }

        synchronized void send(byte[] frame) throws IOException {
            ByteBuffer b = ByteBuffer.wrap(frame);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (b.hasRemaining()) {
                if (ch.write(b) == 0) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("socket send buffer full for 10 s");
                    }
                    Thread.onSpinWait();
                }
            }
        }
    }

    private final int port;
    private final String path;
    private final Selector selector;
    private final List<Conn> conns = new ArrayList<>();
    private final AtomicInteger sessions = new AtomicInteger();
    private final AtomicInteger replies = new AtomicInteger();
    private final AtomicInteger events = new AtomicInteger();
    private final AtomicLong failures = new AtomicLong();
    private final Thread loop;
    private volatile boolean running = true;
    private volatile IOException loopError;
    /** Set by arm, cleared by the loop once every event of the wave is in: while set, busy time counts. */
    private volatile boolean waveOpen;
    private volatile long waveBusyNanos;
    private long cpuAtArm;

    RawWatchers(int port, String path) throws IOException {
        this.port = port;
        this.path = path;
        this.selector = Selector.open();
        this.loop = new Thread(this::loop, "raw-watchers");
        loop.setDaemon(true);
    }

    /**
     * Opens {@code count} sessions, at most 32 handshakes at a time: ZooKeeper listens with Java's default
     * backlog of 50, and a larger burst would measure SYN retransmission instead of session creation.
     */
    void open(int count, long timeoutMs) throws IOException, InterruptedException {
        loop.start();
        long deadline = System.currentTimeMillis() + timeoutMs;
        for (int i = 0; i < count; i++) {
            if (i - sessions.get() >= MAX_HANDSHAKES_IN_FLIGHT) {
                openerWaits++;
            }
            while (i - sessions.get() >= MAX_HANDSHAKES_IN_FLIGHT) {
                check(deadline, "opening sessions");
                Thread.sleep(1);
            }
            SocketChannel ch = SocketChannel.open();
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.connect(new InetSocketAddress("127.0.0.1", port));
            ch.configureBlocking(false);
            Conn c = new Conn(ch);
            synchronized (conns) {
                conns.add(c);
            }
            c.send(RawProtocol.connectFrame(SESSION_TIMEOUT_MS));
            // One wake-up, once the connection is pending: the selector thread registers it then.
            synchronized (this) {
                pending.add(c);
            }
            selector.wakeup();
        }
        while (sessions.get() < count) {
            check(deadline, "opening sessions");
            Thread.sleep(1);
        }
    }

    private final List<Conn> pending = new ArrayList<>();
    private int openerWaits;

    /**
     * How many sessions the opening thread had to wait for the server before connecting (32 handshakes
     * already in flight). Few waits mean the opener itself (connect, one at a time) set the pace of "sessions
     * opened", not the server.
     */
    int openerWaits() {
        return openerWaits;
    }

    private void check(long deadline, String what) throws IOException {
        if (loopError != null) {
            throw loopError;
        }
        if (failures.get() > 0) {
            throw new IOException(failures.get() + " sessions failed while " + what);
        }
        if (System.currentTimeMillis() > deadline) {
            throw new IOException("timed out " + what + ": " + sessions.get() + " sessions, " + replies.get()
                    + " replies, " + events.get() + " events");
        }
    }

    /** Sets a data watch on every session (exists with watch) and waits for every reply. */
    void arm(long timeoutMs) throws IOException, InterruptedException {
        replies.set(0);
        events.set(0);
        byte[] frame = RawProtocol.request(1, ZooDefs.OpCode.exists, new ExistsRequest(path, true));
        List<Conn> all;
        synchronized (conns) {
            all = new ArrayList<>(conns);
        }
        for (Conn c : all) {
            c.eventNanos = 0;
            c.send(frame);
        }
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (replies.get() < all.size()) {
            check(deadline, "setting watches");
            Thread.sleep(1);
        }
        waveBusyNanos = 0;
        cpuAtArm = loopCpuNanos();
        waveOpen = true;
    }

    /** Time the selector thread spent reading (outside select) during the last wave. */
    long waveBusyNanos() {
        return waveBusyNanos;
    }

    /** CPU time of the selector thread from the end of arm to the last event of the wave. */
    long waveCpuNanos() {
        return loopCpuNanos() - cpuAtArm;
    }

    private long loopCpuNanos() {
        return ManagementFactory.getThreadMXBean().getThreadCpuTime(loop.getId());
    }

    /** Waits for every session's notification; returns the arrival times (nanoTime) in session order. */
    long[] awaitEvents(long timeoutMs) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        int n;
        synchronized (conns) {
            n = conns.size();
        }
        while (events.get() < n || waveOpen) {
            check(deadline, "waiting for watch events");
            Thread.onSpinWait();
        }
        long[] out = new long[n];
        synchronized (conns) {
            for (int i = 0; i < n; i++) {
                out[i] = conns.get(i).eventNanos;
            }
        }
        return out;
    }

    private void loop() {
        long lastPing = System.nanoTime();
        try {
            while (running) {
                synchronized (this) {
                    for (Conn c : pending) {
                        c.ch.register(selector, SelectionKey.OP_READ, c);
                    }
                    pending.clear();
                }
                int ready = selector.select(100);
                long now = System.nanoTime();
                for (SelectionKey key : selector.selectedKeys()) {
                    Conn c = (Conn) key.attachment();
                    read(c, System.nanoTime());
                }
                selector.selectedKeys().clear();
                if (waveOpen && ready > 0) {
                    waveBusyNanos += System.nanoTime() - now;
                    int expected;
                    synchronized (conns) {
                        expected = conns.size();
                    }
                    if (events.get() >= expected) {
                        waveOpen = false;
                    }
                }
                if (now - lastPing > TimeUnit.SECONDS.toNanos(SESSION_TIMEOUT_MS / 3000)) {
                    lastPing = now;
                    byte[] ping = RawProtocol.pingFrame();
                    List<Conn> all;
                    synchronized (conns) {
                        all = new ArrayList<>(conns);
                    }
                    for (Conn c : all) {
                        if (c.connected) {
                            c.send(ping);
                        }
                    }
                }
            }
        } catch (IOException e) {
            if (running) {
                loopError = e;
            }
        }
    }

    private void read(Conn c, long now) throws IOException {
        int n = c.ch.read(c.in);
        if (n < 0) {
            if (running) {
                failures.incrementAndGet();
            }
            c.ch.close();
            return;
        }
        c.in.flip();
        while (c.in.remaining() >= 4) {
            int len = c.in.getInt(c.in.position());
            if (len < 0 || len > c.in.capacity() - 4) {
                throw new IOException("unexpected frame length " + len);
            }
            if (c.in.remaining() < 4 + len) {
                break;
            }
            c.in.getInt();
            if (!c.connected) {
                c.connected = true;
                sessions.incrementAndGet();
            } else {
                int xid = c.in.getInt(c.in.position());
                if (xid == RawProtocol.XID_NOTIFICATION) {
                    c.eventNanos = now;
                    events.incrementAndGet();
                } else if (xid >= 0) {
                    replies.incrementAndGet();
                }
            }
            c.in.position(c.in.position() + len);
        }
        c.in.compact();
    }

    @Override
    public void close() throws IOException {
        List<Conn> all;
        synchronized (conns) {
            all = new ArrayList<>(conns);
        }
        byte[] close = RawProtocol.closeFrame(2);
        for (Conn c : all) {
            try {
                if (c.connected && c.ch.isOpen()) {
                    c.send(close);
                }
            } catch (IOException ignored) {
                // the server may already have dropped it
            }
        }
        running = false;
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        selector.wakeup();
        try {
            loop.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Conn c : all) {
            c.ch.close();
        }
        selector.close();
    }
}
