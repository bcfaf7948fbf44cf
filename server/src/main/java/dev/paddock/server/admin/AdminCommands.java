package dev.paddock.server.admin;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The AdminServer's commands, with ZooKeeper 3.9.5's names, aliases and fields: each computes its data on
 * the request thread (which alone reads the state) from the same sources as the four-letter words, or
 * finishes on the words' disk worker when it reads the disk or the environment. The HTTP side is
 * {@code admin.http}; the field shapes are pinned against ZooKeeper by the compat test AdminServerCompatTest.
 *
 * <p>As in ZooKeeper: an unknown name is answered 200 with {@code "error": "Unknown command: name"}; a
 * command that needs a serving server says "This ZooKeeper instance is not currently serving requests"
 * (200); snapshot and restore need an {@code Authorization} header whose identity holds every permission
 * on "/" ({@link AdminAuth}).
 */
public final class AdminCommands {
    static final String NOT_SERVING = FourLetterWords.NOT_SERVING;
    static final int UNAUTHORIZED = 401;
    static final int FORBIDDEN = 403;
    static final int SERVICE_UNAVAILABLE = 503;

    /** One command: its names (the first is primary), whether it needs a serving server, whether auth. */
    record Command(List<String> names, boolean serverRequired, boolean auth) {
        String primary() {
            return names.get(0);
        }
    }

    private static final List<Command> COMMANDS = List.of(
            cmd(true, false, "connection_stat_reset", "crst"),
            cmd(true, false, "configuration", "conf", "config"),
            cmd(true, false, "connections", "cons"),
            cmd(true, false, "dirs"),
            cmd(true, false, "dump"),
            cmd(false, false, "environment", "env", "envi"),
            cmd(false, false, "get_trace_mask", "gtmk"),
            cmd(true, false, "hash"),
            cmd(true, false, "initial_configuration", "icfg"),
            cmd(true, false, "is_read_only", "isro"),
            cmd(true, false, "last_snapshot", "lsnp"),
            cmd(true, false, "leader", "lead"),
            cmd(false, false, "monitor", "mntr"),
            cmd(true, false, "observer_connection_stat_reset", "orst"),
            cmd(true, true, "restore", "rest"),
            cmd(true, false, "ruok"),
            cmd(false, false, "set_trace_mask", "stmk"),
            cmd(true, true, "snapshot", "snap"),
            cmd(true, false, "server_stats", "srvr"),
            cmd(true, false, "stats", "stat"),
            cmd(true, false, "stat_reset", "srst"),
            cmd(true, false, "observers", "obsr"),
            cmd(false, false, "system_properties", "sysp"),
            cmd(true, false, "voting_view"),
            cmd(true, false, "watch_summary", "wchs"),
            cmd(true, false, "watches", "wchc"),
            cmd(true, false, "watches_by_path", "wchp"),
            cmd(false, false, "zabstate"));

    /**
     * Paddock's own commands, beyond ZooKeeper's: answered, but not in the listing, which stays ZooKeeper's
     * (compat-tests' AdminServerCompatTest compares it).
     */
    private static final List<Command> PADDOCK_COMMANDS = List.of(cmd(false, false, "ensemble_status"));

    private static final Map<String, Command> BY_NAME = index();

    private final FourLetterWords words;
    private final QuorumView quorum;
    private final AdminAuth auth;
    private final SnapshotCommand snapshot;
    private volatile RestoreCommand restore;
    private volatile EnsembleProbe ensemble;

    /**
     * Paddock's ensemble_status: every member's state and the verdict (the status package asks them over the
     * network, so it runs on the worker, never on the request thread).
     */
    public interface EnsembleProbe {
        /** The report as JSON fields; {@code maxLag} is the lag in zxids tolerated before a member is lagging. */
        Map<String, Object> report(long maxLag);
    }

    public AdminCommands(FourLetterWords words, QuorumView quorum, AdminAuth auth, SnapshotCommand snapshot) {
        this.words = words;
        this.quorum = quorum;
        this.auth = auth;
        this.snapshot = snapshot;
    }

