package dev.paddock.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution as an operator gets it: paddock-VERSION-bin.tar.gz unpacked into an empty directory
 * (outside the source tree), configured from conf/zoo_sample.cfg, started by the command of the example
 * systemd unit, and used by a client. A {@code mvn} on the PATH that records being called proves that
 * nothing falls back to building from sources.
 */
class TarballTest {
    private static final String VERSION = System.getProperty("paddock.version");

    @TempDir
    Path root;

    private Process server;

    @AfterEach
    void stopServer() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        // A daemon left by a failed run: stop the process this test started, by its id.
        if (Files.exists(pidFile())) {
            long pid = Long.parseLong(Files.readString(pidFile()).strip());
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Runs a command to completion in {@code root} and returns its output (stdout and stderr). */
    private String run(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", List.of(command)).isTrue();
        assertThat(p.exitValue()).as("%s exit status; output:%n%s", List.of(command), out).isZero();
        return out;
    }

    @Test
    void theTarballRunsAServerWithoutMavenOrSources() throws Exception {
        Path tarball = Path.of(System.getProperty("paddock.tarball"));
        assertThat(tarball).exists();
        run(Map.of(), "tar", "-xzf", tarball.toString(), "-C", root.toString());
        Path home = root.resolve("paddock-" + VERSION);
        assertLayout(home);

        Path mvnCalled = root.resolve("mvn-called");
        Map<String, String> env = scriptEnvironment(mvnCalled);
        assertThat(run(env, home.resolve("bin/paddock").toString(), "version").strip())
                .matches("Paddock, version 3\\.9\\.5-paddock-" + VERSION.replace(".", "\\.")
                        + ", built on \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC");

        int port = freePort();
        Path cfg = home.resolve("conf/zoo.cfg");
        String sample = Files.readString(home.resolve("conf/zoo_sample.cfg"));
        Files.writeString(cfg, sample.replace("dataDir=/tmp/paddock", "dataDir=" + root.resolve("data"))
                .replace("clientPort=2181", "clientPort=" + port) + "clientPortAddress=127.0.0.1\n");

        // Without an argument the scripts find conf/zoo.cfg, as zkServer.sh does.
        String printed = run(env, home.resolve("bin/paddock").toString(), "print-cmd");
        assertThat(printed).contains(home.resolve("lib") + "/\\*").contains("dev.paddock.server.Main")
                .contains(cfg.toString()).contains("2>&1 < /dev/null");

        server = startAsTheUnitDoes(home, cfg, env);
        talkTo(port);
        assertThat(run(env, home.resolve("bin/paddock").toString(), "status")).contains("Mode: standalone");

        server.destroy();
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("the server stops on SIGTERM").isTrue();
        assertThat(server.exitValue()).as("exit status the unit counts as success").isIn(0, 143);

        // As a daemon, the zkServer.sh way: start waits until srvr answers; the data survived the restart.
        assertThat(run(env, home.resolve("bin/paddock").toString(), "start")).contains("STARTED");
        assertThat(readBack(port)).isEqualTo("hello");
        assertThat(run(env, home.resolve("bin/paddock").toString(), "stop")).contains("STOPPED");
        assertThat(pidFile()).doesNotExist();
        assertThat(mvnCalled).as("nothing called mvn").doesNotExist();
    }

    /** Where bin/paddock start keeps the daemon's pid (dataDir, as zkServer.sh does). */
    private Path pidFile() {
        return root.resolve("data/paddock_server.pid");
    }

    private static void assertLayout(Path home) throws IOException {
        assertThat(home.resolve("bin/paddock")).isExecutable();
        assertThat(home.resolve("conf/zoo_sample.cfg")).isRegularFile();
        assertThat(home.resolve("conf/paddock.service")).isRegularFile();
        assertThat(home.resolve("README.md")).isRegularFile();
        assertThat(home.resolve("LICENSE")).isRegularFile();
        assertThat(home.resolve("lib/paddock-server-" + VERSION + ".jar")).isRegularFile();
        assertThat(home.resolve("lib/paddock-wire-" + VERSION + ".jar")).isRegularFile();
        String license = Files.readString(home.resolve("LICENSE"));
        try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
            for (Path jar : jars.toList()) {
                String name = jar.getFileName().toString();
                assertThat(name).endsWith(".jar");
                if (!name.startsWith("paddock-")) {
                    String family = name.substring(0, name.indexOf('-') + 1) + "*";
                    assertThat(license).as("LICENSE names the licence of %s", name).contains(family);
                }
            }
        }
    }

    /**
     * The child's environment: a PATH whose first mvn records that it was called and fails, and none of the
     * variables that would point the scripts elsewhere.
     */
    private Map<String, String> scriptEnvironment(Path mvnCalled) throws IOException {
        Path fakeBin = Files.createDirectories(root.resolve("fake-bin"));
        Path mvn = fakeBin.resolve("mvn");
        Files.writeString(mvn, "#!/bin/sh\ntouch '" + mvnCalled + "'\nexit 99\n");
        assertThat(mvn.toFile().setExecutable(true)).isTrue();
        Map<String, String> env = new HashMap<>();
        env.put("PATH", fakeBin + ":" + System.getenv("PATH"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("ZOO_LOG_DIR", root.resolve("logs").toString());
        env.put("ZOOCFGDIR", "");
        env.put("JVMFLAGS", "-Xmx256m");
        return env;
    }

    /** Runs the ExecStart line of conf/paddock.service with the unit's paths moved into the temp directory. */
    private Process startAsTheUnitDoes(Path home, Path cfg, Map<String, String> env) throws IOException {
        String execStart = Files.readAllLines(home.resolve("conf/paddock.service")).stream()
                .filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow().substring("ExecStart=".length());
        List<String> command = new ArrayList<>();
        for (String word : execStart.split(" ")) {
            command.add(word.replace("/opt/paddock", home.toString()).replace("/etc/paddock/zoo.cfg", cfg.toString()));
        }
        assertThat(command).containsSubsequence(home.resolve("bin/paddock").toString(), "start-foreground");
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(root.resolve("server.out").toFile());
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Connects (waiting for the server to listen), writes a node and reads it back. */
    private void talkTo(int port) throws Exception {
        try (ZooKeeper zk = connect(port)) {
            zk.create("/from-the-tarball", "hello".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT);
            assertThat(new String(zk.getData("/from-the-tarball", false, null), StandardCharsets.UTF_8))
                    .isEqualTo("hello");
        }
    }

    private String readBack(int port) throws Exception {
        try (ZooKeeper zk = connect(port)) {
            return new String(zk.getData("/from-the-tarball", false, null), StandardCharsets.UTF_8);
        }
    }

    private ZooKeeper connect(int port) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper("127.0.0.1:" + port, 10_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        if (!connected.await(120, TimeUnit.SECONDS)) {
            zk.close();
            throw new AssertionError("not connected; server output:\n"
                    + (Files.exists(root.resolve("server.out")) ? Files.readString(root.resolve("server.out")) : ""));
        }
        return zk;
    }
}
