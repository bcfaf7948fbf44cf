package dev.paddock.server.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.FourLetterWordProbe;
import dev.paddock.server.PaddockServer;
import dev.paddock.server.ServerTestSupport;
import dev.paddock.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/**
 * Paddock members in this JVM on loopback, each configured as an operator would (a data directory with a
 * myid file, zoo.cfg keys with {@code server.N} lines), and the unmodified ZooKeeper clients connected to
 * them. Closing it closes every client, then every member still running.
 */
final class LoopbackEnsemble implements AutoCloseable {
    private final Path dir;
    private final int[] clientPorts;
    private final String[] lines;
    private final PaddockServer[] servers;
    private final List<ZooKeeper> clients = new ArrayList<>();

    /**
     * Servers 1..{@code count} with ports of their own; {@code roles} gives a server's line suffix
     * (e.g. {@code 4 -> ":observer"}), none for a participant.
     */
    LoopbackEnsemble(Path dir, int count, Map<Integer, String> roles) {
        this.dir = dir;
        clientPorts = new int[count + 1];
        lines = new String[count + 1];
        servers = new PaddockServer[count + 1];
        int[] ports = ServerTestSupport.freePorts(3 * count);
        for (int id = 1; id <= count; id++) {
            clientPorts[id] = ports[3 * id - 3];
            lines[id] = "127.0.0.1:" + ports[3 * id - 2] + ":" + ports[3 * id - 1]
                    + roles.getOrDefault(id, "") + ";127.0.0.1:" + clientPorts[id];
        }
    }

    /** The value of server {@code id}'s {@code server.N} line. */
    String line(int id) {
        return lines[id];
    }

    int clientPort(int id) {
        return clientPorts[id];
    }

    Path dataDir(int id) {
        return dir.resolve("s" + id);
    }

    PaddockServer server(int id) {
        return servers[id];
    }

    /**
     * Starts server {@code id} with tickTime 100, initLimit 20, syncLimit 10, a 30 s session cap (with
     * tickTime 100 the default would be 2 s, and a client reconnecting during failover should not race
     * expiry), every four-letter word, the lines of the {@code listed} servers (all when none), then
     * {@code extra}.
     */
    PaddockServer start(int id, Map<String, String> extra, int... listed) throws Exception {
        Path data = dataDir(id);
        Files.createDirectories(data);
        Files.writeString(data.resolve("myid"), Integer.toString(id));
        Properties p = new Properties();
        p.setProperty("tickTime", "100");
        p.setProperty("initLimit", "20");
        p.setProperty("syncLimit", "10");
        p.setProperty("maxSessionTimeout", "30000");
        p.setProperty("dataDir", data.toString());
        p.setProperty("4lw.commands.whitelist", "*");
        int[] ids = listed.length > 0 ? listed : IntStream.range(1, lines.length).toArray();
        for (int other : ids) {
            p.setProperty("server." + other, lines[other]);
        }
        extra.forEach(p::setProperty);
        servers[id] = PaddockServer.start(ServerConfig.fromProperties(p));
        return servers[id];
    }

    /** Closes server {@code id} (its data directory stays, so it can start again). */
    void stop(int id) {
        servers[id].close();
        servers[id] = null;
    }

    /** The mode srvr reports ("leader", "follower", "observer", ...), or "" for a stopped server. */
    String mode(int id) {
        if (servers[id] == null) {
            return "";
        }
        for (String line : FourLetterWordProbe.send(clientPorts[id], "srvr").split("\n")) {
            if (line.startsWith("Mode: ")) {
                return line.substring("Mode: ".length()).strip();
            }
        }
        return "";
    }

    /** The id of the server that leads among {@code 1..voters}, or -1. */
    int leader(int voters) {
        for (int id = 1; id <= voters; id++) {
            if (mode(id).equals("leader")) {
                return id;
            }
        }
        return -1;
    }

    /** A connect string naming the client ports of {@code ids}. */
    String connectString(int... ids) {
        return IntStream.of(ids).mapToObj(id -> "127.0.0.1:" + clientPorts[id]).collect(Collectors.joining(","));
    }

    ZooKeeper connect(int id) throws Exception {
        return connect(connectString(id));
    }

    /** A client with a 20 s session, connected (or the test fails); closed with the ensemble. */
    ZooKeeper connect(String connectString) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connectString, 20_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        clients.add(zk);
        assertThat(connected.await(30, TimeUnit.SECONDS)).as("connected to " + connectString).isTrue();
        return zk;
    }

    /** Keeps {@code zk} to be closed with the ensemble. */
    ZooKeeper track(ZooKeeper zk) {
        clients.add(zk);
        return zk;
    }

    /** Polls {@code condition} every 20 ms for up to 60 s; fails naming {@code what}. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            LockSupport.parkNanos(20_000_000);
        }
    }

    @Override
    public void close() throws Exception {
        for (ZooKeeper zk : clients) {
            zk.close();
        }
        for (PaddockServer s : servers) {
            if (s != null) {
                s.close();
            }
        }
    }
}
