package dev.paddock.server;

import dev.paddock.server.admin.FourLetterWords;
import dev.paddock.server.admin.ServerFacts;
import dev.paddock.server.config.ConfigException;
import dev.paddock.server.config.EnsembleConfig;
import dev.paddock.server.config.ServerConfig;
import dev.paddock.server.mirror.MirrorConfig;
import dev.paddock.server.mirror.MirrorServing;
import dev.paddock.server.mirror.MirrorState;
import dev.paddock.server.net.ClientListener;
import dev.paddock.server.request.ReadOnlyMode;
import dev.paddock.server.request.RequestAdmission;
import dev.paddock.server.request.RequestHandler;
import dev.paddock.server.request.RequestLoop;
import dev.paddock.server.request.SessionHandler;
import dev.paddock.server.session.SessionTracker;
import dev.paddock.server.stats.ServerStats;
import dev.paddock.server.storage.StorageLayout;
import dev.paddock.server.time.Clock;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.watch.WatchManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server a zoo.cfg with {@code quorumProtocol=zookeeper} starts: a ZooKeeper observer of a running
 * ZooKeeper ensemble ({@code mirror.ZkMirror}) that serves its own clients on its client port from the
 * mirrored state, with the request layer every Paddock server has and {@code mirror.MirrorWritePath} as its
 * write path. Its state is ZooKeeper's snapshot format in {@code <dataDir>/version-2} (no Paddock data), loaded
 * at start and saved every snapCount transactions and at a clean shutdown.
 */
final class MirrorServer {
    private static final Logger LOG = LoggerFactory.getLogger(MirrorServer.class);

    private MirrorServer() {
    }

    static PaddockServer start(ServerConfig config, Clock clock) throws IOException, InterruptedException {
        EnsembleConfig ensemble;
        MirrorConfig mirrorConfig;
        try {
            ensemble = EnsembleConfig.of(config);
            if (ensemble == null) {
                throw new ConfigException(MirrorConfig.PROTOCOL_KEY + "=zookeeper needs the ensemble's server.N lines");
            }
            mirrorConfig = MirrorConfig.of(config, ensemble);
        } catch (ConfigException e) {
            throw new IOException(e.getMessage(), e);
        }
        Path saved = config.dataDir().resolve("version-2");
        Files.createDirectories(saved);
        MirrorState state = MirrorState.loadFrom(saved, config.extendedTypesEnabled());
        StateMachine stateMachine = state.toStateMachine();
        WatchManager watches = new WatchManager();
        SessionTracker tracker = new SessionTracker(clock, config.tickTimeMs(), ensemble.myId());
        stateMachine.sessions().forEach(tracker::add);
        ServerStats stats = new ServerStats();
        RequestLoop loop = new RequestLoop(clock, "paddock-requests");
        MirrorServing serving = MirrorServing.create(mirrorConfig, state, saved, config.snapCount(), stateMachine,
                watches, tracker, loop);
        SessionHandler sessions = new SessionHandler(config, stateMachine, tracker, watches, serving.writePath(), stats,
                clock, ReadOnlyMode.disabled(clock, serving.writePath()), SessionHandler.LocalSessions.NONE);
        RequestHandler requests = new RequestHandler(stateMachine, watches, tracker, sessions, serving.writePath(),
                stats, config.reconfigEnabled(), config.auth(), PaddockServer.saslLogin(config.auth()),
                config.writePolicy());
        StorageLayout layout = StorageLayout.of(config);
        FourLetterWords words = new FourLetterWords(
                new ServerFacts(config, ensemble, layout.snapDir(), layout.logDir(), clock.monotonicMs()),
                stateMachine, sessions, watches, tracker, stats, clock);
        words.snapCommand(() -> {
            serving.saveNow();
            return "Saved the mirror's state as a ZooKeeper snapshot in " + saved + "\n";
        });
        loop.every(config.tickTimeMs(), words::tick);
        loop.every(config.tickTimeMs(), serving::tick);
        loop.every(config.tickTimeMs(), sessions::expireDue);
        int sessionlessMs = config.limits().sessionlessTimeoutMs();
        loop.every(Math.max(1, Math.min(config.tickTimeMs(), sessionlessMs / 4)),
                () -> sessions.closeStalledHandshakes(sessionlessMs));
        loop.start();
        serving.start(sessions::closeAllConnections);
        InetSocketAddress clientAddress = ensemble.me().clientAddress() != null ? ensemble.me().clientAddress()
                : config.clientAddress();
        // Its throttle thread (when on) stops with the request thread.
        RequestAdmission admission = new RequestAdmission(config.limits().requests(), requests.inFlight(), loop, clock,
                stats);
        ClientListener listener;
        try {
            listener = new ClientListener(clientAddress, ClientListener.Tls.PLAINTEXT, config.maxClientCnxns(),
                    config.limits(), config.juteMaxBufferBytes(), loop, sessions, requests, admission, words, stats, clock);
        } catch (RuntimeException | InterruptedException e) {
            serving.close();
            loop.close();
            words.close();
            throw e;
        }
        words.listeningOn(listener.port());
        LOG.info("Paddock server {} serving clients on {}:{} as an observer of the ZooKeeper ensemble {}",
                ensemble.myId(), clientAddress.getHostString(), listener.port(), mirrorConfig.voters());
        return new PaddockServer(loop, listener, null, serving::close, words, null, null);
    }
}
