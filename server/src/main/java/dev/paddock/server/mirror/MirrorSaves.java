package dev.paddock.server.mirror;

import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the mirror saves its state as a ZooKeeper snapshot ({@link MirrorState#saveTo}) in
 * {@code <dataDir>/version-2}: every {@code every} applied transactions, on the mirror's thread (the save is
 * exact because nothing changes the tree meanwhile; the leader's stream waits), and at a clean shutdown.
 */
final class MirrorSaves {
    private static final Logger LOG = LoggerFactory.getLogger(MirrorSaves.class);

    private final MirrorState state;
    private final Path dir;
    private final long every;
    private long sinceSave;

    MirrorSaves(MirrorState state, Path dir, long every) {
        this.state = state;
        this.dir = dir;
        this.every = Math.max(1, every);
    }

    /** Mirror's thread: one more transaction applied. */
    MirrorState state() {
        return state;
    }

    void applied() {
        if (++sinceSave >= every) {
            save();
        }
    }

    /** Saves now; a failure is logged (the next save tries again), since the ensemble still has the data. */
    synchronized void save() {
        sinceSave = 0;
        try {
            state.saveTo(dir);
        } catch (IOException e) {
            LOG.warn("Could not save the mirror's state in {}: {}", dir, e.toString());
        }
    }
}
