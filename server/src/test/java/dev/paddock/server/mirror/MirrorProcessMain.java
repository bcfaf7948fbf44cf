package dev.paddock.server.mirror;

import dev.paddock.server.config.EnsembleConfig;
import dev.paddock.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A Paddock mirror in its own JVM, for tests (the cut-over in particular) until the server runs the mirror
 * itself: {@code MirrorProcessMain <zoo.cfg>} reads the zoo.cfg a ZooKeeper observer of the ensemble would
 * have (plus {@code quorumProtocol=zookeeper}) with {@link MirrorConfig}, resumes from the state saved in
 * {@code <dataDir>/version-2} if there is one, follows the ensemble with {@link ZkMirror}, and on SIGTERM
 * stops following and saves its state there ({@link MirrorState#saveTo}), the ZooKeeper snapshot that
 * Paddock's start-up import reads. Stdout carries {@code zxid <hex>} whenever the applied zxid moved (at most
 * every 50 ms) and {@code saved <hex>} once saved, for the test to follow.
 */
public final class MirrorProcessMain {
    private MirrorProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        ServerConfig config = ServerConfig.load(Path.of(args[0]));
        MirrorConfig mirrorConfig = MirrorConfig.of(config, EnsembleConfig.of(config));
        Path saved = config.dataDir().resolve("version-2");
        MirrorState state = MirrorState.loadFrom(saved, mirrorConfig.extendedTypes());
        ZkMirror mirror = ZkMirror.start(mirrorConfig, state);
        Thread stop = new Thread(() -> {
            try {
                System.out.println("stopping at " + Long.toHexString(state.lastZxid()));
                mirror.close();
                state.saveTo(saved);
                System.out.println("saved " + Long.toHexString(state.lastZxid()));
                System.out.flush();
            } catch (Exception e) {
                System.err.println("could not save the mirror's state: " + e);
                Runtime.getRuntime().halt(1);
            }
        }, "mirror-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        long reported = -1;
        while (true) {
            long zxid = state.lastZxid();
            if (zxid != reported) {
                System.out.println("zxid " + Long.toHexString(zxid));
                System.out.flush();
                reported = zxid;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }
}
