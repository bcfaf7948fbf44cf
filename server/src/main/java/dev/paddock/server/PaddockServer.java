package dev.paddock.server;

import dev.paddock.server.admin.FourLetterWords;
import dev.paddock.server.admin.ServerStats;
import dev.paddock.server.config.ServerConfig;
import dev.paddock.server.net.ClientListener;
import dev.paddock.server.request.Committer;
import dev.paddock.server.request.ContainerReaper;
import dev.paddock.server.request.RequestHandler;
import dev.paddock.server.request.RequestLoop;
import dev.paddock.server.request.SessionHandler;
import dev.paddock.server.session.SessionTracker;
import dev.paddock.server.time.Clock;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.watch.WatchManager;
import java.io.IOException;
import java.nio.file.Files;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A standalone Paddock server: wires the state machine, the request thread and the client listener. */
public final class PaddockServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PaddockServer.class);

    private final RequestLoop loop;
    private final ClientListener listener;

    private PaddockServer(RequestLoop loop, ClientListener listener) {
        this.loop = loop;
        this.listener = listener;
    }

    public static PaddockServer start(ServerConfig config) throws IOException, InterruptedException {
        return start(config, Clock.SYSTEM);
    }

    public static PaddockServer start(ServerConfig config, Clock clock) throws IOException, InterruptedException {
        Files.createDirectories(config.dataDir());
        StateMachine stateMachine = new StateMachine(config.extendedTypesEnabled());
        WatchManager watches = new WatchManager();
        SessionTracker tracker = new SessionTracker(clock, config.tickTimeMs(), 0);
        ServerStats stats = new ServerStats();
        Committer committer = new Committer(stateMachine, watches, clock);
        SessionHandler sessions = new SessionHandler(config, stateMachine, tracker, watches, committer, stats);
        RequestHandler requests = new RequestHandler(stateMachine, watches, tracker, sessions, committer, stats, clock);
        FourLetterWords words = new FourLetterWords(config, stateMachine, sessions, watches, stats);

        RequestLoop loop = new RequestLoop(clock, "paddock-requests");
        loop.every(config.tickTimeMs(), sessions::expireDue);
        loop.every(config.containerCheckIntervalMs(), new ContainerReaper(stateMachine.tree(), committer, clock));
        loop.start();
        ClientListener listener;
        try {
            listener = new ClientListener(config.clientAddress(), config.maxClientCnxns(), config.juteMaxBufferBytes(),
                    loop, sessions, requests, words, clock);
        } catch (RuntimeException | InterruptedException e) {
            loop.close();
            throw e;
        }
        LOG.info("Paddock serving clients on {}:{} (standalone)", config.clientAddress().getHostString(),
                listener.port());
        return new PaddockServer(loop, listener);
    }

    public int clientPort() {
        return listener.port();
    }

    @Override
    public void close() {
        listener.close();
        loop.close();
    }
}