    /** restore's handler (set by the server's wiring; without it restore answers 500, as a failed restore). */
    public void restoreCommand(RestoreCommand command) {
        this.restore = command;
    }

    /** restore's handler, for the HTTP side to write the request body to its file; null when none. */
    public RestoreCommand restoreCommand() {
        return restore;
    }

    /** Where ensemble_status asks the members (set by the server's wiring; without it the command says so). */
    public void ensembleProbe(EnsembleProbe probe) {
        this.ensemble = probe;
    }

    /**
     * What one HTTP request asks: the command name, its query parameters, the Authorization header; for a
     * restore, the file its body was written to ({@link RestoreCommand#beginUpload}), null otherwise.
     */
    public record Request(String name, Map<String, String> params, String authorization, String remoteIp,
                          boolean post, java.nio.file.Path upload) {
        public Request(String name, Map<String, String> params, String authorization, String remoteIp,
                       boolean post) {
            this(name, params, authorization, remoteIp, post, null);
        }
    }

    /** The primary names, sorted: what GET on the command URL lists. */
    public static SortedSet<String> primaryNames() {
        SortedSet<String> names = new TreeSet<>();
        COMMANDS.forEach(c -> names.add(c.primary()));
        return names;
    }

    /** Answers one request on the request thread; {@code reply} is called here or on the disk worker. */
    public void answer(Request request, Consumer<AdminResponse> reply) {
        // A restore's uploaded body belongs to the restore command once it runs; otherwise it is dropped here.
        if (!decide(request, reply) && request.upload() != null && restore != null) {
            restore.abandonUpload(request.upload());
        }
    }

    /** True when the restore command took the request (and its uploaded body). */
    private boolean decide(Request request, Consumer<AdminResponse> reply) {
        Command command = BY_NAME.get(request.name());
        if (command == null) {
            reply.accept(AdminResponse.error(request.name(), "Unknown command: " + request.name(), AdminResponse.OK));
            return false;
        }
        String name = command.primary();
        if (command.serverRequired() && !words.server().serving()) {
            reply.accept(AdminResponse.error(name, NOT_SERVING, AdminResponse.OK));
            return false;
        }
        if (command.auth()) {
            AdminAuth.Verdict verdict = auth.check(request.authorization(), request.remoteIp());
            if (verdict != AdminAuth.Verdict.ALLOWED) {
                reply.accept(AdminResponse.error(name, verdict.message(), verdict.status()));
                return false;
            }
        }
        if (name.equals("restore") != request.post()) {
            // ZooKeeper's servlet has no answer here (a GET command posted to, or restore fetched): it fails
            // with an empty 500. Paddock says which method the command takes.
            reply.accept(AdminResponse.error(name, "use " + (request.post() ? "GET" : "POST") + " for " + name, 405));
            return false;
        }
        return run(name, request, reply);
    }

    private boolean run(String name, Request request, Consumer<AdminResponse> reply) {
        switch (name) {
            case "configuration" -> later(name, reply, () -> words.conf().json(words.clientPort()));
            case "dirs" -> later(name, reply, () -> words.conf().dirSizes());
            case "environment" -> later(name, reply, () -> words.environment().entries());
            case "monitor" -> {
                Map<String, Object> values = words.monitor().collect();
                later(name, reply, () -> MonitorText.complete(values));
            }
            case "server_stats", "stats" -> {
                StatusText.Summary s = words.status().collect();
                boolean withClients = name.equals("stats");
                later(name, reply, () -> StatusText.json(s, withClients, ConfText.sizeBytes(words.facts().snapDir()),
                        ConfText.sizeBytes(words.facts().logDir())));
            }
            case "last_snapshot" -> later(name, reply, () -> SnapshotCommand.lastSnapshot(words.facts().snapDir()));
            case "snapshot" -> snapshot.take(request.params(), reply);
            case "restore" -> {
                if (restore == null) {
                    reply.accept(AdminResponse.error(name, "restore is not available on this server", 500));
                } else {
                    restore.run(request.upload(), reply);
                    return true;
                }
            }
            case "ensemble_status" -> ensembleStatus(request.params(), reply);
            default -> reply.accept(AdminResponse.ok(name, now(name, request.params())));
        }
        return false;
    }

