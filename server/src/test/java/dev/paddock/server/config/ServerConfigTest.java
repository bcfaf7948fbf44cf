package dev.paddock.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
    @TempDir
    Path dir;

    private ServerConfig load(String... lines) throws Exception {
        Path cfg = dir.resolve("zoo.cfg");
        Files.write(cfg, List.of(lines));
        return ServerConfig.load(cfg);
    }

    @Test
    void readsZooKeeperKeysAndDerivesTimeouts() throws Exception {
        ServerConfig c = load("# comment", "tickTime=500", "clientPort=2999", "dataDir=" + dir,
                "maxClientCnxns=7", "4lw.commands.whitelist=ruok, stat", "", "server.1=localhost:2888:3888");
        assertThat(c.tickTimeMs()).isEqualTo(500);
        assertThat(c.clientAddress().getPort()).isEqualTo(2999);
        assertThat(c.minSessionTimeoutMs()).isEqualTo(1000);
        assertThat(c.maxSessionTimeoutMs()).isEqualTo(10000);
        assertThat(c.maxClientCnxns()).isEqualTo(7);
        assertThat(c.fourLetterWords()).containsExactlyInAnyOrder("ruok", "stat", "srvr");
        assertThat(c.dataLogDir()).isEqualTo(dir);
        assertThat(c.otherKeys()).containsKey("server.1");
    }

    /** As ZooKeeper reads zoo.cfg (Properties.load): escapes, ':' as a separator, continuation lines. */
    @Test
    void linesAreReadAsAPropertiesFileIs() throws Exception {
        ServerConfig c = load("tickTime: 700", "dataDir=" + dir, "server.1=127.0.0.1\\:2888\\:3888;127.0.0.1\\:2181",
                "4lw.commands.whitelist=ruok, \\", "    srvr");
        assertThat(c.tickTimeMs()).isEqualTo(700);
        assertThat(c.otherKeys().get("server.1")).isEqualTo("127.0.0.1:2888:3888;127.0.0.1:2181");
        assertThat(c.fourLetterWords()).containsExactlyInAnyOrder("ruok", "srvr");
    }

    @Test
    void malformedLineIsNamed() {
        assertThatThrownBy(() -> load("tickTime=2000", "dataDir=/tmp/x", "this line has no separator"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 3");
    }

    @Test
    void badNumberIsNamed() {
        assertThatThrownBy(() -> load("dataDir=/tmp/x", "tickTime=fast"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 2").hasMessageContaining("tickTime");
    }

    @Test
    void requestThrottleKeysAreZooKeepersWithItsDefaults() throws Exception {
        assertThat(load("dataDir=" + dir).limits().requests()).isEqualTo(RequestLimits.defaults());
        assertThat(RequestLimits.defaults()).isEqualTo(new RequestLimits(0, 100, true, true, false, 1000, 0));
        RequestLimits set = load("dataDir=" + dir, "request_throttle_max_requests=2", "request_throttle_stall_time=0",
                "request_throttle_drop_stale=false", "request_stale_connection_check=false",
                "request_stale_latency_check=true", "globalOutstandingLimit=50", "throttled_op_wait_time=7")
                .limits().requests();
        // A stall time of 0 (ZooKeeper: wait until a request ends) looks again every millisecond.
        assertThat(set).isEqualTo(new RequestLimits(2, 1, false, false, true, 50, 7));
        assertThat(set.throttling()).isTrue();
        // Read, so not among the keys left over (and warned about as unknown).
        assertThat(load("dataDir=" + dir, "globalOutstandingLimit=50", "someFutureKey=1").otherKeys())
                .containsOnlyKeys("someFutureKey");
    }

    @Test
    void unknownKeysAreIgnored() throws Exception {
        ServerConfig c = load("dataDir=" + dir, "someFutureKey=1");
        assertThat(c.otherKeys()).containsEntry("someFutureKey", "1");
    }

    @Test
    void zooCfgKeyWithoutPrefixEnablesExtendedTypes() throws Exception {
        assertThat(load("dataDir=" + dir, "extendedTypesEnabled=true").extendedTypesEnabled()).isTrue();
        assertThat(load("dataDir=" + dir).extendedTypesEnabled()).isFalse();
    }

    @Test
    void starWhitelistsEveryWord() throws Exception {
        assertThat(load("dataDir=" + dir, "4lw.commands.whitelist=*").fourLetterWords())
                .containsAll(ServerConfig.ALL_FOUR_LETTER_WORDS).contains(ServerConfig.TELNET_CLOSE, "snap");
    }

    /** As in ZooKeeper 3.9.5: without a whitelist only srvr is answered, and srvr is always answered. */
    @Test
    void srvrIsAlwaysWhitelisted() throws Exception {
        Properties none = new Properties();
        assertThat(ServerConfig.fromEntries(entries("dataDir", dir.toString()), none).fourLetterWords())
                .containsExactly("srvr");
        assertThat(ServerConfig.fromEntries(entries("dataDir", dir.toString(), "4lw.commands.whitelist", "ruok"),
                none).fourLetterWords()).containsExactlyInAnyOrder("ruok", "srvr");
        Properties system = new Properties();
        system.setProperty("zookeeper.4lw.commands.whitelist", "mntr, conf");
        system.setProperty("readonlymode.enabled", "true");
        assertThat(ServerConfig.fromEntries(entries("dataDir", dir.toString()), system).fourLetterWords())
                .containsExactlyInAnyOrder("mntr", "conf", "srvr", "isro");
    }

    private static Map<String, ZooCfgFile.Entry> entries(String... keysAndValues) {
        Map<String, ZooCfgFile.Entry> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(keysAndValues[i], new ZooCfgFile.Entry(keysAndValues[i + 1], "test " + keysAndValues[i]));
        }
        return m;
    }

    @Test
    void minTimeoutAboveMaxIsRejected() {
        assertThatThrownBy(() -> load("dataDir=" + dir, "minSessionTimeout=5000", "maxSessionTimeout=4000"))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void securityKeysAreReadAsZooKeeperReadsThem() throws Exception {
        Properties system = new Properties();
        system.setProperty("zookeeper.authProvider.1", AuthConfig.SASL_PROVIDER);
        system.setProperty("zookeeper.ssl.keyStore.location", "/etc/zk/server.p12");
        ServerConfig c = ServerConfig.fromEntries(entries("dataDir", dir.toString(), "secureClientPort", "2281",
                "sessionRequireClientSASLAuth", "true", "ssl.clientAuth", "want", "maxCnxns", "7",
                "ssl.enabledProtocols", "TLSv1.2"), system);
        assertThat(c.auth().saslProvider()).isTrue();
        assertThat(c.auth().enforcedSchemes()).containsExactly("sasl");
        assertThat(c.tls().secureAddress().getPort()).isEqualTo(2281);
        assertThat(c.tls().plaintextPort()).isFalse();
        assertThat(c.tls().keyStore().location()).isEqualTo("/etc/zk/server.p12");
        assertThat(c.tls().clientAuth()).isEqualTo("want");
        assertThat(c.tls().enabledProtocols()).containsExactly("TLSv1.2");
        assertThat(c.tls().settings().sslProvider()).isEqualTo("JDK");
        assertThat(c.limits().maxCnxns()).isEqualTo(7);
        assertThat(c.limits().maxQueuedBytes()).isEqualTo(ConnectionLimits.DEFAULT_MAX_QUEUED_BYTES);
    }

    @Test
    void unsupportedOrIncompleteSecuritySettingsStopTheStart() {
        Properties none = new Properties();
        assertThatThrownBy(() -> ServerConfig.fromEntries(entries("dataDir", dir.toString(),
                "ssl.context.supplier.class", "com.example.Supplier"), none))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ssl.context.supplier.class");
        assertThatThrownBy(() -> ServerConfig.fromEntries(entries("dataDir", dir.toString(),
                "ssl.sslProvider", "openssl"), none))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ssl.sslProvider must be one of");
        assertThatThrownBy(() -> ServerConfig.fromEntries(entries("dataDir", dir.toString(),
                "enforce.auth.enabled", "true"), none))
                .isInstanceOf(ConfigException.class).hasMessageContaining("enforce.auth.schemes");
        assertThatThrownBy(() -> ServerConfig.fromEntries(entries("dataDir", dir.toString(),
                "enforce.auth.enabled", "true", "enforce.auth.schemes", "sasl"), none))
                .isInstanceOf(ConfigException.class).hasMessageContaining("sasl is not available");
    }
}
