package dev.paddock.server.mirror;

import dev.paddock.server.request.RequestLoop;
import dev.paddock.server.request.WritePath;
import dev.paddock.server.session.SessionTracker;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.watch.WatchManager;
import java.nio.file.Path;

/**
 * A mirror that serves clients, as the server wires it: the {@link ZkMirror} thread following the ZooKeeper
 * leader, the {@link MirrorWritePath} the request layer uses, and the periodic saves of its state.
 */
public final class MirrorServing {
    private final MirrorConfig config;
    private final MirrorState state;
    private final MirrorSaves saves;
    private final MirrorWritePath writePath;
    private ZkMirror mirror;

    private MirrorServing(MirrorConfig config, MirrorState state, MirrorSaves saves, MirrorWritePath writePath) {
        this.config = config;
        this.state = state;
        this.saves = saves;
        this.writePath = writePath;
    }

    /**
     * @param stateMachine the server's state machine, built from {@code state} ({@link MirrorState#toStateMachine})
     * @param saveDir      where the state is saved ({@code <dataDir>/version-2}), every {@code saveEvery} txns
     */
    public static MirrorServing create(MirrorConfig config, MirrorState state, Path saveDir, long saveEvery,
                                       StateMachine stateMachine, WatchManager watches, SessionTracker tracker,
                                       RequestLoop loop) {
        MirrorSaves saves = new MirrorSaves(state, saveDir, saveEvery);
        return new MirrorServing(config, state, saves,
                new MirrorWritePath(stateMachine, watches, tracker, loop, saves));
    }

    public WritePath writePath() {
        return writePath;
    }

    /** Starts following the ensemble; {@code onNotServing} closes every client connection when the leader is lost. */
    public void start(Runnable onNotServing) {
        writePath.attach(null, onNotServing);
        mirror = ZkMirror.start(config, state, writePath);
        writePath.attach(mirror, onNotServing);
    }

    /** Request thread, every tick. */
    public void tick() {
        writePath.collectTouches();
    }

    public ZkMirror mirror() {
        return mirror;
    }

    /** Saves the state now (the {@code snap} four-letter word). */
    public void saveNow() {
        saves.save();
    }

    /** Stops following and saves the state where it stopped (a clean shutdown). */
    public void close() {
        if (mirror != null) {
            try {
                mirror.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (state.lastZxid() > 0) {
            saves.save();
        }
    }
}