    /**
     * The leader's synced observers, each with ZooKeeper's learner handler info fields in its order; empty on
     * other roles. Paddock's leader writes to a learner's socket as it sends, with no queue of its own between:
     * queued_packets and queued_packets_size are 0 (what ZooKeeper shows for a handler that keeps up). The
     * address is the learner's quorum address from the configuration (ZooKeeper shows its socket's remote end).
     */
    private void observers(Map<String, Object> m) {
        List<Map<String, Object>> observers = new java.util.ArrayList<>();
        for (LearnerLag l : words.learnerLags()) {
            LearnerLink link = words.learnerLink(l.id());
            if (!l.observer() || !l.synced() || link == null) {
                continue;
            }
            Map<String, Object> info = new java.util.LinkedHashMap<>();
            info.put("remote_socket_address", link.remoteAddress());
            info.put("sid", (long) l.id());
            info.put("established", link.establishedMs());
            info.put("queued_packets", 0);
            info.put("queued_packets_size", 0L);
            info.put("packets_received", link.packetsReceived());
            info.put("packets_sent", link.packetsSent());
            info.put("requests", link.requests());
            info.put("last_zxid", link.lastZxid());
            observers.add(info);
        }
        m.put("synced_observers", observers.size());
        m.put("observers", observers);
    }

    /** The commands answered from memory, on the request thread. */
    private Map<String, Object> now(String name, Map<String, String> params) {
        Map<String, Object> m = new LinkedHashMap<>();
        switch (name) {
            case "connection_stat_reset" -> words.server().resetConnectionStats();
            case "connections" -> {
                m.put("connections", StatusText.connectionsJson(words.status().collect(), false));
                m.put("secure_connections", List.of());
            }
            case "dump" -> m.putAll(DumpText.json(words.dump().collect()));
            case "get_trace_mask" -> m.put("tracemask", words.traceMask());
            case "set_trace_mask" -> setTraceMask(params, m);
            case "hash" -> m.put("digests", DigestText.json(words.digestHistory()));
            case "initial_configuration" -> m.put("initial_configuration", initialConfiguration());
            case "is_read_only" -> m.put("read_only", words.server().readOnly());
            case "leader" -> m.putAll(quorum.leader(words.facts(), words.server()));
            case "observers" -> observers(m);
            case "observer_connection_stat_reset" -> words.resetLearnerLinks();
            case "ruok" -> { }
            case "stat_reset" -> words.stats().reset();
            case "system_properties" -> m.putAll(systemProperties());
            case "voting_view" -> m.put("current_config", QuorumView.votingView(words.facts().ensemble()));
            case "watch_summary" -> m.putAll(words.watchText().counts());
            case "watches" -> m.putAll(WatchText.bySessionJson(words.watchText().bySessionGroups()));
            case "watches_by_path" -> m.putAll(WatchText.byPathJson(words.watchText().byPathGroups()));
            case "zabstate" -> m.putAll(quorum.zabState(words.facts(), words.server(),
                    words.status().collect().zxid()));
            default -> throw new IllegalStateException("no answer for admin command " + name);
        }
        return m;
    }

