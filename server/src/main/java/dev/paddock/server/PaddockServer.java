package dev.paddock.server;

import dev.paddock.server.admin.AdminAuth;
import dev.paddock.server.admin.AdminCommands;
import dev.paddock.server.admin.FourLetterWords;
import dev.paddock.server.admin.QuorumView;
import dev.paddock.server.admin.RestoreCommand;
import dev.paddock.server.admin.SnapshotCommand;
import dev.paddock.server.admin.http.AdminHttpServer;
import dev.paddock.server.admin.http.AdminSettings;
import dev.paddock.server.admin.ServerFacts;
import dev.paddock.server.auth.PrincipalNames;
import dev.paddock.server.auth.SaslLogin;
import dev.paddock.server.config.AuthConfig;
import dev.paddock.server.config.ConfigException;
import dev.paddock.server.config.EnsembleConfig;
import dev.paddock.server.config.ServerConfig;
import dev.paddock.server.config.TlsConfig;
import dev.paddock.server.ensemble.EnsembleMember;
import dev.paddock.server.ensemble.Membership;
import dev.paddock.server.metrics.MetricsServer;
import dev.paddock.server.metrics.MetricsSettings;
import dev.paddock.server.migration.ZooKeeperImport;
import dev.paddock.server.mirror.MirrorConfig;
import dev.paddock.server.net.ClientListener;
import dev.paddock.server.net.ReloadingTls;
import dev.paddock.server.quorum.transport.TransportSecurity;
import dev.paddock.server.net.TlsContexts;
import dev.paddock.server.request.ContainerReaper;
import dev.paddock.server.request.ReadOnlyMode;
import dev.paddock.server.request.RequestAdmission;
import dev.paddock.server.request.RequestHandler;
import dev.paddock.server.request.RequestLoop;
import dev.paddock.server.request.SessionHandler;
import dev.paddock.server.session.SessionTracker;
import dev.paddock.server.status.EnsembleStatus;
import dev.paddock.server.status.MemberProbe;
import dev.paddock.server.status.MemberTarget;
import dev.paddock.server.storage.RecoveryException;
import dev.paddock.server.storage.SnapshotService;
import dev.paddock.server.storage.StorageLayout;
import dev.paddock.server.stats.AdminCommandStats;
import dev.paddock.server.stats.ServerStats;
import dev.paddock.server.time.Clock;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.watch.WatchManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Paddock server, standalone or ensemble member (a standalone server is a one-member ensemble): wires
 * the state machine, the write path ({@link EnsembleMember}), the request thread and the client listener.
 */
