package dev.paddock.server.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's settings, read from zoo.cfg keys (as ZooKeeper names them) and from the {@code zookeeper.*}
 * system properties ZooKeeper reads for the same features, so tools written for ZooKeeper configure
 * Paddock unchanged. A zoo.cfg key wins over the system property; unknown keys are logged and ignored.
 */
public record ServerConfig(
        int tickTimeMs,
        InetSocketAddress clientAddress,
        Path dataDir,
        Path dataLogDir,
        int maxClientCnxns,
        int minSessionTimeoutMs,
        int maxSessionTimeoutMs,
        int juteMaxBufferBytes,
        Set<String> fourLetterWords,
        boolean extendedTypesEnabled,
        String superDigest,
        long containerCheckIntervalMs,
        int initLimit,
        int syncLimit,
        Map<String, String> otherKeys,
        int snapCount,
        long preAllocSizeKb,
        boolean forceSync,
        int snapRetainCount,
        int purgeIntervalHours,
        AuthConfig auth,
        ConnectionLimits limits,
        TlsConfig tls,
        Path configFile) {

    private static final Logger LOG = LoggerFactory.getLogger(ServerConfig.class);
    /** The prefix of ZooKeeper's connection throttle keys. */
    private static final String THROTTLE = "connection_throttle_";

    public static final int DEFAULT_JUTE_MAXBUFFER = 0xfffff;
    /** The four-letter words of ZooKeeper 3.9.5 (it has no {@code snap}: that one is Paddock's own). */
    public static final Set<String> ZOOKEEPER_FOUR_LETTER_WORDS = Set.of("ruok", "srvr", "stat", "conf", "envi",
            "mntr", "cons", "crst", "dump", "wchs", "wchc", "wchp", "dirs", "isro", "gtmk", "stmk", "srst", "hash");
    /** Every four-letter word Paddock answers; "*" in the whitelist means all of them. */
    public static final Set<String> ALL_FOUR_LETTER_WORDS = union(ZOOKEEPER_FOUR_LETTER_WORDS, Set.of("snap"));
    /**
     * What ZooKeeper calls the bytes a telnet client sends when it closes (IAC IP IAC DO, 0xfff4fffd): a
     * known command that "*" whitelists and that then closes the connection without an answer.
     */
    public static final String TELNET_CLOSE = "telnet close";

    /** Keys stored as-is for features of later issues (ensemble, storage); accepted without a warning. */
    private static final Set<String> KNOWN_LATER_KEYS = Set.of("initLimit", "syncLimit", "standaloneEnabled",
            "reconfigEnabled", "dynamicConfigFile", "peerType", "admin.enableServer", "admin.serverPort",
            "admin.serverAddress", "localSessionsEnabled", "localSessionsUpgradingEnabled", "electionAlg",
            "quorumListenOnAllIPs", "secureClientPort", "secureClientPortAddress", "metricsProvider.className",
            "audit.enable", "syncEnabled", "clientPortListenBacklog", "admin.commandURL",
            "admin.idleTimeout", "metricsProvider.httpPort", "metricsProvider.httpHost",
            "metricsProvider.exportJvmInfo", "sslQuorum", "portUnification", "sslQuorumReloadCertFiles",
            "quorum.auth.enableSasl", "quorum.auth.learnerRequireSasl", "quorum.auth.serverRequireSasl",
            "quorum.auth.learner.saslLoginContext", "quorum.auth.server.saslLoginContext",
            "quorum.auth.kerberos.servicePrincipal", "quorumProtocol", "digest.enabled", "zookeeper.digest.enabled");

    /**
     * Security keys that ZooKeeper turns into {@code zookeeper.<key>} system properties, read by
     * {@link AuthConfig} (and the TLS settings) from the keys this record keeps.
     */
    private static final Set<String> SECURITY_KEYS = Set.of("sessionRequireClientSASLAuth", "enforce.auth.enabled",
            "enforce.auth.schemes", "allowSaslFailedClients", "kerberos.removeHostFromPrincipal",
            "kerberos.removeRealmFromPrincipal", "superUser", "sasl.serverconfig", "serverCnxnFactory",
            "client.portUnification", "client.certReload", "SASLAuthenticationProvider.superPassword",
            "X509AuthenticationProvider.superUser", "fips-mode", "skipACL", "enforceQuota");


    private static boolean isSecurityKey(String key) {
        String k = key.startsWith("zookeeper.") ? key.substring("zookeeper.".length()) : key;
        return SECURITY_KEYS.contains(k) || k.startsWith("authProvider.") || k.startsWith("superUser.")
                || k.startsWith("ssl.");
    }

    /** zoo.cfg's {@code reconfigEnabled} (default false), read as ZooKeeper reads it: true or false. */
    public boolean reconfigEnabled() {
        return "true".equalsIgnoreCase(otherKeys.getOrDefault("reconfigEnabled", "false").strip());
    }

    /**
     * {@code zookeeper.enforceQuota} (true or false) and {@code zookeeper.skipACL} ("yes" skips), from zoo.cfg or
     * the system properties, read as ZooKeeper reads them.
     */
    public dev.paddock.server.tree.WritePolicy writePolicy() {
        ZooKeeperKeys keys = new ZooKeeperKeys(otherKeys, System.getProperties());
        return dev.paddock.server.tree.WritePolicy.of(keys.get("enforceQuota"), keys.get("skipACL"));
    }

    /**
     * {@code zookeeper.digest.enabled} (default true; anything but "true" switches it off, as ZooKeeper's
     * Boolean.parseBoolean reads it), from zoo.cfg ({@code digest.enabled}, which ZooKeeper copies to the
     * property) or the system property: whether the server keeps ZooKeeper's tree digest (tree.ZooKeeperDigest).
     */
    public boolean digestEnabled() {
        return Boolean.parseBoolean(new ZooKeeperKeys(otherKeys, System.getProperties()).getOr("digest.enabled", "true"));
    }

    /**
     * zoo.cfg's {@code localSessionsEnabled} (default false): new sessions live on the member they connect to
     * only. Like ZooKeeper, only an ensemble member has local sessions; a standalone server ignores the key.
     */
    public boolean localSessionsEnabled() {
        return "true".equalsIgnoreCase(otherKeys.getOrDefault("localSessionsEnabled", "false").strip());
    }

    /** zoo.cfg's {@code localSessionsUpgradingEnabled} (default false): an ephemeral makes a local session global. */
    public boolean localSessionsUpgradingEnabled() {
        return "true".equalsIgnoreCase(otherKeys.getOrDefault("localSessionsUpgradingEnabled", "false").strip());
    }

    /**
     * The JVM's {@code readonlymode.enabled}, which ZooKeeper reads from the system properties only (its zoo.cfg
     * parser turns an unknown key into a {@code zookeeper.}-prefixed property, which nothing reads).
     */
    public static boolean readOnlyModeEnabled() {
        return Boolean.getBoolean("readonlymode.enabled");
    }

    /** The embedded default of the README's run command: standalone on 127.0.0.1:2181, data under ./data. */
    public static ServerConfig embeddedDefault() throws ConfigException {
        Properties p = new Properties();
        p.setProperty("tickTime", "2000");
        p.setProperty("clientPort", "2181");
        p.setProperty("clientPortAddress", "127.0.0.1");
        p.setProperty("dataDir", "data");
        if (System.getProperty("zookeeper.4lw.commands.whitelist") == null) {
            p.setProperty("4lw.commands.whitelist", "ruok,srvr,stat");
        }
        return fromProperties(p);
    }

    public static ServerConfig load(Path zooCfg) throws ConfigException {
        return fromEntries(ZooCfgFile.read(zooCfg), System.getProperties()).withConfigFile(zooCfg);
    }

    /**
     * The same settings, read from {@code zooCfg}: the file a reconfiguration rewrites (and beside which it
     * writes the dynamic files), as ZooKeeper does. Null (settings not from a file) writes nothing.
     */
    public ServerConfig withConfigFile(Path zooCfg) {
        return new ServerConfig(tickTimeMs, clientAddress, dataDir, dataLogDir, maxClientCnxns, minSessionTimeoutMs,
                maxSessionTimeoutMs, juteMaxBufferBytes, fourLetterWords, extendedTypesEnabled, superDigest,
                containerCheckIntervalMs, initLimit, syncLimit, otherKeys, snapCount, preAllocSizeKb, forceSync,
                snapRetainCount, purgeIntervalHours, auth, limits, tls, zooCfg);
    }

    public static ServerConfig fromProperties(Properties p) throws ConfigException {
        Map<String, ZooCfgFile.Entry> entries = new LinkedHashMap<>();
        for (String key : p.stringPropertyNames()) {
            entries.put(key, new ZooCfgFile.Entry(p.getProperty(key).strip(), "property " + key));
        }
        return fromEntries(entries, System.getProperties());
    }

    static ServerConfig fromEntries(Map<String, ZooCfgFile.Entry> cfg, Properties system) throws ConfigException {
        Values v = new Values(cfg, system);
        int tickTime = v.intValue("tickTime", null, 2000);
        if (tickTime <= 0) {
            throw new ConfigException(v.origin("tickTime") + ": tickTime must be positive");
        }
        int clientPort = v.intValue("clientPort", null, 2181);
        if (clientPort < 0 || clientPort > 65535) {
            throw new ConfigException(v.origin("clientPort") + ": clientPort out of range: " + clientPort);
        }
        String address = v.string("clientPortAddress", null, null);
        InetSocketAddress clientAddress;
        try {
            clientAddress = address == null ? new InetSocketAddress(clientPort)
                    : new InetSocketAddress(InetAddress.getByName(address), clientPort);
        } catch (UnknownHostException e) {
            throw new ConfigException(v.origin("clientPortAddress") + ": unknown host " + address);
        }
        String dataDir = v.string("dataDir", null, null);
        if (dataDir == null) {
            throw new ConfigException("dataDir is not set");
        }
        String dataLogDir = v.string("dataLogDir", null, dataDir);
        int minTimeout = v.intValue("minSessionTimeout", null, -1);
        int maxTimeout = v.intValue("maxSessionTimeout", null, -1);
        minTimeout = minTimeout == -1 ? tickTime * 2 : minTimeout;
        maxTimeout = maxTimeout == -1 ? tickTime * 20 : maxTimeout;
        if (minTimeout > maxTimeout) {
            throw new ConfigException("minSessionTimeout " + minTimeout + " must not be larger than maxSessionTimeout "
                    + maxTimeout);
        }
        int juteMaxBuffer = v.intValue("jute.maxbuffer", "jute.maxbuffer", DEFAULT_JUTE_MAXBUFFER);
        String whitelist = v.string("4lw.commands.whitelist", "zookeeper.4lw.commands.whitelist", "srvr");
        Set<String> words = parseWhitelist(whitelist,
                "true".equals(system.getProperty("readonlymode.enabled", "false")));
        boolean extended = v.bool("extendedTypesEnabled", "zookeeper.extendedTypesEnabled", false);
        String superDigest = v.string("DigestAuthenticationProvider.superDigest",
                "zookeeper.DigestAuthenticationProvider.superDigest", null);
        long containerCheck = v.intValue("znode.container.checkIntervalMs", "znode.container.checkIntervalMs", 60_000);
        int initLimit = v.intValue("initLimit", null, 10);
        int syncLimit = v.intValue("syncLimit", null, 5);
        int maxClientCnxns = v.intValue("maxClientCnxns", null, 60);
        // Storage, with ZooKeeper's defaults and the system properties ZooKeeper reads for them.
        int snapCount = v.intValue("snapCount", "zookeeper.snapCount", 100_000);
        if (snapCount < 2) {
            throw new ConfigException(v.origin("snapCount") + ": snapCount must be at least 2 but is " + snapCount);
        }
        long preAllocSizeKb = v.intValue("preAllocSize", "zookeeper.preAllocSize", 65_536);
        if (preAllocSizeKb <= 0) {
            throw new ConfigException(v.origin("preAllocSize") + ": preAllocSize must be positive");
        }
        boolean forceSync = v.bool("forceSync", "zookeeper.forceSync", true);
        int snapRetainCount = v.intValue("autopurge.snapRetainCount", null, 3);
        if (snapRetainCount < 3) {
            LOG.warn("{}: autopurge.snapRetainCount {} is below the minimum; using 3",
                    v.origin("autopurge.snapRetainCount"), snapRetainCount);
            snapRetainCount = 3;
        }
        int purgeIntervalHours = v.intValue("autopurge.purgeInterval", null, 0);
        ConnectionLimits limits = connectionLimits(v, juteMaxBuffer);

        Map<String, String> other = new LinkedHashMap<>();
        for (Map.Entry<String, ZooCfgFile.Entry> e : cfg.entrySet()) {
            String key = e.getKey();
            if (v.used.contains(key)) {
                continue;
            }
            other.put(key, e.getValue().value());
            if (!KNOWN_LATER_KEYS.contains(key) && !isSecurityKey(key) && !key.startsWith("server.") && !key.startsWith("group.")
                    && !key.startsWith("weight.")) {
                LOG.warn("{}: unknown key '{}' is ignored", e.getValue().origin(), key);
            }
        }
        AuthConfig auth = AuthConfig.of(other, system);
        TlsConfig tls = TlsConfig.of(other, system, address == null ? null : clientAddress.getAddress(),
                cfg.containsKey("clientPort"));
        return new ServerConfig(tickTime, clientAddress, Path.of(dataDir), Path.of(dataLogDir), maxClientCnxns,
                minTimeout, maxTimeout, juteMaxBuffer, words, extended, superDigest, containerCheck, initLimit,
                syncLimit, Map.copyOf(other), snapCount, preAllocSizeKb, forceSync, snapRetainCount,
                purgeIntervalHours, auth, limits, tls, null);
    }

    private static ConnectionLimits connectionLimits(Values v, int juteMaxBuffer) throws ConfigException {
        int maxCnxns = Math.max(0, v.intValue("maxCnxns", "zookeeper.maxCnxns", 0));
        int sessionless = v.intValue("nio.sessionlessCnxnTimeout", "zookeeper.nio.sessionlessCnxnTimeout",
                ConnectionLimits.DEFAULT_SESSIONLESS_TIMEOUT_MS);
        if (sessionless <= 0) {
            throw new ConfigException(v.origin("nio.sessionlessCnxnTimeout") + ": the sessionless connection timeout "
                    + "must be positive");
        }
        int queued = v.intValue("maxClientQueuedBytes", "paddock.maxClientQueuedBytes",
                ConnectionLimits.DEFAULT_MAX_QUEUED_BYTES);
        // One reply of the largest size a client can take must always fit.
        int floor = (int) Math.min(Integer.MAX_VALUE, 2L * (juteMaxBuffer + 64L));
        if (queued < floor) {
            LOG.warn("{}: maxClientQueuedBytes {} is below twice jute.maxbuffer; using {}",
                    v.origin("maxClientQueuedBytes"), queued, floor);
            queued = floor;
        }
        return new ConnectionLimits(maxCnxns, sessionless, queued, throttle(v), requestLimits(v));
    }

    /** ZooKeeper's RequestThrottler and globalOutstandingLimit keys; as there, a max_requests below 1 is off. */
    private static RequestLimits requestLimits(Values v) throws ConfigException {
        RequestLimits d = RequestLimits.defaults();
        int stall = v.intValue("request_throttle_stall_time", "zookeeper.request_throttle_stall_time",
                d.stallTimeMs());
        if (stall < 0) {
            throw new ConfigException(v.origin("request_throttle_stall_time")
                    + ": request_throttle_stall_time must be at least 0");
        }
        return new RequestLimits(
                v.intValue("request_throttle_max_requests", "zookeeper.request_throttle_max_requests", d.maxRequests()),
                // ZooKeeper's 0 waits until a request ends; 1 ms re-checks as often, and never waits for ever.
                Math.max(1, stall),
                v.bool("request_throttle_drop_stale", "zookeeper.request_throttle_drop_stale", d.dropStale()),
                v.bool("request_stale_connection_check", "zookeeper.request_stale_connection_check",
                        d.staleConnectionCheck()),
                v.bool("request_stale_latency_check", "zookeeper.request_stale_latency_check", d.staleLatencyCheck()),
                v.intValue("globalOutstandingLimit", "zookeeper.globalOutstandingLimit", d.globalOutstandingLimit()),
                v.intValue("throttled_op_wait_time", "zookeeper.throttled_op_wait_time", d.throttledOpWaitTimeMs()));
    }

    /** ZooKeeper's BlueThrottle settings, with its corrections of weights that make no sense. */
    private static ThrottleSettings throttle(Values v) throws ConfigException {
        ThrottleSettings d = ThrottleSettings.off();
        boolean weighted = v.bool(THROTTLE + "weight_enabled", "zookeeper." + THROTTLE + "weight_enabled", false);
        int local = v.intValue(THROTTLE + "local_session_weight", "zookeeper." + THROTTLE + "local_session_weight", 1);
        local = local <= 0 ? 1 : local;
        int global = v.intValue(THROTTLE + "global_session_weight", "zookeeper." + THROTTLE + "global_session_weight", 3);
        global = global <= 0 ? 3 : Math.max(global, local);
        int renew = v.intValue(THROTTLE + "renew_session_weight", "zookeeper." + THROTTLE + "renew_session_weight", 2);
        renew = renew <= 0 ? 2 : Math.max(renew, local);
        int scale = weighted ? global : 1;
        int tokens = v.intValue(THROTTLE + "tokens", "zookeeper." + THROTTLE + "tokens", d.tokens());
        int fillTime = v.intValue(THROTTLE + "fill_time", "zookeeper." + THROTTLE + "fill_time", d.fillTimeMs());
        if (tokens < 0 || fillTime <= 0) {
            throw new ConfigException(v.origin(THROTTLE + "tokens") + ": connection_throttle_tokens must be at least 0 "
                    + "and connection_throttle_fill_time positive");
        }
        return new ThrottleSettings(scale * tokens, fillTime,
                scale * v.intValue(THROTTLE + "fill_count", "zookeeper." + THROTTLE + "fill_count", d.fillCount()),
                v.intValue(THROTTLE + "freeze_time", "zookeeper." + THROTTLE + "freeze_time", d.freezeTimeMs()),
                v.doubleValue(THROTTLE + "drop_increase", "zookeeper." + THROTTLE + "drop_increase", d.dropIncrease()),
                v.doubleValue(THROTTLE + "drop_decrease", "zookeeper." + THROTTLE + "drop_decrease", d.dropDecrease()),
                v.doubleValue(THROTTLE + "decrease_ratio", "zookeeper." + THROTTLE + "decrease_ratio", d.decreaseRatio()),
                weighted, global, local, renew);
    }

    /**
     * The words answered, as ZooKeeper 3.9.5 decides them: the listed ones ("*" for all, "telnet close"
     * included), always {@code srvr} (zkServer.sh status needs it) and {@code isro} when read-only mode is
     * enabled (clients probe with it). Unknown words in the list are kept and never match.
     */
    private static Set<String> parseWhitelist(String whitelist, boolean readOnlyModeEnabled) {
        Set<String> words = Arrays.stream(whitelist.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
        if (words.contains("*")) {
            words.addAll(ALL_FOUR_LETTER_WORDS);
            words.add(TELNET_CLOSE);
            words.remove("*");
        }
        words.add("srvr");
        if (readOnlyModeEnabled) {
            words.add("isro");
        }
        return Set.copyOf(words);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /** Looks keys up in zoo.cfg first, then in the named system property, and records which keys were used. */
    private static final class Values {
        final Map<String, ZooCfgFile.Entry> cfg;
        final Properties system;
        final Set<String> used = new LinkedHashSet<>();

        Values(Map<String, ZooCfgFile.Entry> cfg, Properties system) {
            this.cfg = cfg;
            this.system = system;
        }

        String origin(String key) {
            ZooCfgFile.Entry e = cfg.get(key);
            return e == null ? key : e.origin();
        }

        String string(String key, String systemProperty, String fallback) {
            used.add(key);
            ZooCfgFile.Entry e = cfg.get(key);
            if (e == null) {
                e = cfg.get("zookeeper." + key);
                used.add("zookeeper." + key);
            }
            if (e != null) {
                return e.value();
            }
            if (systemProperty != null) {
                String s = system.getProperty(systemProperty);
                if (s != null) {
                    return s.strip();
                }
            }
            return fallback;
        }

        int intValue(String key, String systemProperty, int fallback) throws ConfigException {
            String s = string(key, systemProperty, null);
            if (s == null) {
                return fallback;
            }
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new ConfigException(origin(key) + ": " + key + " must be a number but is '" + s + "'");
            }
        }

        double doubleValue(String key, String systemProperty, double fallback) throws ConfigException {
            String s = string(key, systemProperty, null);
            if (s == null) {
                return fallback;
            }
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new ConfigException(origin(key) + ": " + key + " must be a number but is '" + s + "'");
            }
        }

        boolean bool(String key, String systemProperty, boolean fallback) throws ConfigException {
            String s = string(key, systemProperty, null);
            if (s == null) {
                return fallback;
            }
            if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("yes")) {
                return true;
            }
            if (s.equalsIgnoreCase("false") || s.equalsIgnoreCase("no")) {
                return false;
            }
            throw new ConfigException(origin(key) + ": " + key + " must be true or false but is '" + s + "'");
        }
    }
}
