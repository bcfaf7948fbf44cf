package dev.paddock.server.mirror;

import dev.paddock.server.migration.ZkApply;
import dev.paddock.server.migration.ZkSnapshotReader;
import dev.paddock.server.migration.ZkTree;
import dev.paddock.server.migration.ZkSnapshotWriter;
import dev.paddock.server.migration.ZkTxn;
import dev.paddock.server.migration.ZooKeeperImport;
import dev.paddock.server.tree.StateMachine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * What a mirror holds of the ZooKeeper ensemble it observes (reference section B.8): ZooKeeper's data tree
 * and session table as the leader's snapshot and transactions make them, the last zxid applied, the epochs
 * of the learner protocol, and how it last synchronised. Changed by the mirror's connection thread, read by
 * anyone: every access holds this object's monitor. Outlives connections, so a mirror that reconnects
 * (to the same leader or a new one) reports its last zxid and resumes by DIFF.
 */
public final class MirrorState {
    /** How the last synchronisation with a leader went. */
    public enum SyncKind { NONE, DIFF, TRUNC, SNAP }

    private static final String EPOCHS = "epochs";

    private final boolean extendedTypes;
    private ZkTree tree;
    private Map<Long, Integer> sessions = new HashMap<>();
    private long lastZxid;
    private long acceptedEpoch;
    private long currentEpoch;
    private long leaderZxid;
    private SyncKind lastSync = SyncKind.NONE;
    private final Map<SyncKind, Integer> syncs = new HashMap<>();
    private long applied;
    private int activations;

    public MirrorState(boolean extendedTypes) {
        this.extendedTypes = extendedTypes;
        this.tree = new ZkTree(extendedTypes);
    }

    boolean extendedTypes() {
        return extendedTypes;
    }

    /** Replaces everything with a leader's snapshot, taken (fuzzily) from its state at {@code zxid}. */
    synchronized void install(ZkSnapshotReader.Snapshot snapshot, long zxid) {
        tree = snapshot.tree();
        sessions = new HashMap<>(snapshot.sessions());
        lastZxid = zxid;
    }

    /** Forgets everything (a TRUNC below what this mirror holds: the next connection asks for a SNAP). */
    synchronized void reset() {
        tree = new ZkTree(extendedTypes);
        sessions = new HashMap<>();
        lastZxid = 0;
    }

    /**
     * Applies one committed transaction with ZooKeeper's replay semantics (transactions just after a fuzzy
     * snapshot may already be reflected in it). One already applied is skipped.
     */
    synchronized boolean apply(ZkTxn.Entry entry) {
        if (entry.zxid() <= lastZxid) {
            return false;
        }
        ZkApply.apply(tree, sessions, entry);
        lastZxid = entry.zxid();
        applied++;
        return true;
    }

    /** A reconfig the leader sent as INFORMANDACTIVATE: applied, and counted. */
    synchronized boolean applyActivation(ZkTxn.Entry entry) {
        activations++;
        return apply(entry);
    }

    /**
     * The state as Paddock's state machine (every stored field as it is), for the server that serves clients
     * from it; built while nothing changes the tree.
     */
    public synchronized StateMachine toStateMachine() throws IOException {
        return ZooKeeperImport.toPaddock(tree, sessions, lastZxid, extendedTypes);
    }

    /** Reconfigs received as INFORMANDACTIVATE. */
    public synchronized int activations() {
        return activations;
    }

    synchronized void synced(SyncKind kind) {
        lastSync = kind;
        syncs.merge(kind, 1, Integer::sum);
    }

    synchronized void epochs(long accepted, long current) {
        acceptedEpoch = accepted;
        currentEpoch = current;
    }

    synchronized long acceptedEpoch() {
        return acceptedEpoch;
    }

    synchronized long currentEpoch() {
        return currentEpoch;
    }

    /** The zxid the leader last said it had proposed (its PINGs carry it). */
    synchronized void leaderZxid(long zxid) {
        leaderZxid = zxid;
    }

    public synchronized long leaderZxid() {
        return leaderZxid;
    }

    public synchronized long lastZxid() {
        return lastZxid;
    }

    public synchronized SyncKind lastSync() {
        return lastSync;
    }