    /**
     * The members' table as JSON (see status.EnsembleReport), then, from the request thread, what this member
     * knows of its learners while it leads: {@code learners} (empty otherwise).
     */
    private void ensembleStatus(Map<String, String> params, Consumer<AdminResponse> reply) {
        EnsembleProbe probe = ensemble;
        if (probe == null) {
            reply.accept(AdminResponse.error("ensemble_status", "ensemble status is not available", AdminResponse.OK));
            return;
        }
        long maxLag;
        try {
            maxLag = Long.parseLong(params.getOrDefault("maxLag", Long.toString(DEFAULT_MAX_LAG)));
        } catch (NumberFormatException e) {
            reply.accept(AdminResponse.error("ensemble_status", "maxLag must be a number", 400));
            return;
        }
        List<Object> learners = new java.util.ArrayList<>();
        for (LearnerLag l : words.learnerLags()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", (long) l.id());
            m.put("observer", l.observer());
            m.put("synced", l.synced());
            m.put("acked_zxid", l.ackedZxid() < 0 ? null : "0x" + Long.toHexString(l.ackedZxid()));
            m.put("lag", l.lag() < 0 ? null : l.lag());
            learners.add(m);
        }
        later("ensemble_status", reply, () -> {
            Map<String, Object> m = new LinkedHashMap<>(probe.report(maxLag));
            m.put("learners", learners);
            return m;
        });
    }

    /** Lag in zxids tolerated by ensemble_status unless {@code ?maxLag=} says otherwise. */
    static final long DEFAULT_MAX_LAG = 1000;

    private void setTraceMask(Map<String, String> params, Map<String, Object> m) {
        String value = params.get("traceMask");
        if (value == null) {
            m.put("error", "setTraceMask requires long traceMask argument");
            return;
        }
        try {
            long mask = Long.parseLong(value);
            words.traceMask(mask);
            m.put("tracemask", mask);
        } catch (NumberFormatException e) {
            m.put("error", "setTraceMask requires long traceMask argument, got " + value);
        }
    }

    /**
     * ZooKeeper shows the text of the configuration file it read. Paddock's configuration reaches the server
     * parsed, so it shows the settings it runs with as zoo.cfg lines (the same keys, in a fixed order).
     */
    private String initialConfiguration() {
        var c = words.facts().config();
        Map<String, Object> lines = new LinkedHashMap<>();
        lines.put("tickTime", c.tickTimeMs());
        lines.put("clientPort", c.clientAddress().getPort());
        lines.put("clientPortAddress", c.clientAddress().getHostString());
        lines.put("dataDir", c.dataDir());
        lines.put("dataLogDir", c.dataLogDir());
        lines.put("maxClientCnxns", c.maxClientCnxns());
        lines.put("minSessionTimeout", c.minSessionTimeoutMs());
        lines.put("maxSessionTimeout", c.maxSessionTimeoutMs());
        lines.put("initLimit", c.initLimit());
        lines.put("syncLimit", c.syncLimit());
        lines.putAll(new TreeMap<>(c.otherKeys()));
        StringBuilder sb = new StringBuilder();
        lines.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }

    private static Map<String, Object> systemProperties() {
        Properties p = System.getProperties();
        Map<String, Object> sorted = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            sorted.put(key, p.getProperty(key));
        }
        return sorted;
    }

    /** Runs {@code work} on the disk worker; a full queue is answered 503, a failure 500. */
    private void later(String name, Consumer<AdminResponse> reply,
                       java.util.function.Supplier<Map<String, Object>> work) {
        boolean queued = words.onWorker(work, data -> reply.accept(data == null
                ? AdminResponse.error(name, "the command failed; see the server log", 500)
                : AdminResponse.ok(name, data)));
        if (!queued) {
            reply.accept(AdminResponse.error(name, "too many commands waiting for the disk", SERVICE_UNAVAILABLE));
        }
    }

    private static Command cmd(boolean serverRequired, boolean auth, String... names) {
        return new Command(Arrays.asList(names), serverRequired, auth);
    }

    private static Map<String, Command> index() {
        Map<String, Command> m = new java.util.HashMap<>();
        for (Command c : COMMANDS) {
            c.names().forEach(n -> m.put(n, c));
        }
        for (Command c : PADDOCK_COMMANDS) {
            c.names().forEach(n -> m.put(n, c));
        }
        return Map.copyOf(m);
    }
}
