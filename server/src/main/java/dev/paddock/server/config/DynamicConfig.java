package dev.paddock.server.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * ZooKeeper 3.9's dynamic configuration: the text of a membership ({@code server.N=...} lines and
 * {@code version=<hex>}, as {@code /zookeeper/config} holds it), the incremental and non-incremental forms of
 * a reconfig request that change it, and the {@code <zoo.cfg>.dynamic.<hex version>} files a member writes
 * when a new configuration applies and reads at start-up ({@code dynamicConfigFile=}).
 */
public final class DynamicConfig {
    private static final String DYNAMIC_SUFFIX = ".dynamic.";

    /** A membership and its version. */
    public record Members(Map<Integer, EnsembleConfig.Peer> servers, long version) {
        public Members {
            servers = Collections.unmodifiableMap(new TreeMap<>(servers));
        }

        /** The text ZooKeeper keeps in {@code /zookeeper/config}. */
        public String text() {
            return EnsembleConfig.configText(servers, version);
        }
    }

    private DynamicConfig() {
    }

    /**
     * Reads a membership written as Properties ({@code server.N=} lines, commas or newlines between them, and
     * an optional {@code version=}), as ZooKeeper parses {@code /zookeeper/config} and a non-incremental reconfig.
     * Other keys than {@code server.*}, {@code version}, {@code group*} and {@code weight*} are refused, as there.
     */
    public static Members parse(String text) throws ConfigException {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text.replace(',', '\n')));
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read the configuration: " + e.getMessage());
        }
        Map<Integer, EnsembleConfig.Peer> servers = new TreeMap<>();
        long version = 0;
        for (String key : p.stringPropertyNames()) {
            String value = p.getProperty(key).strip();
            if (key.equals("version")) {
                version = parseHex(value, key);
            } else if (key.startsWith("server.")) {
                int id = parseId(key.substring("server.".length()), key);
                servers.put(id, EnsembleConfig.parsePeer(id, value, key));
            } else if (key.startsWith("group") || key.startsWith("weight")) {
                throw new ConfigException(key + ": hierarchical quorums are not supported by Paddock");
            } else {
                throw new ConfigException("unexpected key '" + key + "' in a dynamic configuration");
            }
        }
        return new Members(servers, version);
    }

    /**
     * The membership an incremental reconfig asks for: {@code leaving} (comma-separated ids) removed from
     * {@code current}, then {@code joining} (comma-separated {@code server.N=spec} or {@code N=spec}, each with its
     * quorum, election and client address) added or replacing the same id, in ZooKeeper's order. Null lists
     * change nothing.
     */
    public static Map<Integer, EnsembleConfig.Peer> incremental(Map<Integer, EnsembleConfig.Peer> current,
                                                                String joining, String leaving)
            throws ConfigException {
        Map<Integer, EnsembleConfig.Peer> next = new TreeMap<>(current);
        for (String id : split(leaving)) {
            next.remove(parseId(id, "leaving server"));
        }
        for (String joiner : split(joining)) {
            String[] parts = joiner.split("=", -1);
            if (parts.length != 2) {
                throw new ConfigException("Wrong format of server string");
            }
            int id = parseId(parts[0].substring(parts[0].lastIndexOf('.') + 1).strip(), parts[0]);
            EnsembleConfig.Peer peer = EnsembleConfig.parsePeer(id, parts[1].strip(), "server." + id);
            if (peer.clientAddress() == null) {
                throw new ConfigException("Wrong format of server string - each server should have at least 3 ports"
                        + " specified");
            }
            for (EnsembleConfig.Peer other : next.values()) {
                if (other.id() != id && sameAddress(peer, other)) {
                    throw new ConfigException("server " + id + " uses an address of server " + other.id());
                }
            }
            next.put(id, peer);
        }
        return next;
    }

    private static boolean sameAddress(EnsembleConfig.Peer a, EnsembleConfig.Peer b) {
        return a.quorumAddress().equals(b.quorumAddress()) || a.electionAddress().equals(b.electionAddress())
                || a.quorumAddress().equals(b.electionAddress()) || a.electionAddress().equals(b.quorumAddress());
    }

    private static List<String> split(String list) {
        List<String> items = new ArrayList<>();
        if (list == null) {
            return items;
        }
        for (String item : list.split(",")) {
            if (!item.isBlank()) {
                items.add(item.strip());
            }
        }
        return items;
    }

    private static int parseId(String s, String what) throws ConfigException {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            throw new ConfigException(what + ": '" + s + "' is not a server id");
        }
    }

    private static long parseHex(String s, String what) throws ConfigException {
        try {
            return Long.parseUnsignedLong(s.strip(), 16);
        } catch (NumberFormatException e) {
            throw new ConfigException(what + ": '" + s + "' is not a hexadecimal version");
        }
    }

    // ---- files ---------------------------------------------------------------------------------------------

    /** {@code <zoo.cfg>.dynamic.<hex version>}, the file ZooKeeper names for a configuration. */
    public static Path fileFor(Path zooCfg, long version) {
        return zooCfg.resolveSibling(zooCfg.getFileName() + DYNAMIC_SUFFIX + Long.toHexString(version));
    }

    /** The version a dynamic file's name carries (ZooKeeper takes it from the suffix, not the contents). */
    public static long versionOf(Path dynamicFile) throws ConfigException {
        String name = dynamicFile.getFileName().toString();
        int at = name.lastIndexOf(DYNAMIC_SUFFIX);
        if (at < 0) {
            return 0;
        }
        String suffix = name.substring(at + DYNAMIC_SUFFIX.length());
        return suffix.equals("next") ? 0 : parseHex(suffix, dynamicFile.toString());
    }

    /**
     * A dynamic file's contents as ZooKeeper writes them: the configuration's lines without {@code version},
     * sorted, joined with newlines.
     */
    public static String fileText(Members members) {
        List<String> lines = new ArrayList<>();
        for (String line : members.text().split("\n")) {
            if (!line.startsWith("version=")) {
                lines.add(line);
            }
        }
        Collections.sort(lines);
        return String.join("\n", lines);
    }

    /**
     * Writes the dynamic file of {@code members} beside {@code zooCfg} and points zoo.cfg at it (its
     * {@code server.*}, {@code dynamicConfigFile} and {@code peerType} lines replaced by one
     * {@code dynamicConfigFile=} line; the rest kept as written), both atomically, as ZooKeeper does when a
     * configuration applies. Returns the dynamic file.
     */
    public static Path writeFiles(Path zooCfg, Members members) throws IOException {
        Path dynamic = fileFor(zooCfg, members.version()).toAbsolutePath();
        writeAtomically(dynamic, fileText(members));
        List<String> kept = new ArrayList<>();
        for (String line : Files.readAllLines(zooCfg, StandardCharsets.UTF_8)) {
            String key = line.strip().split("[=:\\s]", 2)[0];
            if (!key.startsWith("server.") && !key.equals("dynamicConfigFile") && !key.equals("peerType")) {
                kept.add(line);
            }
        }
        kept.add("dynamicConfigFile=" + dynamic);
        writeAtomically(zooCfg, String.join("\n", kept) + "\n");
        return dynamic;
    }

    private static void writeAtomically(Path target, String text) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
