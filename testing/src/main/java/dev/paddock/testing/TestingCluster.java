package dev.paddock.testing;

import dev.paddock.server.PaddockServer;
import dev.paddock.server.config.ConfigException;
import dev.paddock.server.config.ServerConfig;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * An ensemble of Paddock members in this JVM, shaped like curator-test's {@code TestingCluster}: N voting
 * members on free loopback ports with their data in one temporary directory; kill and restart members to
 * test how clients ride over failures; find the leader.
 *
 * <p>{@link #start()} returns once every member serves (a leader is elected and the others follow), so a
 * test can use the cluster at once; {@link #restartServer} returns once that member serves again. The
 * members use a short tick (500 ms) so that elections and failure detection take well under a second,
 * and allow sessions up to 60 s, so a client's default session timeout is not cut down.
 */
public class TestingCluster implements Closeable {
    /** How long start and restart wait for members to serve before giving up. */
    static final long READY_TIMEOUT_MS = 60_000;

    private final Path root;
    private final List<ClusterMember> members = new ArrayList<>();
    private final Map<Integer, PaddockServer> running = new LinkedHashMap<>();
    private final Map<String, String> zooCfg;

    /** {@code size} members, not started yet. */
    public TestingCluster(int size) throws IOException {
        this(size, Map.of());
    }

    /**
     * @param zooCfg further zoo.cfg keys for every member (they win over this class's defaults, except the
     *               ports, dataDir and server lines)
     */
    public TestingCluster(int size, Map<String, String> zooCfg) throws IOException {
        if (size < 1) {
            throw new IllegalArgumentException("a cluster needs at least one member: " + size);
        }
        this.zooCfg = new LinkedHashMap<>(zooCfg);
        this.root = Files.createTempDirectory("paddock-testing-cluster");
        int[] ports = FreePorts.pick(3 * size);
        for (int i = 0; i < size; i++) {
            int id = i + 1;
            Path data = root.resolve("member-" + id);
            Files.createDirectories(data);
            Files.writeString(data.resolve("myid"), Integer.toString(id), StandardCharsets.US_ASCII);
            members.add(new ClusterMember(id, ports[3 * i], ports[3 * i + 1], ports[3 * i + 2], data));
        }
    }

    /** Every member, by id. */
    public List<ClusterMember> getServers() {
        return List.copyOf(members);
    }

    /** The member with this id (1 to size). */
    public ClusterMember getServer(int id) {
        return members.stream().filter(m -> m.getId() == id).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no member " + id));
    }

    /** Every member's {@code 127.0.0.1:port}, comma-separated: a client's connect string. */
    public String getConnectString() {
        return members.stream().map(ClusterMember::getConnectString).collect(Collectors.joining(","));
    }

    /** Starts every member that is not running, together, and waits until all of them serve. */
    public void start() throws Exception {
        List<ClusterMember> stopped = members.stream().filter(m -> !running.containsKey(m.getId())).toList();
        List<Thread> starters = new ArrayList<>();
        Map<Integer, Object> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
        for (ClusterMember m : stopped) {
            // Together: a member that starts alone would wait for the others to elect a leader.
            Thread t = new Thread(() -> {
                try {
                    outcomes.put(m.getId(), PaddockServer.start(config(m)));
                } catch (Exception e) {
                    outcomes.put(m.getId(), e);
                }
            }, "paddock-testing-start-" + m.getId());
            t.start();
            starters.add(t);
        }
        for (Thread t : starters) {
            t.join();
        }
        Exception failure = null;
        for (Map.Entry<Integer, Object> e : outcomes.entrySet()) {
            if (e.getValue() instanceof PaddockServer s) {
                running.put(e.getKey(), s);
            } else if (failure == null) {
                failure = (Exception) e.getValue();
            }
        }
        if (failure != null) {
            stop();
            throw new IOException("a member of the Paddock testing cluster did not start: " + failure.getMessage(),
                    failure);
        }
        for (ClusterMember m : stopped) {
            awaitServing(m);
        }
    }

    /** Stops every member, keeping their data; {@link #start()} brings them back. */
    public void stop() {
        for (PaddockServer s : running.values()) {
            s.close();
        }
        running.clear();
    }

    /** Stops one member as a crash would, to the clients (its connections close); false if it was not running. */
    public boolean killServer(ClusterMember member) {
        PaddockServer s = running.remove(member.getId());
        if (s == null) {
            return false;
        }
        s.close();
        return true;
    }

    /**
     * Starts a member again with its data and ports, and waits until it serves (it needs a quorum of the
     * others running); false if it was running already.
     */
    public boolean restartServer(ClusterMember member) throws Exception {
        if (running.containsKey(member.getId())) {
            return false;
        }
        try {
            running.put(member.getId(), PaddockServer.start(config(member)));
        } catch (IOException | ConfigException e) {
            throw new IOException("member " + member.getId() + " did not start again: " + e.getMessage(), e);
        }
        awaitServing(member);
        return true;
    }

    /** Whether the member runs (it was neither killed nor stopped). */
    public boolean isRunning(ClusterMember member) {
        return running.containsKey(member.getId());
    }

    /** The running member that says it leads (srvr's Mode), if any does now. */
    public Optional<ClusterMember> findLeader() {
        return members.stream().filter(m -> running.containsKey(m.getId()))
                .filter(m -> "leader".equals(FourLetterWord.mode(m.getPort()))).findFirst();
    }

    /** Stops every member and deletes the cluster's data. */
    @Override
    public void close() throws IOException {
        stop();
        Directories.delete(root);
    }

    private void awaitServing(ClusterMember m) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MS);
        while (FourLetterWord.mode(m.getPort()).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IOException(m + " did not serve within " + READY_TIMEOUT_MS + " ms");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }

    private ServerConfig config(ClusterMember m) throws ConfigException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("tickTime", "500");
        p.setProperty("initLimit", "10");
        p.setProperty("syncLimit", "5");
        p.setProperty("maxSessionTimeout", "60000");
        p.setProperty("4lw.commands.whitelist", "*");
        p.setProperty("admin.enableServer", "false");
        // A test needs no durability against power loss: no fsync, small log segments (quick to preallocate).
        p.setProperty("forceSync", "no");
        p.setProperty("preAllocSize", "1024");
        zooCfg.forEach(p::setProperty);
        p.setProperty("clientPortAddress", "127.0.0.1");
        p.setProperty("clientPort", Integer.toString(m.getPort()));
        p.setProperty("dataDir", m.dataPath().toString());
        for (ClusterMember each : members) {
            p.setProperty("server." + each.getId(), each.serverLine());
        }
        return ServerConfig.fromProperties(p);
    }
}
