package dev.paddock.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * An ensemble of one server kind, each member a child JVM configured by zoo.cfg and myid as an operator
 * would (fsync on, data on the results disk), with the same JVM flags as {@link ServerProcess}. Paddock runs
 * {@code dev.paddock.server.Main}, ZooKeeper {@code QuorumPeerMain}.
 */
final class EnsembleProcesses implements AutoCloseable {
    final ServerKind kind;
    private final List<Process> processes;
    private final int[] clientPorts;

    private EnsembleProcesses(ServerKind kind, List<Process> processes, int[] clientPorts) {
        this.kind = kind;
        this.processes = processes;
        this.clientPorts = clientPorts;
    }

    /**
     * Starts {@code members} members under {@code dir/m<id>} and returns once every one serves as leader or
     * follower; {@code flagsForMember} gives each member's extra JVM flags (a JFR recording).
     */
    static EnsembleProcesses start(ServerKind kind, Path dir, Environment env, int members, String heap,
                                   IntFunction<List<String>> flagsForMember)
            throws IOException, InterruptedException {
        int[] clientPorts = new int[members];
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < members; i++) {
            clientPorts[i] = ServerProcess.freePort();
            servers.append("server.").append(i + 1).append("=127.0.0.1:").append(ServerProcess.freePort()).append(':')
                    .append(ServerProcess.freePort()).append('\n');
        }
        List<Process> processes = new ArrayList<>();
        EnsembleProcesses ensemble = new EnsembleProcesses(kind, processes, clientPorts);
        try {
            for (int i = 0; i < members; i++) {
                processes.add(spawnMember(kind, dir.resolve("m" + (i + 1)), env, i + 1, clientPorts[i], servers, heap,
                        flagsForMember.apply(i + 1)));
            }
            ensemble.awaitQuorum(120_000);
        } catch (IOException | RuntimeException | InterruptedException e) {
            ensemble.close();
            throw e;
        }
        return ensemble;
    }

    private static Process spawnMember(ServerKind kind, Path data, Environment env, int id, int clientPort,
                                       CharSequence servers, String heap, List<String> extraFlags) throws IOException {
        Files.createDirectories(data);
        Files.writeString(data.resolve("myid"), Integer.toString(id));
        Path cfg = data.resolve("zoo.cfg");
        Files.writeString(cfg, "tickTime=2000\ninitLimit=10\nsyncLimit=5\ndataDir=" + data.toAbsolutePath()
                + "\nclientPort=" + clientPort + "\nclientPortAddress=127.0.0.1\n4lw.commands.whitelist=*\n"
                + "admin.enableServer=false\nmaxClientCnxns=0\n" + servers);
        List<String> cmd = new ArrayList<>();
        cmd.add(env.javaBinary());
        cmd.addAll(ServerProcess.commonJvmFlags(heap));
        cmd.addAll(extraFlags);
        cmd.add("-cp");
        if (kind == ServerKind.PADDOCK) {
            cmd.add(env.paddockJar().toAbsolutePath().toString());
            cmd.add("dev.paddock.server.Main");
        } else {
            cmd.add(env.zookeeperClasspath());
            cmd.add("org.apache.zookeeper.server.quorum.QuorumPeerMain");
        }
        cmd.add(cfg.toAbsolutePath().toString());
        return new ProcessBuilder(cmd).directory(data.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("server.log").toFile())).start();
    }

    /** One connect string per member, so sessions can be spread over the members evenly. */
    List<String> memberConnectStrings() {
        List<String> out = new ArrayList<>();
        for (int p : clientPorts) {
            out.add("127.0.0.1:" + p);
        }
        return out;
    }

    List<Long> pids() {
        return processes.stream().map(Process::pid).toList();
    }

    /** CPU time of all members together (ns), -1 when /proc cannot tell. */
    long cpuNanos() {
        return ProcessCpu.nanos(pids());
    }

    private void awaitQuorum(long timeoutMs) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        String last = "";
        while (System.nanoTime() < deadline) {
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IOException(kind.label + " member exited with " + p.exitValue());
                }
            }
            int serving = 0;
            for (int port : clientPorts) {
                last = srvr(port);
                if (last.contains("Mode: leader") || last.contains("Mode: follower")) {
                    serving++;
                }
            }
            if (serving == clientPorts.length) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IOException(kind.label + " ensemble did not form within " + timeoutMs + " ms: " + last);
    }

    private static String srvr(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write("srvr".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException notYet) {
            return notYet.toString();
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
