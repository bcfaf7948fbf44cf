package dev.paddock.server.admin.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.server.PaddockServer;
import dev.paddock.server.ServerTestSupport;
import dev.paddock.server.config.ConfigException;
import dev.paddock.server.config.ServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the compat test cannot compare with ZooKeeper: the settings (zoo.cfg over system property, ZooKeeper's
 * defaults), routing outside the command URL, keep-alive, a custom command URL, and what a port that cannot be
 * bound does to a standalone server's start. The AdminServer is off by default in tests (surefire sets
 * zookeeper.admin.enableServer=false); these servers turn it on in zoo.cfg, on free ports.
 */
class AdminHttpServerTest {
    @TempDir
    Path dir;

    @Test
    void settingsFollowZooKeeper() throws Exception {
        ServerConfig plain = ServerConfig.fromProperties(props(Map.of("dataDir", dir.toString())));
        AdminSettings defaults = AdminSettings.of(plain, new Properties());
        assertThat(defaults).isEqualTo(new AdminSettings(true, "0.0.0.0", 8080, "/commands", 30_000));

        Properties system = new Properties();
        system.setProperty("zookeeper.admin.enableServer", "no"); // only "false" disables, as in ZooKeeper
        system.setProperty("zookeeper.admin.serverPort", "9999");
        system.setProperty("zookeeper.admin.commandURL", "/zk/");
        assertThat(AdminSettings.of(plain, system)).isEqualTo(new AdminSettings(true, "0.0.0.0", 9999, "/zk", 30_000));

        ServerConfig cfg = ServerConfig.fromProperties(props(Map.of("dataDir", dir.toString(),
                "admin.enableServer", "false", "admin.serverPort", "7777", "admin.idleTimeout", "500")));
        assertThat(AdminSettings.of(cfg, system)).isEqualTo(new AdminSettings(false, "0.0.0.0", 7777, "/zk", 500));

        ServerConfig bad = ServerConfig.fromProperties(props(Map.of("dataDir", dir.toString(),
                "admin.serverPort", "eighty")));
        assertThatThrownBy(() -> AdminSettings.of(bad, new Properties())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("admin.serverPort");
    }

    @Test
    void routesUnderTheCommandUrlOnly() throws Exception {
        int adminPort = ServerTestSupport.freePort();
        try (PaddockServer server = PaddockServer.start(config(adminPort, "/zk"))) {
            assertThat(server.adminPort()).isEqualTo(adminPort);
            HttpClient http = HttpClient.newHttpClient(); // HTTP/1.1, one kept-alive connection for all
            String base = "http://127.0.0.1:" + adminPort;
            assertThat(get(http, base + "/zk/ruok").body()).contains("\"command\" : \"ruok\"", "\"error\" : null");
            assertThat(get(http, base + "/zk").body()).contains("<a href=\"/zk/ruok\">ruok</a>");
            assertThat(get(http, base + "/commands/ruok").statusCode()).isEqualTo(404);
            assertThat(get(http, base + "/zk/srvr").body()).contains("\"command\" : \"server_stats\"",
                    "\"server_state\" : \"standalone\"");
            HttpResponse<String> delete = http.send(HttpRequest.newBuilder(URI.create(base + "/zk/ruok"))
                    .DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(delete.statusCode()).isEqualTo(405);
            HttpResponse<String> postRuok = http.send(HttpRequest.newBuilder(URI.create(base + "/zk/ruok"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(postRuok.statusCode()).isEqualTo(405);
        }
    }

    @Test
    void disabledMeansNoPort() throws Exception {
        Map<String, String> cfg = new LinkedHashMap<>(base());
        cfg.put("admin.enableServer", "false");
        try (PaddockServer server = PaddockServer.start(ServerTestSupport.config(dir, cfg))) {
            assertThat(server.adminPort()).isEqualTo(-1);
        }
    }

    @Test
    void aStandaloneServerWhoseAdminPortIsTakenDoesNotStart() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ServerConfig cfg = config(taken.getLocalPort(), "/commands");
            assertThatThrownBy(() -> PaddockServer.start(cfg)).isInstanceOf(IOException.class)
                    .hasMessageContaining("AdminServer").hasMessageContaining(Integer.toString(taken.getLocalPort()));
        }
        // The client port was released: the same configuration starts once the admin port is free.
        try (PaddockServer server = PaddockServer.start(config(ServerTestSupport.freePort(), "/commands"))) {
            assertThat(server.adminPort()).isPositive();
        }
    }

    private ServerConfig config(int adminPort, String url) throws Exception {
        Map<String, String> cfg = new LinkedHashMap<>(base());
        cfg.put("admin.enableServer", "true");
        cfg.put("admin.serverAddress", "127.0.0.1");
        cfg.put("admin.serverPort", Integer.toString(adminPort));
        cfg.put("admin.commandURL", url);
        return ServerTestSupport.config(dir, cfg);
    }

    private Map<String, String> base() {
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("tickTime", "200");
        cfg.put("dataDir", dir.resolve("data").toString());
        cfg.put("clientPort", Integer.toString(ServerTestSupport.freePort()));
        cfg.put("clientPortAddress", "127.0.0.1");
        return cfg;
    }

    private static Properties props(Map<String, String> m) {
        Properties p = new Properties();
        m.forEach(p::setProperty);
        return p;
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
