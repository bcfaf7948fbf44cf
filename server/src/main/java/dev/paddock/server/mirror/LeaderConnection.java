package dev.paddock.server.mirror;

import dev.paddock.server.migration.JuteStream;
import dev.paddock.server.migration.ZkSnapshotReader;
import dev.paddock.server.migration.ZkTxn;
import dev.paddock.server.migration.ZkTxnDecoder;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to a ZooKeeper leader's quorum port, spoken as ZooKeeper's observers speak it (reference
 * section B): registration (OBSERVERINFO, LEADERINFO, ACKEPOCH), synchronisation (DIFF, TRUNC or SNAP, the
 * PROPOSAL/COMMIT pairs and INFORMs queued behind it, NEWLEADER, UPTODATE), then the INFORM stream and the
 * PING exchange until the connection fails. Runs on the mirror's thread; every change goes to
 * {@link MirrorState}.
 */
final class LeaderConnection {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderConnection.class);
    /** The string a leader writes after a SNAP's payload (LearnerHandler); a learner refuses a SNAP without it. */
    private static final String SNAP_SIGNATURE = "BenWasHere";
    /** Proposals a DIFF may queue before their COMMITs: the leader's committed-log window is 500 by default. */
    private static final int MAX_PENDING = 100_000;
    private static final byte[] NO_TOUCHES = new byte[0];

    /** Thrown when the leader's history is shorter than ours: the mirror must start over with a SNAP. */
    static final class TruncateBelowState extends IOException {
        TruncateBelowState(String message) {
            super(message);
        }
    }

    private final Socket socket;
    private final MirrorConfig config;
    private final MirrorState state;
    private final Path source;
    private final JuteStream in;
    private final DataOutputStream out;
    private final MirrorListener listener;
    private long newEpoch;

    LeaderConnection(Socket socket, MirrorConfig config, MirrorState state, MirrorListener listener)
            throws IOException {
        this.socket = socket;
        this.config = config;
        this.state = state;
        this.listener = listener;
        this.source = Path.of("zookeeper-leader-" + socket.getRemoteSocketAddress().toString().replace('/', '_'));
        this.in = new JuteStream(new BufferedInputStream(socket.getInputStream(), 1 << 16), source);
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 1 << 16));
    }

    /**
     * Registers, synchronises and follows until the connection fails (an IOException) or is closed;
     * {@code upToDate} runs once the leader said UPTODATE (from then on {@link #send} may be called from other
     * threads).
     */
    void run(Runnable upToDate) throws IOException {
        socket.setSoTimeout(config.initTimeoutMs());
        register();
        synchronise();
        socket.setSoTimeout(config.syncTimeoutMs());
        upToDate.run();
        listener.upToDate();
        follow();
    }

    /** Sends one packet; the request thread forwards on the same stream, so sends take turns. */
    synchronized void send(QuorumPacket p) throws IOException {
        p.write(out);
        out.flush();
    }

    private void apply(ZkTxn.Entry entry) {
        if (state.apply(entry)) {
            listener.applied(entry);
        }
    }

    private void applyActivation(ZkTxn.Entry entry) {
        if (state.applyActivation(entry)) {
            listener.applied(entry);
        }
    }

    private QuorumPacket read() throws IOException {
        return QuorumPacket.read(in, config.maxPacketBytes());
    }

    /** OBSERVERINFO with LearnerInfo(sid, protocol version, config version 0), LEADERINFO, ACKEPOCH. */
    private void register() throws IOException {
        long accepted = state.acceptedEpoch();
        send(QuorumPacket.of(QuorumPacket.OBSERVERINFO, accepted << 32, QuorumPacket.learnerInfo(config.myId())));
        QuorumPacket leaderInfo = read();
        if (leaderInfo.type() != QuorumPacket.LEADERINFO) {
            throw new IOException("expected LEADERINFO, got " + QuorumPacket.typeName(leaderInfo.type()));
        }
        newEpoch = leaderInfo.zxid() >>> 32;
        int ackData;
        if (newEpoch > accepted) {
            ackData = (int) state.currentEpoch();
            state.epochs(newEpoch, state.currentEpoch());
        } else if (newEpoch == accepted) {
            ackData = -1;
        } else {
            throw new IOException("leader's epoch " + newEpoch + " is older than the accepted epoch " + accepted);
        }
        send(QuorumPacket.of(QuorumPacket.ACKEPOCH, state.lastZxid(), ByteBuffer.allocate(4).putInt(ackData).array()));
    }

    /** From the sync mode to UPTODATE (Learner.syncWithLeader's duties for an observer). */
    private void synchronise() throws IOException {
        QuorumPacket mode = read();
        switch (mode.type()) {
            case QuorumPacket.DIFF -> state.synced(MirrorState.SyncKind.DIFF);
            case QuorumPacket.SNAP -> snapshot(mode.zxid());
            case QuorumPacket.TRUNC -> truncate(mode.zxid());
            default -> throw new IOException("expected DIFF, TRUNC or SNAP, got " + QuorumPacket.typeName(mode.type()));
        }
        ArrayDeque<ZkTxn.Entry> proposed = new ArrayDeque<>();
        while (true) {
            QuorumPacket p = read();
            switch (p.type()) {
                case QuorumPacket.PROPOSAL -> {
                    if (proposed.size() >= MAX_PENDING) {
                        throw new IOException("more than " + MAX_PENDING + " proposals without a COMMIT");
                    }
                    proposed.add(decode(p.data(), 0));
                }
                case QuorumPacket.COMMIT -> commit(proposed, p.zxid());
                case QuorumPacket.INFORM -> apply(decode(p.data(), 0));
                case QuorumPacket.INFORMANDACTIVATE -> applyActivation(decode(p.data(), 8));
                case QuorumPacket.NEWLEADER -> {
                    state.epochs(state.acceptedEpoch(), p.zxid() >>> 32);
                    send(QuorumPacket.of(QuorumPacket.ACK, p.zxid(), null));
                }
                case QuorumPacket.UPTODATE -> {
                    send(QuorumPacket.of(QuorumPacket.ACK, newEpoch << 32, null));
                    LOG.info("In sync with the ZooKeeper leader {} at zxid 0x{} (epoch {})",
                            socket.getRemoteSocketAddress(), Long.toHexString(state.lastZxid()), newEpoch);
                    return;
                }
                // A leader pings from the moment it starts sending; the answer waits until UPTODATE.
                case QuorumPacket.PING -> state.leaderZxid(p.zxid());
                default -> LOG.warn("Ignored {} while synchronising", QuorumPacket.typeName(p.type()));
            }
        }
    }

    private void snapshot(long zxid) throws IOException {
        ZkSnapshotReader.Snapshot snap = ZkSnapshotReader.readLearnerSnapshot(in, source, zxid, state.extendedTypes());
        String signature = in.readString("snapshot signature", 64);
        if (!SNAP_SIGNATURE.equals(signature)) {
            throw new IOException("snapshot from " + source + " does not end with its signature (" + signature + ")");
        }
        state.install(snap, zxid);
        state.synced(MirrorState.SyncKind.SNAP);
        listener.installed(state.toStateMachine());
        LOG.info("Loaded the ZooKeeper leader's snapshot at zxid 0x{}: {} nodes, {} sessions",
                Long.toHexString(zxid), snap.tree().nodes.size(), snap.sessions().size());
    }

    /**
     * A TRUNC to where this mirror already is changes nothing; below it, the mirror would have to take back
     * transactions it applied, which it cannot: it forgets everything and asks for a SNAP next time.
     */
    private void truncate(long zxid) throws IOException {
        long last = state.lastZxid();
        if (zxid < last) {
            state.reset();
            listener.installed(state.toStateMachine());
            throw new TruncateBelowState("leader truncates to 0x" + Long.toHexString(zxid) + ", below 0x"
                    + Long.toHexString(last));
        }
        state.synced(MirrorState.SyncKind.TRUNC);
    }

    private void commit(ArrayDeque<ZkTxn.Entry> proposed, long zxid) throws IOException {
        ZkTxn.Entry next = proposed.poll();
        if (next == null || next.zxid() != zxid) {
            throw new IOException("COMMIT of 0x" + Long.toHexString(zxid) + " does not match the next proposal "
                    + (next == null ? "(none)" : "0x" + Long.toHexString(next.zxid())));
        }
        apply(next);
    }

    /** After UPTODATE: INFORMs are applied in order, PINGs answered with this mirror's session touches. */
    private void follow() throws IOException {
        while (true) {
            QuorumPacket p = read();
            switch (p.type()) {
                case QuorumPacket.INFORM -> apply(decode(p.data(), 0));
                case QuorumPacket.INFORMANDACTIVATE -> applyActivation(decode(p.data(), 8));
                case QuorumPacket.PING -> {
                    state.leaderZxid(p.zxid());
                    send(new QuorumPacket(QuorumPacket.PING, p.zxid(), touches(), p.authinfo()));
                }
                case QuorumPacket.SYNC -> listener.syncAnswered();
                case QuorumPacket.REVALIDATE -> revalidated(p.data());
                // Observers are sent neither; ZooKeeper's Observer ignores them too.
                case QuorumPacket.PROPOSAL, QuorumPacket.COMMIT -> { }
                default -> LOG.warn("Ignored {} from the ZooKeeper leader", QuorumPacket.typeName(p.type()));
            }
        }
    }

    /**
     * A PING reply's data: each session touched since the last one as (long id, int timeout), as ZooKeeper's
     * Learner.ping writes them. Never null: ZooKeeper's leader reads the touches without a null check.
     */
    private byte[] touches() {
        Map<Long, Integer> touched = listener.drainTouches();
        if (touched.isEmpty()) {
            return NO_TOUCHES;
        }
        ByteBuffer b = ByteBuffer.allocate(12 * touched.size());
        touched.forEach((id, timeout) -> b.putLong(id).putInt(timeout));
        return b.array();
    }

    /** The leader's answer to a REVALIDATE: the session id and whether it is valid (Leader.revalidateSession). */
    private void revalidated(byte[] data) throws IOException {
        if (data == null || data.length < 9) {
            throw new IOException("a REVALIDATE answer from " + source + " is too short");
        }
        ByteBuffer b = ByteBuffer.wrap(data);
        listener.revalidated(b.getLong(), b.get() != 0);
    }

    /** A txn as the leader sends it (TxnHeader, record, optional digest), after {@code skip} leading bytes. */
    private ZkTxn.Entry decode(byte[] data, int skip) throws IOException {
        if (data == null || data.length <= skip) {
            throw new IOException("a transaction packet from " + source + " carries no transaction");
        }
        byte[] txn = skip == 0 ? data : Arrays.copyOfRange(data, skip, data.length);
        return ZkTxnDecoder.decode(source, 0, txn);
    }
}
