package dev.paddock.compat.harness;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.TreeMap;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.cli.CliCommand;
import org.apache.zookeeper.cli.GetConfigCommand;

/** The shell's commands run on a client as ZooKeeperMain runs them, and the shell's {@code config} on members. */
public final class MemberShell {
    private MemberShell() {
    }

    /** Runs one shell command ({@code args[0]} is its name) and returns what it printed. */
    public static String run(ZooKeeper zk, CliCommand cmd, String... args) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        cmd.setZk(zk);
        cmd.setOut(out);
        cmd.setErr(out);
        cmd.parse(args).exec();
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** The shell's {@code config} on member {@code id}, ports and version masked. */
    public static String config(MemberProcesses m, int id) throws Exception {
        try (ZooKeeper zk = new ZooKeeper(m.connectString(id), 15_000, e -> { })) {
            Await.until("connected to " + id, Duration.ofSeconds(30), () -> zk.getState().isConnected());
            zk.sync("/", null, null);
            return m.mask(run(zk, new GetConfigCommand(), "config"));
        }
    }

    /** Waits until every member shows the same config with {@code servers} server lines, and returns it. */
    public static String awaitSameConfig(MemberProcesses m, int servers, int... ids) {
        Map<Integer, String> seen = Await.value("the same config of " + servers + " servers on "
                + Arrays.toString(ids), Duration.ofSeconds(60), () -> {
                    Map<Integer, String> configs = new TreeMap<>();
                    for (int id : ids) {
                        configs.put(id, String.join("\n", config(m, id).lines().sorted().toList()));
                    }
                    return configs;
                }, configs -> new HashSet<>(configs.values()).size() == 1 && configs.values().iterator().next()
                        .lines().filter(l -> l.startsWith("server.")).count() == servers);
        return seen.values().iterator().next();
    }
}
