package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.compat.harness.CompatTestBase;
import dev.paddock.compat.harness.FourLetterWords;
import dev.paddock.compat.harness.ServerSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Every four-letter word of ZooKeeper 3.9.5, whitelisted with {@code 4lw.commands.whitelist=*}: each
 * answer's structure (lines, keys in order, value shapes) is pinned on both servers, with the values that
 * legitimately differ (versions, paths, times, ids, ports, sizes) masked by patterns. In short:
 * <ul>
 *   <li>ruok "imok", isro "rw", gtmk the trace mask (306 by default), stmk + 8-byte mask sets it and
 *       answers it, all without a newline; telnet's close (ff f4 ff fd) closes with no answer;</li>
 *   <li>srvr: "Zookeeper version: ..", "Latency min/avg/max: a/b/c" (b a double), "Received: n",
 *       "Sent: n", "Connections: n" (every open connection, the asking one included), "Outstanding: n",
 *       "Zxid: 0x&lt;hex&gt;" (the last committed zxid), "Mode: standalone", "Node count: n" (the root
 *       counted twice: getAllChildrenNumber("/") + 2); stat adds "Clients:", one line per connection
 *       " /ip:port[interest](queued=..,recved=..,sent=..)" (the asking one "[0](queued=0,recved=1,sent=0)")
 *       and an empty line;</li>
 *   <li>cons: one line per connection, with a session's sid, lop, est, to, lcxid, lzxid, lresp, llat,
 *       minlat, avglat, maxlat, then an empty line; crst resets them (lop NA, lzxid -1, no lcxid);
 *       srst resets the server's statistics;</li>
 *   <li>dump: the session tracker ("Session Sets (n)/(m):" and deadlines), "Sessions with Ephemerals
 *       (n):" with each owner's paths, "Connections dump:";</li>
 *   <li>envi: "Environment:" and ZooKeeper's keys in its order, zookeeper.version first (kazoo's
 *       server_version() parses it); conf: ZooKeeper's standalone keys in its order; dirs:
 *       "datadir_size: n", "logdir_size: n";</li>
 *   <li>wchs, wchc, wchp: the data-side watches only (getData, exists, persistent, recursive; never the
 *       child watches), each answer ending with an empty line; no other setting is needed;</li>
 *   <li>mntr: every zk_* key of a standalone ZooKeeper 3.9.5, in its order (the list Paddock ships in
 *       dev/paddock/server/admin/mntr-keys.txt), tab-separated, integers or doubles as ZooKeeper prints
 *       them; hash: "zxid-hex: digest" lines (none until ZooKeeper's 128th zxid; Paddock keeps none).</li>
 * </ul>
 * {@link FourLetterWhitelistScenarios} covers the whitelist itself.
 */
public abstract class FourLetterWordScenarios extends CompatTestBase {
    private static final Pattern SRVR = Pattern.compile(
            "Zookeeper version: 3\\.9\\.5-[^\\n]+, built on [^\\n]+\\n"
            + "Latency min/avg/max: \\d+/\\d+\\.\\d+(E-?\\d+)?/\\d+\\n"
            + "Received: (\\d+)\\n"
            + "Sent: \\d+\\n"
            + "Connections: \\d+\\n"
            + "Outstanding: \\d+\\n"
            + "Zxid: 0x([0-9a-f]+)\\n"
            + "Mode: standalone\\n"
            + "Node count: (\\d+)\\n");
    private static final String CLIENT = " /127\\.0\\.0\\.1:\\d+\\[[0-9a-f]+\\]\\(queued=\\d+,recved=\\d+,sent=\\d+";
    /** The asking connection, as stat and cons list it: its word received, nothing sent yet. */
    private static final String ASKING = " /127\\.0\\.0\\.1:\\d+\\[0\\]\\(queued=0,recved=1,sent=0\\)";
    private static final Pattern CONS_SESSION = Pattern.compile(CLIENT
            + ",sid=0x([0-9a-f]+),lop=([A-Z]+),est=\\d+,to=(\\d+)(,lcxid=0x[0-9a-f]+)?,lzxid=0x([0-9a-f]+),"
            + "lresp=\\d+,llat=\\d+,minlat=\\d+,avglat=\\d+,maxlat=\\d+\\)");
    private static final String DATE = "[A-Z][a-z]{2} [A-Z][a-z]{2} \\d{2} \\d{2}:\\d{2}:\\d{2} \\S+ \\d{4}";
    private static final List<String> ENVI_KEYS = List.of("zookeeper.version", "host.name", "java.version",
            "java.vendor", "java.home", "java.class.path", "java.library.path", "java.io.tmpdir", "java.compiler",
            "os.name", "os.arch", "os.version", "user.name", "user.home", "user.dir", "os.memory.free",
            "os.memory.max", "os.memory.total");
    private static final List<String> CONF_KEYS = List.of("clientPort", "secureClientPort", "dataDir", "dataDirSize",
            "dataLogDir", "dataLogSize", "tickTime", "maxClientCnxns", "minSessionTimeout", "maxSessionTimeout",
            "clientPortListenBacklog", "serverId");

    @Override
    protected ServerSettings settings() {
        return ServerSettings.defaults().zooCfg("4lw.commands.whitelist", "*");
    }

    private String word(String w) throws IOException {
        return FourLetterWords.send(server.clientPort(), w);
    }

    @Test
    void ruokIsroAndTheTraceMask() throws Exception {
        assertThat(word("ruok")).isEqualTo("imok");
        assertThat(word("isro")).isEqualTo("rw");
        assertThat(word("gtmk")).isEqualTo("306");
        byte[] stmk = ByteBuffer.allocate(12).put("stmk".getBytes(StandardCharsets.US_ASCII)).putLong(34).array();
        assertThat(FourLetterWords.send(server.clientPort(), stmk)).isEqualTo("34");
        assertThat(word("gtmk")).isEqualTo("34");
        ByteBuffer.wrap(stmk).putLong(4, 306);
        assertThat(FourLetterWords.send(server.clientPort(), stmk)).isEqualTo("306");
    }

    @Test
    void telnetCloseClosesWithoutAnAnswer() throws Exception {
        assertThat(FourLetterWords.send(server.clientPort(), ByteBuffer.allocate(4).putInt(0xfff4fffd).array()))
                .isEmpty();
    }

    @Test
    void srvr() throws Exception {
        ZooKeeper zk = connect();
        Stat last = new Stat();
        zk.create(base + "/a", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, last);
        int all = zk.getAllChildrenNumber("/");
        String out = word("srvr");
        Matcher m = SRVR.matcher(out);
        assertThat(m.matches()).as("srvr output:\n%s", out).isTrue();
        assertThat(Long.parseLong(m.group(3), 16)).isEqualTo(last.getCzxid());
        assertThat(Integer.parseInt(m.group(4))).as("the root counted twice").isEqualTo(all + 2);
        assertThat(out).contains("\nConnections: ");
        assertThat(connectionsLine(out)).as("the client's connection and the asking one").isGreaterThanOrEqualTo(2);
    }

    private static int connectionsLine(String srvr) {
        Matcher m = Pattern.compile("\nConnections: (\\d+)\n").matcher(srvr);
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @Test
    void stat() throws Exception {
        connect();
        String out = word("stat");
        List<String> lines = Arrays.asList(out.split("\n", -1));
        assertThat(lines.get(0)).startsWith("Zookeeper version: ");
        assertThat(lines.get(1)).isEqualTo("Clients:");
        int blank = lines.indexOf("");
        assertThat(blank).isGreaterThan(3);
        List<String> clients = lines.subList(2, blank);
        for (String client : clients) {
            assertThat(client).matches(CLIENT + "\\)");
        }
        assertThat(clients).anyMatch(c -> c.matches(ASKING));
        String rest = lines.get(0) + "\n" + String.join("\n", lines.subList(blank + 1, lines.size()));
        assertThat(SRVR.matcher(rest).matches()).as("stat output:\n%s", out).isTrue();
    }

    @Test
    void cons() throws Exception {
        ZooKeeper zk = connect();
        zk.getData(base, false, null);
        String out = word("cons");
        assertThat(out).endsWith(")\n\n");
        List<String> lines = List.of(out.substring(0, out.length() - 2).split("\n"));
        assertThat(lines).anyMatch(l -> l.matches(ASKING));
        String mine = null;
        for (String line : lines) {
            Matcher m = CONS_SESSION.matcher(line);
            // A connection without a session (the asking one, one still closing) has the brief form.
            assertThat(m.matches() || line.matches(CLIENT + "\\)")).as("cons line: %s", line).isTrue();
            if (m.matches() && Long.parseLong(m.group(1), 16) == zk.getSessionId()) {
                mine = line;
            }
        }
        assertThat(mine).as("the client's session in:\n%s", out).isNotNull();
        Matcher m = CONS_SESSION.matcher(mine);
        assertThat(m.matches()).isTrue();
        assertThat(m.group(2)).as("last operation").isIn("GETD", "PING");
        assertThat(m.group(3)).isEqualTo(Integer.toString(SESSION_TIMEOUT_MS));
        assertThat(m.group(4)).as("lcxid").isNotNull();
    }

    @Test
    void crstResetsEveryConnectionsStatistics() throws Exception {
        ZooKeeper zk = connect();
        zk.getData(base, false, null);
        assertThat(word("crst")).isEqualTo("Connection stats reset.\n");
        String out = word("cons");
        String mine = Arrays.stream(out.split("\n"))
                .filter(l -> l.contains(",sid=0x" + Long.toHexString(zk.getSessionId()) + ",")).findFirst().orElseThrow();
        Matcher m = CONS_SESSION.matcher(mine);
        assertThat(m.matches()).as("cons line: %s", mine).isTrue();
        if (m.group(2).equals("NA")) { // unless a ping came in between
            // ZooKeeper may count the last answer's packet and end its request only after the client read
            // it, so queued and sent may still move; nothing was received since.
            assertThat(mine).contains(",recved=0,");
            assertThat(m.group(4)).as("no lcxid after a reset").isNull();
            assertThat(m.group(5)).isEqualTo("ffffffffffffffff");
        }
    }

    @Test
    void srstResetsTheServerStatistics() throws Exception {
        ZooKeeper zk = connect();
        for (int i = 0; i < 20; i++) {
            zk.exists(base, false);
        }
        Matcher before = SRVR.matcher(word("srvr"));
        assertThat(before.matches()).isTrue();
        assertThat(word("srst")).isEqualTo("Server stats reset.\n");
        String out = word("srvr");
        Matcher after = SRVR.matcher(out);
        assertThat(after.matches()).as("srvr output:\n%s", out).isTrue();
        assertThat(Long.parseLong(after.group(2))).isLessThan(Long.parseLong(before.group(2)));
    }

    @Test
    void dump() throws Exception {
        ZooKeeper zk = connect();
        zk.create(base + "/e", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        String sid = "0x" + Long.toHexString(zk.getSessionId());
        List<String> lines = List.of(word("dump").split("\n"));
        assertThat(lines.get(0)).isEqualTo("SessionTracker dump:");
        assertThat(lines.get(1)).matches("Session Sets \\(\\d+\\)/\\(\\d+\\):");
        int ephemerals = lines.indexOf("ephemeral nodes dump:");
        int connections = lines.indexOf("Connections dump:");
        assertThat(ephemerals).isGreaterThan(1);
        assertThat(connections).isGreaterThan(ephemerals);
        for (String line : lines.subList(2, ephemerals)) {
            assertThat(line).matches("\\d+ expire at " + DATE + ":|\t0x[0-9a-f]+");
        }
        assertThat(lines.subList(2, ephemerals)).contains("\t" + sid);
        assertThat(lines.get(ephemerals + 1)).matches("Sessions with Ephemerals \\(\\d+\\):");
        List<String> owners = lines.subList(ephemerals + 2, connections);
        for (String line : owners) {
            assertThat(line).matches("0x[0-9a-f]+:|\t/.*");
        }
        assertThat(owners).containsSequence(sid + ":", "\t" + base + "/e");
        // ZooKeeper's NIO factory lists its connections by expiry; Paddock prints what ZooKeeper's Netty
        // factory prints, the heading alone.
        for (String line : lines.subList(connections + 1, lines.size())) {
            assertThat(line).matches("Connections Sets \\(\\d+\\)/\\(\\d+\\):|\\d+ expire at " + DATE + ":"
                    + "|\tip: /127\\.0\\.0\\.1:\\d+ sessionId: 0x[0-9a-f]+");
        }
    }

    @Test
    void envi() throws Exception {
        List<String> lines = List.of(word("envi").split("\n"));
        assertThat(lines.get(0)).isEqualTo("Environment:");
        Map<String, String> env = keyValues(lines.subList(1, lines.size()), "=");
        assertThat(List.copyOf(env.keySet())).isEqualTo(ENVI_KEYS);
        assertThat(env.get("zookeeper.version")).matches("3\\.9\\.5-.+, built on .+");
        assertThat(env.get("java.version")).isEqualTo(System.getProperty("java.version"));
        for (String key : List.of("os.memory.free", "os.memory.max", "os.memory.total")) {
            assertThat(env.get(key)).matches("\\d+MB");
        }
    }

    @Test
    void conf() throws Exception {
        String out = word("conf");
        assertThat(out).endsWith("\n");
        Map<String, String> conf = keyValues(List.of(out.split("\n")), "=");
        assertThat(List.copyOf(conf.keySet())).isEqualTo(CONF_KEYS);
        assertThat(conf).containsEntry("clientPort", Integer.toString(server.clientPort()))
                .containsEntry("secureClientPort", "-1").containsEntry("tickTime", "2000")
                .containsEntry("maxClientCnxns", "60").containsEntry("minSessionTimeout", "4000")
                .containsEntry("maxSessionTimeout", "40000").containsEntry("clientPortListenBacklog", "-1")
                .containsEntry("serverId", "0");
        assertThat(Path.of(conf.get("dataDir")).isAbsolute()).isTrue();
        assertThat(Path.of(conf.get("dataLogDir")).isAbsolute()).isTrue();
        assertThat(conf.get("dataDirSize")).matches("\\d+");
        assertThat(conf.get("dataLogSize")).matches("\\d+");
    }

    @Test
    void dirs() throws Exception {
        assertThat(word("dirs")).matches("datadir_size: \\d+\nlogdir_size: \\d+\n");
    }

    @Test
    void watchesBySessionAndByPath() throws Exception {
        ZooKeeper zk = connect();
        for (String n : List.of("a", "b", "c")) {
            zk.create(base + "/" + n, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
        zk.getData(base + "/a", true, null);
        zk.getChildren(base + "/a", true);
        zk.exists(base + "/b", true);
        zk.addWatch(base + "/b", AddWatchMode.PERSISTENT_RECURSIVE);
        zk.getChildren(base + "/c", true); // a child watch: counted by mntr, listed by none of these
        String sid = "0x" + Long.toHexString(zk.getSessionId());

        assertThat(word("wchs")).isEqualTo("1 connections watching 2 paths\nTotal watches:2\n");

        String bySession = word("wchc");
        assertThat(bySession).endsWith("\n\n");
        assertThat(blocks(bySession)).containsExactly(Map.entry(sid, Set.of(base + "/a", base + "/b")));

        String byPath = word("wchp");
        assertThat(byPath).endsWith("\n\n");
        assertThat(blocks(byPath)).containsOnly(Map.entry(base + "/a", Set.of(sid)), Map.entry(base + "/b", Set.of(sid)));
    }

    /** Heading lines, each followed by tab-indented lines: wchc and wchp. */
    private static Map<String, Set<String>> blocks(String text) {
        Map<String, Set<String>> blocks = new LinkedHashMap<>();
        Set<String> current = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("\t")) {
                assertThat(current).as("an indented line before any heading").isNotNull();
                current.add(line.substring(1));
            } else if (!line.isEmpty()) {
                current = new LinkedHashSet<>();
                blocks.put(line, current);
            }
        }
        return blocks;
    }

    @Test
    void mntr() throws Exception {
        ZooKeeper zk = connect();
        zk.create(base + "/e", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        zk.getData(base, true, null);
        int all = zk.getAllChildrenNumber("/");
        String out = word("mntr");
        assertThat(out).endsWith("\n");
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            assertThat(line).matches("zk_\\S+\t.*");
            String key = line.substring(3, line.indexOf('\t'));
            String value = line.substring(line.indexOf('\t') + 1);
            if (key.endsWith("_per_namespace")) {
                // ZooKeeper adds one summary per top-level node read or written; Paddock does not yet.
                assertThat(key).matches("(avg|min|max|cnt|sum)_.+_(read|write)_per_namespace");
                continue;
            }
            values.put(key, value);
        }
        assertThat(List.copyOf(values.keySet())).isEqualTo(expectedMonitorKeys("standalone"));
        values.forEach((key, value) -> assertThat(value).as("zk_" + key).matches(valueShape(key)));
        assertThat(values).containsEntry("server_state", "standalone")
                .containsEntry("znode_count", Integer.toString(all + 2))
                .containsEntry("local_sessions", "0");
        assertThat(Integer.parseInt(values.get("ephemerals_count"))).isGreaterThanOrEqualTo(1);
        assertThat(Integer.parseInt(values.get("global_sessions"))).isGreaterThanOrEqualTo(2);
        assertThat(Integer.parseInt(values.get("watch_count"))).isGreaterThanOrEqualTo(1);
        assertThat(Integer.parseInt(values.get("num_alive_connections"))).isGreaterThanOrEqualTo(3);
        assertThat(Long.parseLong(values.get("cnt_readlatency"))).isGreaterThanOrEqualTo(1);
        assertThat(Long.parseLong(values.get("cnt_updatelatency"))).isGreaterThanOrEqualTo(1);
    }

    private static String valueShape(String key) {
        return switch (key) {
            case "version" -> "3\\.9\\.5-.+, built on .+";
            case "server_state" -> "[a-z]+";
            case "connection_drop_probability" -> "\\d+\\.\\d+";
            default -> key.startsWith("avg_") || key.equals("avg_latency") ? "\\d+\\.\\d+(E-?\\d+)?" : "-?\\d+";
        };
    }

    /**
     * The keys Paddock ships as ZooKeeper 3.9.5's (without "zk_"), expanded as ZooKeeper prints them: the
     * role's values, then each metric (a counter, a summary, or a summary with percentiles).
     */
    static List<String> expectedMonitorKeys(String role) throws IOException {
        List<String> keys = new ArrayList<>();
        String section = null;
        try (InputStream in = FourLetterWordScenarios.class.getResourceAsStream("/dev/paddock/server/admin/mntr-keys.txt")) {
            assertThat(in).as("mntr-keys.txt in the Paddock server jar").isNotNull();
            for (String raw : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("[")) {
                    section = line.substring(1, line.length() - 1);
                } else if (role.equals(section)) {
                    keys.add(line);
                } else if ("metrics".equals(section)) {
                    keys.addAll(metricKeys(line.split(" ")[0], line.split(" ")[1]));
                }
            }
        }
        return keys;
    }

    private static List<String> metricKeys(String kind, String name) {
        List<String> keys = new ArrayList<>();
        if (kind.equals("counter")) {
            keys.add(name);
            return keys;
        }
        for (String prefix : List.of("avg_", "min_", "max_", "cnt_", "sum_")) {
            keys.add(prefix + name);
        }
        if (kind.equals("percentiles")) {
            for (String prefix : List.of("p50_", "p95_", "p99_", "p999_")) {
                keys.add(prefix + name);
            }
        }
        return keys;
    }

    @Test
    void hash() throws Exception {
        String out = word("hash");
        for (String line : out.split("\n")) {
            if (!line.isEmpty()) {
                assertThat(line).matches("[0-9a-f]+: \\d+");
            }
        }
    }

    @Test
    void kazooServerVersion() throws Exception {
        String why = NativeClientScenarios.ensurePackages("/dev/null", "kazoo", "python3-kazoo");
        Assumptions.assumeTrue(why == null, () -> "kazoo not available: " + why);
        Path script = NativeClientScenarios.resource("kazoo_version.py");
        NativeClientScenarios.Result r = NativeClientScenarios.run(
                List.of(NativeClientScenarios.PYTHON.toString(), script.toString(), server.connectString()), 120);
        assertThat(r.exit()).as("kazoo output:\n%s", r.output()).isZero();
        assertThat(r.output()).contains("server_version 3.9.5");
    }

    private static Map<String, String> keyValues(List<String> lines, String separator) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : lines) {
            int at = line.indexOf(separator);
            assertThat(at).as("'%s' has no '%s'", line, separator).isPositive();
            m.put(line.substring(0, at), line.substring(at + separator.length()));
        }
        return m;
    }
}
