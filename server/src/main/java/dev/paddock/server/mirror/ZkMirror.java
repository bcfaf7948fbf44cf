package dev.paddock.server.mirror;

import dev.paddock.server.fault.FatalFaults;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Paddock observer of a running ZooKeeper ensemble (issue 12, section 2): one thread that finds the
 * ZooKeeper leader, follows it with {@link LeaderConnection} until the connection fails, and looks for the
 * leader again (after a leader's loss, the one the ensemble elects next), resuming from its last zxid. The
 * leader is found the simple way the reference allows (section B.0): only a leader listens on its quorum
 * port, so the voters' quorum ports are tried in turn until one accepts.
 */
public final class ZkMirror implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ZkMirror.class);
    private static final int CONNECT_TIMEOUT_MS = 2_000;
    /** The pause after every voter refused, while the ensemble elects a leader. */
    private static final long RETRY_PAUSE_MS = 200;

    private final MirrorConfig config;
    private final MirrorState state;
    private final MirrorListener listener;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Socket socket;
    private volatile InetSocketAddress leader;
    /** The connection once it is up to date (requests may be forwarded on it), else null. */
    private volatile LeaderConnection upToDate;

    private ZkMirror(MirrorConfig config, MirrorState state, MirrorListener listener) {
        this.config = config;
        this.state = state;
        this.listener = listener;
        this.thread = new Thread(this::run, "paddock-zk-mirror");
        thread.setDaemon(true);
    }

    /** Starts following the ensemble; {@code state} may hold what an earlier mirror applied. */
    public static ZkMirror start(MirrorConfig config, MirrorState state) {
        return start(config, state, MirrorListener.NONE);
    }

    /** Starts following the ensemble and telling {@code listener} what happens (a mirror serving clients). */
    public static ZkMirror start(MirrorConfig config, MirrorState state, MirrorListener listener) {
        ZkMirror m = new ZkMirror(config, state, listener);
        m.thread.start();
        return m;
    }

    /**
     * Sends a packet to the leader followed now (a client's request, a SYNC, a REVALIDATE), from any thread;
     * false when there is no up-to-date connection or sending failed (the mirror's thread then notices the
     * broken connection and reports it lost).
     */
    boolean forward(QuorumPacket packet) {
        LeaderConnection c = upToDate;
        if (c == null) {
            return false;
        }
        try {
            c.send(packet);
            return true;
        } catch (IOException e) {
            LOG.debug("Could not forward to the ZooKeeper leader: {}", e.toString());
            Socket s = socket;
            if (s != null) {
                closeQuietly(s);
            }
            return false;
        }
    }

    public MirrorState state() {
        return state;
    }

    /** The quorum address of the leader followed now, or null between leaders. */
    public InetSocketAddress leader() {
        return leader;
    }

    private void run() {
        while (!closed) {
            boolean connected = false;
            for (InetSocketAddress voter : config.voters()) {
                if (closed) {
                    return;
                }
                connected |= follow(voter);
            }
            if (!connected) {
                pause();
            }
        }
    }

    /** Follows the leader at {@code address} if it is one; false when nothing listens there. */
    private boolean follow(InetSocketAddress address) {
        Socket s = new Socket();
        try {
            socket = s;
            s.setTcpNoDelay(true);
            s.connect(address, CONNECT_TIMEOUT_MS);
        } catch (ConnectException | SocketTimeoutException e) {
            closeQuietly(s);
            return false;
        } catch (IOException e) {
            LOG.debug("Cannot reach {}: {}", address, e.toString());
            closeQuietly(s);
            return false;
        }
        leader = address;
        try {
            LeaderConnection c = new LeaderConnection(s, config, state, listener);
            c.run(() -> upToDate = c);
        } catch (LeaderConnection.TruncateBelowState e) {
            LOG.warn("Starting over from a snapshot: {}", e.getMessage());
        } catch (RuntimeException e) {
            // Bad input from the leader arrives as an IOException; anything else is a bug in the mirror.
            FatalFaults.stop(FatalFaults.UNEXPECTED_ERROR, "the ZooKeeper mirror failed", e);
        } catch (IOException e) {
            if (!closed) {
                LOG.warn("Lost the ZooKeeper leader {} at zxid 0x{}: {}", address, Long.toHexString(state.lastZxid()),
                        e.toString());
            }
        } finally {
            upToDate = null;
            leader = null;
            closeQuietly(s);
            listener.lost();
        }
        return true;
    }

    private void pause() {
        try {
            Thread.sleep(RETRY_PAUSE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
    }

    /** Stops following: closes the connection and waits for the thread. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        Socket s = socket;
        if (s != null) {
            closeQuietly(s);
        }
        thread.interrupt();
        thread.join(10_000);
    }
}
