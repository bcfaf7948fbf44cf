package dev.paddock.server;

import dev.paddock.server.admin.FourLetterWords;
import dev.paddock.server.config.ConfigException;
import dev.paddock.server.config.EnsembleConfig;
import dev.paddock.server.config.ServerConfig;
import dev.paddock.server.ensemble.EnsembleMember;
import java.net.InetSocketAddress;
import dev.paddock.server.log.Recovery;
import dev.paddock.server.log.RecoveryException;
import dev.paddock.server.log.Storage;
import dev.paddock.server.net.ClientListener;
import dev.paddock.server.request.Committer;
import dev.paddock.server.request.ContainerReaper;
import dev.paddock.server.request.RequestHandler;
import dev.paddock.server.request.RequestLoop;
import dev.paddock.server.request.SessionHandler;
import dev.paddock.server.session.SessionTracker;
import dev.paddock.server.stats.ServerStats;
import dev.paddock.server.time.Clock;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.watch.WatchManager;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A standalone Paddock server: wires the state machine, the request thread and the client listener. */
public final class PaddockServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PaddockServer.class);

    private final RequestLoop loop;
    private final ClientListener listener;
    private final AutoCloseable storage;

    private PaddockServer(RequestLoop loop, ClientListener listener, AutoCloseable storage) {
        this.loop = loop;
        this.listener = listener;
        this.storage = storage;
    }

    public static PaddockServer start(ServerConfig config) throws IOException, InterruptedException {
        return start(config, Clock.SYSTEM);
    }

    public static PaddockServer start(ServerConfig config, Clock clock) throws IOException, InterruptedException {
        Files.createDirectories(config.dataDir());
        EnsembleConfig ensemble;
        try {
            ensemble = EnsembleConfig.of(config);
        } catch (ConfigException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (ensemble != null) {
            return startMember(config, ensemble, clock);
        }
        Recovery.Result recovered;
        try {
            recovered = Storage.recover(config);
        } catch (RecoveryException e) {
            throw new IOException(e.getMessage(), e);
        }
        StateMachine stateMachine = recovered.stateMachine();
        LOG.info("Recovered zxid 0x{} ({} nodes, {} sessions) in {} ms: snapshot {} ms, {} log entries {} ms",
                Long.toHexString(recovered.lastZxid()), stateMachine.tree().nodeCount(), stateMachine.sessions().size(),
                recovered.loadSnapshotMs() + recovered.replayMs(), recovered.loadSnapshotMs(), recovered.replayed(),
                recovered.replayMs());
        WatchManager watches = new WatchManager();
        SessionTracker tracker = new SessionTracker(clock, config.tickTimeMs(), 0);
        // Recovered sessions live on with fresh deadlines, so their clients can come back in time.
        stateMachine.sessions().forEach(tracker::add);
        ServerStats stats = new ServerStats();
        RequestLoop loop = new RequestLoop(clock, "paddock-requests");
        Storage storage = new Storage(config, loop::execute, new Random(), PaddockServer::logFailed);
        Committer committer = new Committer(stateMachine, watches, clock, loop, storage);
        SessionHandler sessions = new SessionHandler(config, stateMachine, tracker, watches, committer, stats);
        RequestHandler requests = new RequestHandler(stateMachine, watches, tracker, sessions, committer, stats, clock);
        FourLetterWords words = new FourLetterWords(config, stateMachine, sessions, watches, stats);
        words.snapCommand(() -> storage.snapshotNow(stateMachine));

        loop.every(config.tickTimeMs(), sessions::expireDue);
        loop.every(config.containerCheckIntervalMs(), new ContainerReaper(stateMachine.tree(), committer, clock));
        loop.start();
        if (recovered.replayed() > 0) {
            // As ZooKeeper does after loading: the next start reads a snapshot instead of this log. The
            // snapshot is copy-on-write, so clients are served while it is written.
            loop.execute(() -> LOG.info("After recovery: {}", storage.snapshotNow(stateMachine).strip()));
        }
        ClientListener listener;
        try {
            listener = new ClientListener(config.clientAddress(), config.maxClientCnxns(), config.juteMaxBufferBytes(),
                    loop, sessions, requests, words, clock);
        } catch (RuntimeException | InterruptedException e) {
            loop.close();
            storage.close();
            throw e;
        }
        LOG.info("Paddock serving clients on {}:{} (standalone)", config.clientAddress().getHostString(),
                listener.port());
        return new PaddockServer(loop, listener, storage);
    }

    /** A member of an ensemble: the same request path, with writes replicated through the leader. */
    private static PaddockServer startMember(ServerConfig config, EnsembleConfig ensemble, Clock clock)
            throws IOException, InterruptedException {
        StateMachine stateMachine = new StateMachine(config.extendedTypesEnabled());
        WatchManager watches = new WatchManager();
        SessionTracker tracker = new SessionTracker(clock, config.tickTimeMs(), ensemble.myId());
        ServerStats stats = new ServerStats();
        RequestLoop loop = new RequestLoop(clock, "paddock-requests");
        EnsembleMember member = EnsembleMember.open(ensemble, config, stateMachine, watches, tracker, loop, clock);
        SessionHandler sessions = new SessionHandler(config, stateMachine, tracker, watches, member, stats);
        RequestHandler requests = new RequestHandler(stateMachine, watches, tracker, sessions, member, stats, clock);
        FourLetterWords words = new FourLetterWords(config, stateMachine, sessions, watches, stats);
        loop.every(config.tickTimeMs(), member::tick);
        loop.every(Math.min(100, config.tickTimeMs()), member::electionTick);
        loop.every(config.tickTimeMs(), sessions::expireDue);
        loop.every(config.containerCheckIntervalMs(), new ContainerReaper(stateMachine.tree(), member, clock));
        loop.start();
        InetSocketAddress clientAddress = ensemble.me().clientAddress() != null ? ensemble.me().clientAddress()
                : config.clientAddress();
        ClientListener listener;
        try {
            member.start(sessions::closeAllConnections);
            listener = new ClientListener(clientAddress, config.maxClientCnxns(), config.juteMaxBufferBytes(),
                    loop, sessions, requests, words, clock);
        } catch (RuntimeException | InterruptedException e) {
            loop.close();
            member.close();
            throw e;
        }
        LOG.info("Paddock server {} serving clients on {}:{} (ensemble of {} voters, {} observers)", ensemble.myId(),
                clientAddress.getHostString(), listener.port(), ensemble.voters().size(), ensemble.observers().size());
        return new PaddockServer(loop, listener, member);
    }

    /** The log cannot be written: nothing more can be acknowledged, so stop as ZooKeeper does. */
    private static void logFailed(Throwable t) {
        LOG.error("Severe unrecoverable error writing the transaction log, exiting", t);
        Thread exit = new Thread(() -> System.exit(3), "paddock-exit");
        exit.setDaemon(true);
        exit.start();
    }

    public int clientPort() {
        return listener.port();
    }

    @Override
    public void close() {
        listener.close();
        loop.close();
        try {
            storage.close();
        } catch (Exception e) {
            LOG.warn("closing storage", e);
        }
    }
}
