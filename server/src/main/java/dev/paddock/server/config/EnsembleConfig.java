package dev.paddock.server.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The ensemble part of zoo.cfg: {@code server.N=host:quorumPort:electionPort[:participant|observer]
 * [;[clientHost:]clientPort]} lines, {@code peerType} and {@code standaloneEnabled}, plus this member's id
 * from the {@code myid} file in dataDir, exactly as ZooKeeper reads them.
 *
 * <p>{@code configText} is the membership as ZooKeeper 3.9 writes it into {@code /zookeeper/config} (see
 * {@link #configText(Map, long)}), made from the server lines as written: ZooKeeper's servers list decides
 * the role shown, whatever {@code peerType} says.
 */
public record EnsembleConfig(int myId, Map<Integer, Peer> peers, boolean standaloneEnabled, String configText,
                             long configVersion) {

    /** One server line. */
    public record Peer(int id, String host, int quorumPort, int electionPort, boolean observer,
                       InetSocketAddress clientAddress) {
        public InetSocketAddress quorumAddress() {
            return new InetSocketAddress(host, quorumPort);
        }

        public InetSocketAddress electionAddress() {
            return new InetSocketAddress(host, electionPort);
        }
    }

    public EnsembleConfig {
        peers = Collections.unmodifiableMap(new TreeMap<>(peers));
    }

    public EnsembleConfig(int myId, Map<Integer, Peer> peers, boolean standaloneEnabled) {
        this(myId, peers, standaloneEnabled, configText(peers, 0), 0);
    }

    public EnsembleConfig(int myId, Map<Integer, Peer> peers, boolean standaloneEnabled, String configText) {
        this(myId, peers, standaloneEnabled, configText, 0);
    }

    /**
     * The text ZooKeeper 3.9.5 keeps in {@code /zookeeper/config} for these servers at config version
     * {@code version} (0 for a static config, that is every config while reconfig is not implemented): one
     * {@code server.N=host:quorumPort:electionPort:participant|observer[;clientHost:clientPort]} line per
     * server, each ending in a newline, then {@code version=<hex>} without one. ZooKeeper lists the servers
     * in the iteration order of a {@code HashMap<Long, ...>} (ascending for small ids, not in general), so
     * this iterates one; ids that share a bucket (1 and 17) come out ascending here, in the order of its
     * Properties' iteration over the whole zoo.cfg in ZooKeeper. Hosts are written as configured, an IPv6 literal in brackets. The client part is
     * there only when the server line has one ({@code ;2181} is written {@code ;0.0.0.0:2181}); a server
     * whose client port comes from the static {@code clientPort} has none. Measured against ZooKeeper
     * 3.9.5 by compat-tests' EnsembleConfigNodeTest.
     */
    public static String configText(Map<Integer, Peer> peers, long version) {
        Map<Long, Peer> inZooKeeperOrder = new java.util.HashMap<>();
        for (Peer p : new TreeMap<>(peers).values()) {
            inZooKeeperOrder.put((long) p.id(), p);
        }
        StringBuilder text = new StringBuilder();
        for (Peer p : inZooKeeperOrder.values()) {
            text.append("server.").append(p.id()).append('=').append(delimited(p.host())).append(':')
                    .append(p.quorumPort()).append(':').append(p.electionPort())
                    .append(p.observer() ? ":observer" : ":participant");
            if (p.clientAddress() != null) {
                text.append(';').append(delimited(p.clientAddress().getHostString())).append(':')
                        .append(p.clientAddress().getPort());
            }
            text.append('\n');
        }
        return text.append("version=").append(Long.toHexString(version)).toString();
    }

    private static String delimited(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** The ensemble of a zoo.cfg; null when it has no server lines (or only one with standaloneEnabled). */
    public static EnsembleConfig of(ServerConfig config) throws ConfigException {
        boolean observerType = "observer".equalsIgnoreCase(config.otherKeys().getOrDefault("peerType", "participant"));
        DynamicConfig.Members listed = listedMembers(config);
        Map<Integer, Peer> peers = new TreeMap<>(listed.servers());
        long version = listed.version();
        boolean standaloneEnabled = !"false".equalsIgnoreCase(config.otherKeys().getOrDefault("standaloneEnabled", "true"));
        if (peers.isEmpty() || peers.size() == 1 && standaloneEnabled) {
            return null;
        }
        String configText = configText(peers, version);
        int myId = readMyId(config.dataDir());
        if (!peers.containsKey(myId)) {
            throw new ConfigException("myid " + myId + " has no server." + myId + " line");
        }
        if (observerType && !peers.get(myId).observer()) {
            Peer p = peers.get(myId);
            peers.put(myId, new Peer(p.id(), p.host(), p.quorumPort(), p.electionPort(), true, p.clientAddress()));
        }
        if (peers.values().stream().noneMatch(p -> !p.observer())) {
            throw new ConfigException("the ensemble has no voting members");
        }
        return new EnsembleConfig(myId, peers, standaloneEnabled, configText, version);
    }

    /**
     * The servers a zoo.cfg lists, with the config version: its {@code dynamicConfigFile}'s when it names one,
     * else its {@code server.N} lines (version 0). Needs no {@code myid}: tools read another member's zoo.cfg.
     */
    public static DynamicConfig.Members listedMembers(ServerConfig config) throws ConfigException {
        String dynamicFile = config.otherKeys().get("dynamicConfigFile");
        if (dynamicFile != null) {
            return readDynamicFile(Path.of(dynamicFile));
        }
        Map<Integer, Peer> peers = new TreeMap<>();
        for (Map.Entry<String, String> e : config.otherKeys().entrySet()) {
            if (!e.getKey().startsWith("server.")) {
                continue;
            }
            int id;
            try {
                id = Integer.parseInt(e.getKey().substring("server.".length()));
            } catch (NumberFormatException ex) {
                throw new ConfigException(e.getKey() + ": the server id must be a number");
            }
            peers.put(id, parsePeer(id, e.getValue(), e.getKey()));
        }
        return new DynamicConfig.Members(peers, 0);
    }

    /**
     * A {@code dynamicConfigFile} as ZooKeeper reads it: {@code server.N} lines, the version from the file name's
     * {@code .dynamic.<hex>} suffix; a {@code version=} line inside is refused, as there.
     */
    static DynamicConfig.Members readDynamicFile(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read dynamicConfigFile " + file + ": " + e.getMessage());
        }
        DynamicConfig.Members members = DynamicConfig.parse(text);
        if (text.lines().anyMatch(l -> l.strip().startsWith("version"))) {
            throw new ConfigException(file + ": dynamic file shouldn't have version inside");
        }
        return new DynamicConfig.Members(members.servers(), DynamicConfig.versionOf(file));
    }

    /** The servers and version of this config. */
    public DynamicConfig.Members members() {
        return new DynamicConfig.Members(peers, configVersion);
    }

    static Peer parsePeer(int id, String value, String key) throws ConfigException {
        String addressPart = value;
        InetSocketAddress client = null;
        int semicolon = value.indexOf(';');
        if (semicolon >= 0) {
            addressPart = value.substring(0, semicolon).strip();
            String clientPart = value.substring(semicolon + 1).strip();
            int colon = clientPart.lastIndexOf(':');
            try {
                client = colon < 0 ? new InetSocketAddress(Integer.parseInt(clientPart))
                        : new InetSocketAddress(clientPart.substring(0, colon), Integer.parseInt(clientPart.substring(colon + 1)));
            } catch (NumberFormatException ex) {
                throw new ConfigException(key + ": bad client address '" + clientPart + "'");
            }
        }
        String[] parts = addressPart.split(":");
        if (parts.length < 3 || parts.length > 4) {
            throw new ConfigException(key + ": expected host:quorumPort:electionPort[:participant|observer] but found '"
                    + value + "'");
        }
        boolean observer = false;
        if (parts.length == 4) {
            if (parts[3].equalsIgnoreCase("observer")) {
                observer = true;
            } else if (!parts[3].equalsIgnoreCase("participant")) {
                throw new ConfigException(key + ": unknown member type '" + parts[3] + "'");
            }
        }
        try {
            return new Peer(id, parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), observer, client);
        } catch (NumberFormatException ex) {
            throw new ConfigException(key + ": ports must be numbers in '" + value + "'");
        }
    }

    static int readMyId(Path dataDir) throws ConfigException {
        Path file = dataDir.resolve("myid");
        try {
            return Integer.parseInt(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage());
        } catch (NumberFormatException e) {
            throw new ConfigException(file + " must hold this server's id as a number");
        }
    }

    public Peer me() {
        return peers.get(myId);
    }

    public Set<Integer> voters() {
        Set<Integer> ids = new TreeSet<>();
        peers.values().stream().filter(p -> !p.observer()).forEach(p -> ids.add(p.id()));
        return ids;
    }

    public Set<Integer> observers() {
        Set<Integer> ids = new TreeSet<>();
        peers.values().stream().filter(Peer::observer).forEach(p -> ids.add(p.id()));
        return ids;
    }
}
