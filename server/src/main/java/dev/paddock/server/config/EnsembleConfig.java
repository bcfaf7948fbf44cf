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
 */
public record EnsembleConfig(int myId, Map<Integer, Peer> peers, boolean standaloneEnabled) {

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

    /** The ensemble of a zoo.cfg; null when it has no server lines (or only one with standaloneEnabled). */
    public static EnsembleConfig of(ServerConfig config) throws ConfigException {
        Map<Integer, Peer> peers = new TreeMap<>();
        boolean observerType = "observer".equalsIgnoreCase(config.otherKeys().getOrDefault("peerType", "participant"));
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
        boolean standaloneEnabled = !"false".equalsIgnoreCase(config.otherKeys().getOrDefault("standaloneEnabled", "true"));
        if (peers.isEmpty() || peers.size() == 1 && standaloneEnabled) {
            return null;
        }
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
        return new EnsembleConfig(myId, peers, standaloneEnabled);
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
