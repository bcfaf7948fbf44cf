package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.compat.harness.Await;
import dev.paddock.compat.harness.GlobalSystemProperties;
import dev.paddock.compat.harness.ServerSettings;
import dev.paddock.compat.harness.ServerUnderTest;
import dev.paddock.compat.harness.Target;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The AdminServer, queried over HTTP on ZooKeeper 3.9.5 and on Paddock after the same small workload
 * (a persistent node, an ephemeral, a data watch, an exists watch, a child watch): every command by its
 * primary name and its aliases, compared by shape (each field's name and JSON type, recursively; maps keyed
 * by ids, paths or deadlines compared by their values' shape), and exactly where the values must match
 * (ruok, is_read_only, the command and error fields, the unknown command, leader on a standalone server,
 * set_trace_mask, the command listing, the environment's and monitor's key sets, and the status codes and
 * messages of snapshot and restore without, with bad and with insufficient authentication).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminServerCompatTest {
    static {
        GlobalSystemProperties.install();
    }

    /** Every command name and alias ZooKeeper 3.9.5 registers that reads (snapshot and restore apart). */
    private static final List<String> NAMES = List.of("configuration", "conf", "config", "connections", "cons",
            "connection_stat_reset", "crst", "dirs", "dump", "environment", "env", "envi", "get_trace_mask", "gtmk",
            "hash", "initial_configuration", "icfg", "is_read_only", "isro", "last_snapshot", "lsnp", "leader",
            "lead", "monitor", "mntr", "observer_connection_stat_reset", "orst", "observers", "obsr", "ruok",
            "server_stats", "srvr", "stats", "stat", "stat_reset", "srst", "system_properties", "sysp",
            "voting_view", "watch_summary", "wchs", "watches", "wchc", "watches_by_path", "wchp", "zabstate",
            "set_trace_mask?traceMask=306", "set_trace_mask", "set_trace_mask?traceMask=x", "no_such_command");
    /** Fields whose keys are data (ids, paths, deadlines, server ids): only their values' shapes count. */
    private static final Set<String> DATA_KEYED = Set.of("expiry_time_to_session_ids",
            "session_id_to_ephemeral_paths", "session_id_to_watched_paths", "path_to_session_ids", "current_config");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "admin-user:admin-pw";

    private final Map<String, Observed> zookeeper = new TreeMap<>();
    private final Map<String, Observed> paddock = new TreeMap<>();

    /** One HTTP answer: status, the headers that matter, the JSON (null when not JSON), the raw body length. */
    record Observed(int status, JsonNode json, String text, Map<String, String> headers, long bodyBytes) {
    }

    @BeforeAll
    void queryBoth() throws Exception {
        observe(Target.ZOOKEEPER, zookeeper);
        observe(Target.PADDOCK, paddock);
    }

    private static void observe(Target target, Map<String, Observed> into) throws Exception {
        int adminPort = freePort();
        ServerSettings settings = ServerSettings.defaults()
                .zooCfg("admin.enableServer", "true")
                .zooCfg("admin.serverAddress", "127.0.0.1")
                .zooCfg("admin.serverPort", Integer.toString(adminPort))
                // ZooKeeper copies zoo.cfg's admin keys to these process-wide properties; restored at close.
                .systemProperty("zookeeper.admin.enableServer", "true")
                .systemProperty("zookeeper.admin.serverPort", Integer.toString(adminPort))
                .systemProperty("zookeeper.admin.serverAddress", "127.0.0.1");
        ServerUnderTest server = target.start(settings);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String base = "http://127.0.0.1:" + adminPort + "/commands";
        try (ZooKeeper zk = connect(server.connectString())) {
            zk.create("/admin-a", "x".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT);
            zk.create("/admin-e", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
            zk.getData("/admin-a", true, null);
            zk.exists("/admin-b", true);
            zk.getChildren("/", true);
            into.put("", get(http, base, null));
            for (String name : NAMES) {
                into.put(name, get(http, base + "/" + name, null));
            }
            authCases(http, base, zk, into);
        } finally {
            server.close();
        }
    }

    /** snapshot and restore without, with unusable and with insufficient credentials, then allowed. */
    private static void authCases(HttpClient http, String base, ZooKeeper zk, Map<String, Observed> into)
            throws Exception {
        into.put("snapshot (no auth)", get(http, base + "/snapshot", null));
        into.put("restore (no auth)", send(http, HttpRequest.newBuilder(URI.create(base + "/restore"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3}))));
        into.put("snapshot (unknown scheme)", get(http, base + "/snapshot", "nosuchscheme secret"));
        into.put("snapshot (three words)", get(http, base + "/snapshot", "digest a b"));
        // Only admin-user may do everything on "/": another digest identity is authenticated, not authorized.
        String digest = DigestAuthenticationProvider.generateDigest(USER);
        List<ACL> rootOnly = java.util.Arrays.asList(new ACL(ZooDefs.Perms.ALL, new Id("digest", digest)),
                new ACL(ZooDefs.Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE));
        zk.setACL("/", rootOnly, -1);
        try {
            into.put("snapshot (other user)", get(http, base + "/snapshot", "digest someone:else"));
            into.put("snapshot (ip)", get(http, base + "/snapshot", "ip"));
            into.put("snapshot (allowed, not streamed)", get(http, base + "/snapshot?streaming=false",
                    "digest " + USER));
            // ZooKeeper's snapshot rate limit (one per 300000 microseconds): let it pass before the next.
            Thread.sleep(400);
            into.put("snapshot (allowed)", get(http, base + "/snapshot", "digest " + USER));
        } finally {
            zk.addAuthInfo("digest", USER.getBytes(StandardCharsets.UTF_8));
            zk.setACL("/", ZooDefs.Ids.OPEN_ACL_UNSAFE, -1);
        }
    }

    @Test
    void everyCommandHasZooKeepersShape() {
        List<String> differences = new ArrayList<>();
        for (String name : NAMES) {
            Observed z = zookeeper.get(name);
            Observed p = paddock.get(name);
            if (p.status() != z.status()) {
                differences.add(name + ": status " + p.status() + ", ZooKeeper " + z.status());
            }
            Map<String, String> zs = shape(z.json(), "");
            Map<String, String> ps = shape(p.json(), "");
            for (String field : union(zs.keySet(), ps.keySet())) {
                if (!java.util.Objects.equals(zs.get(field), ps.get(field))) {
                    differences.add(name + " " + field + ": " + ps.get(field) + ", ZooKeeper " + zs.get(field));
                }
            }
        }
        assertThat(differences).isEmpty();
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void valuesThatMustMatch() {
        for (String name : List.of("ruok", "is_read_only", "isro", "leader", "lead", "hash", "observers",
                "voting_view", "zabstate", "get_trace_mask", "gtmk", "set_trace_mask", "set_trace_mask?traceMask=306",
                "set_trace_mask?traceMask=x", "no_such_command", "stat_reset", "crst", "orst")) {
            assertThat(paddock.get(name).json()).as(name).isEqualTo(zookeeper.get(name).json());
        }
        assertThat(paddock.get("ruok").json().get("error").isNull()).isTrue();
        assertThat(paddock.get("isro").json().get("read_only").asBoolean(true)).isFalse();
        assertThat(paddock.get("no_such_command").json().get("error").asText())
                .isEqualTo("Unknown command: no_such_command");
        assertThat(paddock.get("mntr").json().get("command").asText()).isEqualTo("monitor");
        for (String name : List.of("environment", "monitor")) {
            assertThat(fieldNames(paddock.get(name).json())).as(name + " keys")
                    .isEqualTo(fieldNames(zookeeper.get(name).json()));
        }
        assertThat(paddock.get("monitor").json().path("server_state").asText()).isEqualTo("standalone");
        assertThat(paddock.get("system_properties").json().path("java.version").asText())
                .isEqualTo(System.getProperty("java.version"));
    }

    @Test
    void theListingLinksEveryPrimaryName() {
        assertThat(paddock.get("").status()).isEqualTo(200);
        assertThat(paddock.get("").text()).isEqualTo(zookeeper.get("").text());
        assertThat(paddock.get("").text()).contains("<a href=\"/commands/zabstate\">zabstate</a>");
    }

    @Test
    void snapshotAndRestoreNeedAuthenticationAsInZooKeeper() {
        for (String name : List.of("snapshot (no auth)", "restore (no auth)", "snapshot (unknown scheme)",
                "snapshot (three words)", "snapshot (other user)", "snapshot (ip)")) {
            Observed z = zookeeper.get(name);
            Observed p = paddock.get(name);
            assertThat(p.status()).as(name).isEqualTo(z.status());
            assertThat(p.json()).as(name).isEqualTo(z.json());
        }
        assertThat(paddock.get("snapshot (no auth)").status()).isEqualTo(401);
        assertThat(paddock.get("snapshot (other user)").status()).isEqualTo(403);
        for (String name : List.of("snapshot (allowed, not streamed)", "snapshot (allowed)")) {
            Observed z = zookeeper.get(name);
            Observed p = paddock.get(name);
            assertThat(p.status()).as(name).isEqualTo(200).isEqualTo(z.status());
            assertThat(p.headers().keySet()).as(name).isEqualTo(z.headers().keySet())
                    .contains("last_zxid", "snapshot_size");
            assertThat(p.headers().get("last_zxid")).as(name).matches("0x[0-9a-f]+");
        }
        assertThat(paddock.get("snapshot (allowed, not streamed)").json())
                .isEqualTo(zookeeper.get("snapshot (allowed, not streamed)").json());
        Observed streamed = paddock.get("snapshot (allowed)");
        assertThat(streamed.bodyBytes()).isPositive()
                .isEqualTo(Long.parseLong(streamed.headers().get("snapshot_size")));
    }

    /** Each field as "path: type", recursively; an array by its first element; data-keyed maps by values. */
    static Map<String, String> shape(JsonNode node, String path) {
        Map<String, String> out = new TreeMap<>();
        if (node == null) {
            out.put(path, "absent");
            return out;
        }
        out.put(path, type(node));
        if (node.isObject()) {
            boolean dataKeyed = DATA_KEYED.stream().anyMatch(path::endsWith);
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (f.getKey().endsWith("_per_namespace")) {
                    // ZooKeeper adds one summary per top-level node read or written; Paddock does not (yet).
                    continue;
                }
                String key = dataKeyed ? "*" : f.getKey();
                out.putAll(shape(f.getValue(), path + "/" + key));
            }
        } else if (node.isArray() && node.size() > 0) {
            out.putAll(shape(node.get(0), path + "[]"));
        }
        return out;
    }

    private static String type(JsonNode n) {
        if (n.isIntegralNumber()) {
            return "integer";
        }
        if (n.isFloatingPointNumber()) {
            return "float";
        }
        return n.getNodeType().name().toLowerCase();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(n -> {
            if (!n.endsWith("_per_namespace")) {
                names.add(n);
            }
        });
        names.sort(null);
        return names;
    }

    private static Observed get(HttpClient http, String url, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(http, b);
    }

    private static Observed send(HttpClient http, HttpRequest.Builder b) throws Exception {
        HttpResponse<byte[]> r = http.send(b.timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h : List.of("last_zxid", "snapshot_size")) {
            r.headers().firstValue(h).ifPresent(v -> headers.put(h, v));
        }
        String type = r.headers().firstValue("content-type").orElse("");
        String text = new String(r.body(), StandardCharsets.UTF_8);
        JsonNode json = type.startsWith("application/json") ? JSON.readTree(text) : null;
        return new Observed(r.statusCode(), json, json == null && !type.contains("octet") ? text : null, headers,
                r.body().length);
    }

    private static ZooKeeper connect(String connectString) throws IOException {
        ZooKeeper zk = new ZooKeeper(connectString, 30_000, e -> { });
        Await.until("connected", Duration.ofSeconds(30), () -> zk.getState() == ZooKeeper.States.CONNECTED);
        return zk;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }
}