    public synchronized int syncCount(SyncKind kind) {
        return syncs.getOrDefault(kind, 0);
    }

    /** Transactions applied from the stream (not counting what snapshots brought). */
    public synchronized long appliedCount() {
        return applied;
    }

    /**
     * Saves the state in {@code dir} (a ZooKeeper snapshot file {@code snapshot.<last zxid>}, read back by
     * {@link #loadFrom}, and the epochs, also as ZooKeeper's {@code currentEpoch} and {@code acceptedEpoch}
     * files), so a mirror started again later resumes by DIFF; older snapshots
     * there are removed once the new one is in place. Exact, not fuzzy: nothing changes while it is written.
     */
    public synchronized void saveTo(Path dir) throws IOException {
        if (tree.nodes.isEmpty()) {
            // Never synchronised with a leader (no tree, not even the root): nothing to save. Restarted as a
            // Paddock member, such a directory imports nothing and the Paddock leader sends a snapshot.
            return;
        }
        Files.createDirectories(dir);
        Path file = dir.resolve("snapshot." + Long.toHexString(lastZxid));
        ZkSnapshotWriter.write(file, tree, sessions);
        Path epochs = dir.resolve(EPOCHS);
        Path tmp = dir.resolve(EPOCHS + ".tmp");
        Files.writeString(tmp, acceptedEpoch + " " + currentEpoch + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, epochs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        // ZooKeeper's own epoch files as well, so that the import (a cut-over restarts the mirror as a Paddock
        // member on this directory) continues after the epoch this mirror synchronised in, not only after the
        // epoch of its last zxid.
        writeEpochFile(dir, "currentEpoch", currentEpoch);
        writeEpochFile(dir, "acceptedEpoch", acceptedEpoch);
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "snapshot.*")) {
            for (Path f : old) {
                if (!f.equals(file)) {
                    Files.delete(f);
                }
            }
        }
    }

    /** One of ZooKeeper's epoch files: the number in decimal, written aside and renamed. */
    private static void writeEpochFile(Path dir, String name, long epoch) throws IOException {
        Path tmp = dir.resolve(name + ".tmp");
        Files.writeString(tmp, Long.toString(epoch), StandardCharsets.US_ASCII);
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The state {@link #saveTo} saved in {@code dir}; an empty state when nothing was saved there. */
    public static MirrorState loadFrom(Path dir, boolean extendedTypes) throws IOException {
        MirrorState state = new MirrorState(extendedTypes);
        Path newest = null;
        long zxid = -1;
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "snapshot.*")) {
                for (Path f : files) {
                    String hex = f.getFileName().toString().substring("snapshot.".length());
                    if (hex.matches("[0-9a-f]+")) {
                        long z = Long.parseUnsignedLong(hex, 16);
                        if (z > zxid) {
                            zxid = z;
                            newest = f;
                        }
                    }
                }
            }
        }
        if (newest == null) {
            return state;
        }
        state.install(ZkSnapshotReader.read(newest, zxid, extendedTypes), zxid);
        if (!Files.exists(dir.resolve(EPOCHS))) {
            // A snapshot ZooKeeper itself wrote (a ZooKeeper observer's data directory taken over): no epochs
            // are known, so the first leader's epoch is taken as new; its DIFF replays over the fuzzy snapshot.
            return state;
        }
        String[] epochs = Files.readString(dir.resolve(EPOCHS), StandardCharsets.US_ASCII).strip().split(" ");
        if (epochs.length != 2) {
            throw new IOException(dir.resolve(EPOCHS) + ": expected two epochs");
        }
        try {
            state.epochs(Long.parseLong(epochs[0]), Long.parseLong(epochs[1]));
        } catch (NumberFormatException e) {
            throw new IOException(dir.resolve(EPOCHS) + ": not epoch numbers", e);
        }
        return state;
    }

    /** Runs {@code reader} over the tree and the sessions while nothing changes them; it must not keep them. */
    public synchronized <T> T read(BiFunction<ZkTree, Map<Long, Integer>, T> reader) {
        return reader.apply(tree, java.util.Collections.unmodifiableMap(sessions));
    }
}
