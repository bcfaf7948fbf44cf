package dev.paddock.server;

import dev.paddock.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/** What tests that start real servers on loopback share: ports, zoo.cfg files, clients, waiting for a mode. */
public final class ServerTestSupport {
    private ServerTestSupport() {
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code count} distinct free ports: every probe socket stays open until all are chosen, because ports
     * probed one after the other can repeat (a member whose client and election ports came out equal
     * failed to bind in CI).
     */
    public static int[] freePorts(int count) {
        List<ServerSocket> probes = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                probes.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket s : probes) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // a probe that does not close leaves its port taken; the test then fails to bind it
                }
            }
        }
    }

    /** Writes {@code zoo.cfg} in {@code dir} from the entries, in order, and loads it. */
    public static ServerConfig config(Path dir, Map<String, String> entries) throws Exception {
        StringBuilder text = new StringBuilder();
        entries.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Path cfg = dir.resolve("zoo.cfg");
        Files.writeString(cfg, text.toString());
        return ServerConfig.load(cfg);
    }

    /** The ensemble lines for members 1..n: server.N=127.0.0.1:quorum:election;127.0.0.1:client. */
    public static List<String> serverLines(int[] clientPorts) {
        int[] ports;
        do {
            ports = freePorts(2 * clientPorts.length); // quorum and election ports, none a client port
        } while (java.util.Arrays.stream(ports).anyMatch(p -> java.util.Arrays.stream(clientPorts).anyMatch(c -> c == p)));
        List<String> lines = new ArrayList<>();
        for (int id = 1; id < clientPorts.length; id++) {
            lines.add("server." + id + "=127.0.0.1:" + ports[2 * id] + ":" + ports[2 * id + 1] + ";127.0.0.1:"
                    + clientPorts[id]);
        }
        return lines;
    }

    /**
     * Writes member {@code id}'s myid and zoo.cfg in {@code data} (tickTime 100, initLimit 50, syncLimit 20,
     * the server lines, then {@code extra}) and loads it.
     */
    public static ServerConfig memberConfig(Path data, int id, List<String> serverLines, Map<String, String> extra)
            throws Exception {
        Files.createDirectories(data);
        Files.writeString(data.resolve("myid"), Integer.toString(id));
        Map<String, String> cfg = new java.util.LinkedHashMap<>();
        cfg.put("tickTime", "100");
        cfg.put("initLimit", "50");
        cfg.put("syncLimit", "20");
        cfg.put("dataDir", data.toString());
        for (String line : serverLines) {
            cfg.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
        }
        cfg.putAll(extra);
        return config(data, cfg);
    }

    /**
     * Starts members at once (a member's start returns only once it can elect, so they must start
     * together); element i of the result is the server of {@code configs[i]}.
     */
    public static PaddockServer[] startAll(List<ServerConfig> configs) throws InterruptedException {
        PaddockServer[] servers = new PaddockServer[configs.size()];
        Thread[] starters = new Thread[configs.size()];
        for (int i = 0; i < configs.size(); i++) {
            int index = i;
            starters[i] = new Thread(() -> {
                try {
                    servers[index] = PaddockServer.start(configs.get(index));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            starters[i].start();
        }
        for (Thread t : starters) {
            t.join(60_000);
        }
        return servers;
    }

    public static void closeAll(PaddockServer... servers) {
        for (PaddockServer s : servers) {
            if (s != null) {
                s.close();
            }
        }
    }

    public static ZooKeeper connect(int port) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper("127.0.0.1:" + port, 10_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        if (!connected.await(30, TimeUnit.SECONDS)) {
            zk.close();
            throw new AssertionError("no session with 127.0.0.1:" + port);
        }
        return zk;
    }

    /** Waits until srvr on the port shows one of the modes (a regular expression). */
    public static void awaitMode(int port, String modes) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!FourLetterWordProbe.send(port, "srvr").matches("(?s).*Mode: (" + modes + ")\\n.*")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("port " + port + " not in mode " + modes + ": "
                        + FourLetterWordProbe.send(port, "srvr"));
            }
            LockSupport.parkNanos(50_000_000);
        }
    }

    /** Copies a directory tree (test fixtures to a temporary directory). */
    public static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.naturalOrder())::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
