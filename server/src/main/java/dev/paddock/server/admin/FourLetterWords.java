package dev.paddock.server.admin;

import dev.paddock.server.fault.ConnectionFaults;
import dev.paddock.server.config.ServerConfig;
import dev.paddock.server.session.SessionTracker;
import dev.paddock.server.stats.ServerStats;
import dev.paddock.server.time.Clock;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.watch.WatchManager;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The four-letter words on the client port, answered as ZooKeeper 3.9.5 answers them so that scripts,
 * monitoring and clients that parse them keep working (the formats are in the classes named below, the
 * behaviour is pinned by the compat scenarios FourLetterWordScenarios and FourLetterWhitelistScenarios).
 *
 * <ul>
 *   <li>Only whitelisted words are answered (ServerConfig: 4lw.commands.whitelist, "*", srvr always); any
 *       other known word is answered "&lt;word&gt; is not executed because it is not in the whitelist.".
 *       An unknown word is no word at all: the network layer reads it as a frame length.</li>
 *   <li>Words that read the server's state say "This ZooKeeper instance is not currently serving
 *       requests" while it does not serve (isro says "null"); ruok, envi, gtmk and stmk always answer.</li>
 *   <li>Every answer is followed by the connection's close, as in ZooKeeper.</li>
 * </ul>
 *
 * {@link #answer} is called on the request thread, which alone reads the state; the words that read the
 * disk or the environment (conf, dirs, envi, part of mntr) finish on a worker thread of their own.
 */
public final class FourLetterWords implements AutoCloseable {
    /** What srvr reports as the version: the ZooKeeper release whose protocol Paddock speaks, then ours. */
    public static final String VERSION = "3.9.5-paddock-" + Version.PADDOCK + ", built on " + Version.BUILT;
    static final String NOT_SERVING = "This ZooKeeper instance is not currently serving requests";
    /** ZooKeeper's default trace mask (client requests, server packets, sessions, warnings). */
    static final long DEFAULT_TRACE_MASK = 306;
    /** Disk and environment answers waiting for the worker; more are refused (their connections close). */
    static final int WORKER_QUEUE_CAPACITY = 16;
    private static final Logger LOG = LoggerFactory.getLogger(FourLetterWords.class);

    private final ServerFacts facts;
    private final ServerView server;
    private final ServerStats stats;
    private final StatusText status;
    private final WatchText watchText;
    private final DumpText dump;
    private final MonitorText monitor;
    private final ConfText conf;
    private final EnvironmentText environment = new EnvironmentText();
    /** ZooKeeper's tree digest, kept by the state machine; read on the request thread. */
    private final dev.paddock.server.tree.ZooKeeperDigest digest;
    private final ThreadPoolExecutor worker;
    private Supplier<String> snapCommand = () -> "snap is not available: no storage\n";
    private Supplier<java.util.List<LearnerLag>> learnerLags = java.util.List::of;
    private java.util.function.IntFunction<LearnerLink> learnerLinks = id -> null;
    private Runnable resetLearnerLinks = () -> { };
    private volatile int clientPort;
    private volatile int secureClientPort = -1;
    /** stmk sets it and gtmk reads it. Paddock logs no trace categories; the value is kept as ZooKeeper's. */
    private volatile long traceMask = DEFAULT_TRACE_MASK;

    public FourLetterWords(ServerFacts facts, StateMachine stateMachine, ServerView server, WatchManager watches,
                           SessionTracker sessions, ServerStats stats, Clock clock) {
        this.facts = facts;
        this.server = server;
        this.stats = stats;
        this.status = new StatusText(stateMachine, server, stats, facts, clock);
        this.watchText = new WatchText(watches);
        this.dump = new DumpText(stateMachine, sessions, server, clock);
        this.monitor = new MonitorText(facts, stateMachine, server, watches, stats, clock, this::learnerLags);
        this.conf = new ConfText(facts);
        this.digest = stateMachine.zooKeeperDigest();
        this.clientPort = facts.config().clientAddress().getPort();
        this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(WORKER_QUEUE_CAPACITY), r -> {
                    Thread t = new Thread(r, "paddock-four-letter-words");
                    t.setDaemon(true);
                    return t;
                });
    }

    /** What {@code snap} runs: starts a snapshot and says what it did (set by the storage wiring). */
    /** Where conf reads the membership in force (see {@link ConfText#membershipFrom}); any thread. */
    public void membershipFrom(Supplier<String> text) {
        conf.membershipFrom(text);
    }

    /** Where the leader's view of its learners comes from (set by the ensemble wiring); request thread. */
    public void learnersFrom(Supplier<java.util.List<LearnerLag>> learners) {
        this.learnerLags = learners;
    }

    /**
     * Where a learner's link statistics come from while this member leads (null for a learner without a link),
     * and how observer_connection_stat_reset resets them (set by the ensemble wiring); request thread.
     */
    public void learnerLinksFrom(java.util.function.IntFunction<LearnerLink> links, Runnable reset) {
        this.learnerLinks = links;
        this.resetLearnerLinks = reset;
    }

    LearnerLink learnerLink(int id) {
        return learnerLinks.apply(id);
    }

    void resetLearnerLinks() {
        resetLearnerLinks.run();
    }

    /** The learners as this member sees them while it leads, none otherwise; request thread only. */
    public java.util.List<LearnerLag> learnerLags() {
        return learnerLags.get();
    }

    public void snapCommand(Supplier<String> command) {
        this.snapCommand = command;
    }

    /** The TLS-only port the secure listener bound (conf's secureClientPort; -1 without one). */
    public void secureListeningOn(int port) {
        this.secureClientPort = port;
    }

    /** The port the client listener bound (conf's clientPort; differs from zoo.cfg's when that was 0). */
    public void listeningOn(int port) {
        this.clientPort = port;
    }

    /** Whether a word is answered (ZooKeeper's whitelist rules; see {@link ServerConfig}). */
    public boolean isEnabled(String word) {
        return facts.config().fourLetterWords().contains(word);
    }

    /** Every tick, on the request thread. */
    public void tick() {
        monitor.observeRole();
    }

    /**
     * Answers one word on the request thread; {@code reply} gets the text, here or later on the worker, or
     * null to close the connection without an answer. {@code argument} is stmk's new mask.
     */
    public void answer(String word, long argument, Consumer<String> reply) {
        if (!isEnabled(word)) {
            reply.accept(word + " is not executed because it is not in the whitelist.\n");
            return;
        }
        switch (word) {
            case ServerConfig.TELNET_CLOSE -> reply.accept(null); // known, whitelisted by "*", answered by a close
            case "ruok" -> reply.accept("imok");
            case "envi" -> later(reply, environment::text);
            case "gtmk" -> reply.accept(Long.toString(traceMask));
            case "stmk" -> {
                traceMask = argument;
                reply.accept(Long.toString(argument));
            }
            case "isro" -> reply.accept(!server.serving() ? "null" : server.readOnly() ? "ro" : "rw");
            case "snap" -> reply.accept(snapCommand.get());
            default -> {
                if (!server.serving()) {
                    // hash prints it without a newline, as ZooKeeper's does.
                    reply.accept(word.equals("hash") ? NOT_SERVING : NOT_SERVING + "\n");
                } else {
                    answerServing(word, reply);
                }
            }
        }
    }

    private void answerServing(String word, Consumer<String> reply) {
        switch (word) {
            case "srvr" -> reply.accept(StatusText.summary(status.collect(), false));
            case "stat" -> reply.accept(StatusText.summary(status.collect(), true));
            case "cons" -> reply.accept(StatusText.connections(status.collect()));
            case "crst" -> {
                server.resetConnectionStats();
                reply.accept("Connection stats reset.\n");
            }
            case "srst" -> {
                stats.reset();
                reply.accept("Server stats reset.\n");
            }
            case "dump" -> reply.accept(dump.text(dump.collect()));
            case "wchs" -> reply.accept(WatchText.summary(watchText.counts()));
            case "wchc" -> reply.accept(WatchText.bySession(watchText.bySessionGroups()));
            case "wchp" -> reply.accept(WatchText.byPath(watchText.byPathGroups()));
            case "mntr" -> {
                Map<String, Object> values = monitor.collect();
                later(reply, () -> MonitorText.text(values));
            }
            case "conf" -> {
                int port = clientPort;
                int securePort = secureClientPort;
                later(reply, () -> conf.conf(port, securePort));
            }
            case "dirs" -> later(reply, () -> ConfText.dirs(conf.dirSizes()));
            case "hash" -> reply.accept(DigestText.text(digest.history()));
            default -> throw new IllegalStateException("no answer for whitelisted word " + word);
        }
    }

    /** The digest history, oldest first (hash and the AdminServer's hash); request thread. */
    java.util.List<dev.paddock.server.tree.ZooKeeperDigest.Entry> digestHistory() {
        return digest.history();
    }

    /** mntr's values, in its order, as the request thread sees them now (the metrics exporter's source). */
    public Map<String, Object> monitorValues() {
        return monitor.collect();
    }

    /** Off the request thread: the values with the file descriptor counts filled in, as mntr prints them. */
    public static Map<String, Object> completeMonitorValues(Map<String, Object> collected) {
        return MonitorText.complete(collected);
    }

    // ---- What the AdminServer's commands share with the words (same package, same data) ------------------

    StatusText status() {
        return status;
    }

    WatchText watchText() {
        return watchText;
    }

    DumpText dump() {
        return dump;
    }

    MonitorText monitor() {
        return monitor;
    }

    ConfText conf() {
        return conf;
    }

    EnvironmentText environment() {
        return environment;
    }

    ServerFacts facts() {
        return facts;
    }

    ServerView server() {
        return server;
    }

    ServerStats stats() {
        return stats;
    }

    int clientPort() {
        return clientPort;
    }

    /** The client port bound (zoo.cfg's, or the one chosen when it said 0). */
    public int clientPortListening() {
        return clientPort;
    }

    long traceMask() {
        return traceMask;
    }

    void traceMask(long mask) {
        traceMask = mask;
    }

    /**
     * Runs {@code work} on the disk and environment worker, then hands its result to {@code done}; false
     * when the worker's queue is full (the caller answers without it). A failure of {@code work} is a bug
     * confined to that one answer: counted, logged, and {@code done} gets null.
     */
    <T> boolean onWorker(Supplier<T> work, Consumer<T> done) {
        try {
            worker.execute(() -> {
                T result;
                try {
                    result = work.get();
                } catch (RuntimeException e) {
                    ConnectionFaults.closing("an admin client", "answering an admin command", e);
                    result = null;
                }
                done.accept(result);
            });
            return true;
        } catch (RejectedExecutionException e) {
            LOG.warn("Too many answers waiting for the disk ({}); refusing one", WORKER_QUEUE_CAPACITY);
            return false;
        }
    }

    /** Finishes an answer on the worker; a full queue or a failure closes the connection unanswered. */
    private void later(Consumer<String> reply, Supplier<String> text) {
        try {
            worker.execute(() -> {
                String answer;
                try {
                    answer = text.get();
                } catch (RuntimeException e) {
                    // A bug in one word's text: confined to that connection, counted like every such fault.
                    ConnectionFaults.closing("a four-letter-word client", "answering a four-letter word", e);
                    answer = null;
                }
                reply.accept(answer);
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("Too many four-letter words waiting for the disk ({}); closing one connection",
                    WORKER_QUEUE_CAPACITY);
            reply.accept(null);
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