public final class PaddockServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PaddockServer.class);
    /** How long a standalone server may take to elect itself before it opens its client port. */
    private static final long STANDALONE_READY_MS = 30_000;
    /** How long ensemble_status waits for each member's answer. */
    private static final int ENSEMBLE_PROBE_TIMEOUT_MS = 2000;

    private final RequestLoop loop;
    private final ClientListener listener;
    private final ClientListener secureListener;
    /** Closes the write path (the ensemble member, or a ZooKeeper mirror's). */
    private final Runnable member;
    private final FourLetterWords words;
    private final AdminHttpServer admin;
    private final MetricsServer metrics;

    PaddockServer(RequestLoop loop, ClientListener listener, ClientListener secureListener, Runnable member,
                          FourLetterWords words, AdminHttpServer admin, MetricsServer metrics) {
        this.loop = loop;
        this.listener = listener;
        this.secureListener = secureListener;
        this.member = member;
        this.words = words;
        this.admin = admin;
        this.metrics = metrics;
    }

    public static PaddockServer start(ServerConfig config) throws IOException, InterruptedException {
        return start(config, Clock.SYSTEM);
    }

    /**
     * @throws IOException when the configuration or the data directory cannot be used (the message names
     *                     the file), or the client port cannot be bound
     */
    public static PaddockServer start(ServerConfig config, Clock clock) throws IOException, InterruptedException {
        if (zooKeeperProtocol(config)) {
            return MirrorServer.start(config, clock);
        }
        Files.createDirectories(config.dataDir());
        // Reading a large data directory back takes seconds on one core; the client port's classes load meanwhile.
        ClientListener.warmUpInBackground();
        // A ZooKeeper data directory and no Paddock data: take ZooKeeper's state over before anything opens.
        ZooKeeperImport.importIfPresent(config);
        EnsembleConfig ensemble;
        try {
            ensemble = EnsembleConfig.of(config);
        } catch (ConfigException e) {
            throw new IOException(e.getMessage(), e);
        }
        SaslLogin saslLogin = saslLogin(config.auth());
        TransportSecurity quorumSecurity = ensemble == null ? TransportSecurity.PLAINTEXT : MemberSecurity.of(config);
        // New client connections use the stores' files as they are (ZooKeeper's Netty factory reads them per
        // connection), so replaced certificates take effect without a restart.
        ReloadingTls tlsContext = config.tls().enabled() ? ReloadingTls.of(config.tls().settings(),
                () -> TlsContexts.server(config.tls()), true, "the client port") : null;
        Membership membership = ensemble == null ? Membership.ofStandalone() : Membership.of(ensemble);
        InetSocketAddress clientAddress = ensemble != null && ensemble.me().clientAddress() != null
                ? ensemble.me().clientAddress() : config.clientAddress();
        StateMachine stateMachine = new StateMachine(config.extendedTypesEnabled());
        if (!config.digestEnabled()) {
            stateMachine.disableZooKeeperDigest();
        }
        WatchManager watches = new WatchManager();
        SessionTracker tracker = new SessionTracker(clock, config.tickTimeMs(), membership.myId());
        ServerStats stats = new ServerStats();
        RequestLoop loop = new RequestLoop(clock, "paddock-requests");
        EnsembleMember member;
        try {
            member = EnsembleMember.open(membership, config, stateMachine, watches, tracker, loop, clock,
                    quorumSecurity);
        } catch (RecoveryException e) {
            throw new IOException(e.getMessage(), e);
        }
        // Read-only mode and local sessions are an ensemble member's, as in ZooKeeper (its standalone server has neither).
        boolean ensembleMember = !membership.standalone();
        ReadOnlyMode readOnly = new ReadOnlyMode(ensembleMember && ServerConfig.readOnlyModeEnabled(), config.tickTimeMs(),
                clock, member);
        SessionHandler.LocalSessions local = ensembleMember ? new SessionHandler.LocalSessions(config.localSessionsEnabled(),
                config.localSessionsUpgradingEnabled()) : SessionHandler.LocalSessions.NONE;
        SessionHandler sessions = new SessionHandler(config, stateMachine, tracker, watches, member, stats, clock,
                readOnly, local);
        RequestHandler requests = new RequestHandler(stateMachine, watches, tracker, sessions, member, stats,
                config.reconfigEnabled(), config.auth(), saslLogin, config.writePolicy());
        StorageLayout layout = StorageLayout.of(config);
        FourLetterWords words = new FourLetterWords(
                new ServerFacts(config, ensemble, layout.snapDir(), layout.logDir(), clock.monotonicMs()),
                stateMachine, sessions, watches, tracker, stats, clock);
        words.snapCommand(member::snapshotNow);
        if (ensemble != null) {
            words.membershipFrom(member::membershipText);
        }
        // The leader's view of its learners, copied into the admin layer's own record (admin knows no quorum types).
        words.learnersFrom(() -> member.learnerProgress().stream()
                .map(p -> dev.paddock.server.admin.LearnerLag.of(p.id(), p.observer(), p.synced(), p.ackedZxid(),
                        p.leaderZxid()))
                .toList());
        // ZooKeeper's statistics are those of the server object of the current role (see ServerStats.newRole).
        member.onNewRole(() -> stats.newRole(clock.monotonicMs()));
        if (ensemble != null) {
            words.learnerLinksFrom(id -> {
                long[] t = member.learnerTraffic(id);
                EnsembleConfig.Peer peer = ensemble.peers().get(id);
                String address = peer == null ? "<null>" : "/" + peer.host() + ":" + peer.quorumPort();
                return t == null ? null : new dev.paddock.server.admin.LearnerLink(address, t[0], t[1], t[2], t[3], t[4]);
            }, member::resetLearnerTraffic);
        }
        loop.every(config.tickTimeMs(), member::tick);
        loop.every(config.tickTimeMs(), words::tick);
        loop.every(Math.min(100, config.tickTimeMs()), member::electionTick);
        loop.every(Math.min(100, config.tickTimeMs()), sessions::observeServingMode);
        loop.every(config.tickTimeMs(), sessions::expireDue);
        int sessionlessMs = config.limits().sessionlessTimeoutMs();
        loop.every(Math.max(1, Math.min(config.tickTimeMs(), sessionlessMs / 4)),
                () -> sessions.closeStalledHandshakes(sessionlessMs));
        loop.every(config.containerCheckIntervalMs(), new ContainerReaper(stateMachine.tree(), member, clock));
        loop.start();
        // One for both client ports; its throttle thread (when on) stops with the request thread.
        RequestAdmission admission = new RequestAdmission(config.limits().requests(), requests.inFlight(), loop, clock,
                stats);
        ClientListener listener = null;
        AdminHttpServer admin = null;
        MetricsServer metrics = null;
        ClientListener secureListener = null;
        try {
            member.start(sessions::closeAllConnections);
            if (membership.standalone()) {
                awaitServing(member, loop);
            }
            ListenerFactory open = (address, mode) -> new ClientListener(address, mode, config.maxClientCnxns(),
                    config.limits(), config.juteMaxBufferBytes(), loop, sessions, requests, admission, words, stats, clock);
            ClientListener[] both = openListeners(config, clientAddress, tlsContext, open);
            listener = both[0];
            secureListener = both[1];
            if (secureListener != null) {
                words.secureListeningOn(secureListener.port());
            }
            words.listeningOn((listener != null ? listener : secureListener).port());
            admin = startAdmin(config, ensemble, membership, stateMachine, member, words, layout, loop, clock,
                    stats.adminCommands());
            metrics = startMetrics(config, words, stats, loop);
        } catch (IOException | RuntimeException | InterruptedException e) {
            if (admin != null) {
                admin.close();
            }
            if (listener != null) {
                listener.close();
            }
            if (secureListener != null) {
                secureListener.close();
            }
            loop.close();
            member.close();
            words.close();
            throw e;
        }
        if (membership.standalone()) {
            LOG.info("Paddock serving clients on {}:{} (standalone)", clientAddress.getHostString(), port(listener));
        } else {
            LOG.info("Paddock server {} serving clients on {}:{} (ensemble of {} voters, {} observers)",
                    membership.myId(), clientAddress.getHostString(), port(listener), membership.voters().size(),
                    membership.observers().size());
        }
        return new PaddockServer(loop, listener, secureListener, member::close, words, admin, metrics);
    }

    /**
     * {@code quorumProtocol=zookeeper} asks for an observer of a ZooKeeper ensemble (a mirror, see
     * {@link MirrorServer}) rather than a member of a Paddock ensemble.
     */
    private static boolean zooKeeperProtocol(ServerConfig config) throws IOException {
        try {
            return MirrorConfig.requested(config);
        } catch (ConfigException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** The Prometheus endpoint when zoo.cfg names ZooKeeper's Prometheus provider; a taken port stops the start. */
    private static MetricsServer startMetrics(ServerConfig config, FourLetterWords words, ServerStats stats,
                                              RequestLoop loop) throws IOException {
        MetricsSettings settings;
        try {
            settings = MetricsSettings.of(config);
        } catch (ConfigException e) {
            throw new IOException(e.getMessage(), e);
        }
        return settings.enabled() ? MetricsServer.start(settings, words, stats, loop::tryExecute) : null;
    }

    /** The Prometheus endpoint's port, -1 when there is none. */
    public int metricsPort() {
        return metrics == null ? -1 : metrics.port();
    }

    /**
     * The AdminServer, unless admin.enableServer=false. A port that cannot be bound stops a standalone
     * server's start (ZooKeeper exits then); an ensemble member logs it and runs without one, as ZooKeeper's
     * QuorumPeer does.
     */
    private static AdminHttpServer startAdmin(ServerConfig config, EnsembleConfig ensemble, Membership membership,
                                              StateMachine stateMachine, EnsembleMember member, FourLetterWords words,
                                              StorageLayout layout, RequestLoop loop, Clock clock,
                                              AdminCommandStats adminStats) throws IOException {
        AdminSettings settings;
        try {
            settings = AdminSettings.of(config, System.getProperties());
        } catch (ConfigException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (!settings.enabled()) {
            return null;
        }
        AdminCommands commands = new AdminCommands(words, new QuorumView(member::leaderId),
                new AdminAuth(stateMachine, config.superDigest(), config.writePolicy()),
                new SnapshotCommand(stateMachine, layout.snapDir(),
                        // snapshotNow says what it did; it starts none while one is being written.
                        () -> !member.snapshotNow().equals(SnapshotService.ALREADY_RUNNING), clock,
                        adminStats));
        List<MemberTarget> members;
        try {
            members = EnsembleStatus.targetsOfMember(config, ensemble, words.clientPortListening());
        } catch (ConfigException e) {
            throw new IOException(e.getMessage(), e);
        }
        // The membership in force at each call, so a reconfig's new members are asked and its removed ones not.
        commands.ensembleProbe(maxLag -> EnsembleStatus.collect(ensemble == null ? members
                : EnsembleStatus.targetsInForce(config, member.membershipText(), members),
                new MemberProbe(ENSEMBLE_PROBE_TIMEOUT_MS), maxLag).json());
        Executor requestThread = task -> {
            if (!loop.tryExecute(task)) {
                throw new RejectedExecutionException("request queue full");
            }
        };
        commands.restoreCommand(new RestoreCommand(layout.snapDir(), layout.logDir(), config.extendedTypesEnabled(), body -> {
            try {
                return member.restore(body);
            } catch (EnsembleMember.RestoreRefused e) {
                // ZooKeeper answers 500 for a restore that fails; one that may succeed later is 503 here.
                throw new RestoreCommand.Refused(e.getMessage(), e.retryable() ? 503 : 500);
            }
        }, requestThread, clock, adminStats));
        try {
            return AdminHttpServer.start(settings, commands, requestThread);
        } catch (IOException e) {
            if (membership.standalone()) {
                throw e;
            }
            LOG.warn("Problem starting AdminServer; running without it", e);
            return null;
        }
    }

    /** The AdminServer's port, -1 when it is not running. */
    public int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    private interface ListenerFactory {
        ClientListener open(InetSocketAddress address, ClientListener.Tls mode) throws InterruptedException;
    }

    /**
     * The plaintext client port (with TLS too under client.portUnification) unless zoo.cfg names only a
     * secureClientPort, and the TLS-only port if it names one: {plaintext or null, secure or null}.
     */
    private static ClientListener[] openListeners(ServerConfig config, InetSocketAddress clientAddress,
                                                  ReloadingTls tlsContext, ListenerFactory open)
            throws InterruptedException {
        TlsConfig tls = config.tls();
        ClientListener plain = null;
        if (tls.secureAddress() == null || tls.plaintextPort()) {
            plain = open.open(clientAddress, tls.portUnification()
                    ? new ClientListener.Tls(tlsContext, false) : ClientListener.Tls.PLAINTEXT);
        }
        if (tls.secureAddress() == null) {
            return new ClientListener[] {plain, null};
        }
        try {
            ClientListener secure = open.open(tls.secureAddress(), new ClientListener.Tls(tlsContext, true));
            LOG.info("Paddock serving TLS clients on port {}", secure.port());
            return new ClientListener[] {plain, secure};
        } catch (InterruptedException | RuntimeException e) {
            if (plain != null) {
                plain.close();
            }
            throw e;
        }
    }

    /** The SASL users of the JAAS section the server reads, as ZooKeeper's ServerCnxnFactory does at start. */
    static SaslLogin saslLogin(AuthConfig auth) throws IOException {
        return SaslLogin.fromJaas(auth.saslSection(),
                PrincipalNames.withJvmRealm(auth.removeHostFromPrincipal(), auth.removeRealmFromPrincipal()),
                auth.superPassword());
    }

    /**
     * A standalone server opens its port once it has elected itself and applied its log, so its first
     * client is never turned away; an ensemble member opens at once and refuses clients until it serves.
     * Applying a long log takes as long as it takes (ZooKeeper loads its database without a time limit), so
     * only the election, once the request thread answers, has a deadline.
     */
    private static void awaitServing(EnsembleMember member, RequestLoop loop) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STANDALONE_READY_MS * 1_000_000;
        while (true) {
            java.util.concurrent.CompletableFuture<Boolean> serving = new java.util.concurrent.CompletableFuture<>();
            loop.execute(() -> serving.complete(member.serving()));
            if (answer(serving, loop)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the standalone server did not elect itself within " + STANDALONE_READY_MS
                        + " ms");
            }
            Thread.sleep(5);
        }
    }

    /** Waits for the request thread's answer while it is running (it may be applying a long log). */
    private static boolean answer(java.util.concurrent.CompletableFuture<Boolean> serving, RequestLoop loop)
            throws IOException, InterruptedException {
        long started = System.nanoTime();
        long nextLog = started + STANDALONE_READY_MS * 1_000_000;
        while (true) {
            try {
                return serving.get(1, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IOException("the server did not become ready", e);
            } catch (java.util.concurrent.TimeoutException e) {
                if (!loop.isRunning()) {
                    throw new IOException("the server did not become ready: its request thread stopped", e);
                }
                if (System.nanoTime() > nextLog) {
                    LOG.info("Start-up is still applying the log ({} s)", (System.nanoTime() - started) / 1_000_000_000L);
                    nextLog += STANDALONE_READY_MS * 1_000_000;
                }
            }
        }
    }

    private static int port(ClientListener listener) {
        return listener == null ? -1 : listener.port();
    }

    /** The plaintext client port, or -1 when the server speaks TLS only. */
    public int clientPort() {
        return port(listener);
    }

    /** The TLS-only client port (secureClientPort), or -1 when there is none. */
    public int secureClientPort() {
        return port(secureListener);
    }

    @Override
    public void close() {
        if (metrics != null) {
            metrics.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (listener != null) {
            listener.close();
        }
        if (secureListener != null) {
            secureListener.close();
        }
        loop.close();
        member.run();
        words.close();
    }
}
