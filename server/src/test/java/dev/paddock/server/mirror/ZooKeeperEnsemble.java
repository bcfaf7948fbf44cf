package dev.paddock.server.mirror;

import static dev.paddock.server.ServerTestSupport.freePort;

import dev.paddock.server.migration.RealZooKeeper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;

/**
 * Three ZooKeeper 3.9.5 participants in child JVMs ({@code QuorumPeerMain}), with one more server line
 * {@code server.4=...:observer} for the Paddock mirror, as an operator adding an observer would write it.
 * Extended types (TTL nodes) are enabled, so the mirror sees every node type.
 */
final class ZooKeeperEnsemble implements AutoCloseable {
    static final int MIRROR_ID = 4;
    static final int TICK_MS = 1000;
    /** ZooKeeper's super user, which may reconfigure the ensemble. */
    static final String SUPER = "super:mirror-test";

    final Map<Integer, Integer> clientPorts = new TreeMap<>();
    final Map<Integer, Integer> quorumPorts = new TreeMap<>();
    final Map<Integer, Integer> electionPorts = new TreeMap<>();
    final Map<Integer, RealZooKeeper> members = new TreeMap<>();
    final List<String> serverLines = new ArrayList<>();

    static ZooKeeperEnsemble start(Path dir) throws Exception {
        return start(dir, 1);
    }

    /**
     * The three voters, with {@code mirrors} observer lines (ids {@link #MIRROR_ID} on) whose quorum, election
     * and client ports are reserved here for the mirrors (and for the Paddock members they become at a
     * cut-over).
     */
    static ZooKeeperEnsemble start(Path dir, int mirrors) throws Exception {
        ZooKeeperEnsemble e = new ZooKeeperEnsemble();
        for (int id = 1; id < MIRROR_ID + mirrors; id++) {
            int quorum = freePort();
            int election = freePort();
            e.quorumPorts.put(id, quorum);
            e.electionPorts.put(id, election);
            e.clientPorts.put(id, freePort());
            e.serverLines.add("server." + id + "=127.0.0.1:" + quorum + ":" + election
                    + (id >= MIRROR_ID ? ":observer" : ""));
        }
        try {
            for (int id = 1; id < MIRROR_ID; id++) {
                e.startMember(dir, id);
            }
        } catch (Exception ex) {
            e.close();
            throw ex;
        }
        return e;
    }

    /** The data directory of voter {@code id}. */
    static Path dataDir(Path dir, int id) {
        return dir.resolve("zk" + id).resolve("data");
    }

    private void startMember(Path dir, int id) throws Exception {
        Path home = dir.resolve("zk" + id);
        Files.createDirectories(home.resolve("data"));
        Files.writeString(home.resolve("data/myid"), Integer.toString(id));
        Map<String, String> cfg = new LinkedHashMap<>(baseConfig(home));
        cfg.put("clientPort", Integer.toString(clientPorts.get(id)));
        members.put(id, RealZooKeeper.start(home, cfg,
                Map.of("zookeeper.DigestAuthenticationProvider.superDigest", DigestAuthenticationProvider.generateDigest(SUPER),
                        "zookeeper.extendedTypesEnabled", "true"),
                RealZooKeeper.testClassPath(),
                "org.apache.zookeeper.server.quorum.QuorumPeerMain"));
    }

    /** The keys every server of the ensemble has, the mirror included (it adds its own). */
    Map<String, String> baseConfig(Path home) {
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("tickTime", Integer.toString(TICK_MS));
        cfg.put("initLimit", "10");
        cfg.put("syncLimit", "5");
        cfg.put("dataDir", home.resolve("data").toString());
        cfg.put("4lw.commands.whitelist", "*");
        cfg.put("reconfigEnabled", "true");
        // Room for clients' 60 s sessions, Curator's default (the default maximum is 20 ticks).
        cfg.put("maxSessionTimeout", "60000");
        for (String line : serverLines) {
            int eq = line.indexOf('=');
            cfg.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return cfg;
    }

    String connectString() {
        List<String> s = new ArrayList<>();
        members.keySet().forEach(id -> s.add("127.0.0.1:" + clientPorts.get(id)));
        return String.join(",", s);
    }

    /** The member whose srvr says Mode: leader, or -1 while none does. */
    int leader() {
        for (int id : members.keySet()) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", clientPorts.get(id)), 2000);
                s.setSoTimeout(2000);
                s.getOutputStream().write("srvr".getBytes(StandardCharsets.US_ASCII));
                if (new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).contains("Mode: leader")) {
                    return id;
                }
            } catch (IOException e) {
                // not serving now
            }
        }
        return -1;
    }

    /** The voters' quorum addresses, as a mirror's zoo.cfg lists them. */
    List<InetSocketAddress> voterQuorumAddresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (int id = 1; id < MIRROR_ID; id++) {
            out.add(new InetSocketAddress("127.0.0.1", quorumPorts.get(id)));
        }
        return out;
    }

    /** Stops every voter at nearly the same instant (SIGKILL to all, then waits for each). */
    void killAll() throws InterruptedException {
        members.values().forEach(RealZooKeeper::killNow);
        close();
    }

    void kill(int id) throws InterruptedException {
        members.remove(id).kill();
    }

    @Override
    public void close() throws InterruptedException {
        for (RealZooKeeper z : members.values()) {
            z.kill();
        }
        members.clear();
    }
}
