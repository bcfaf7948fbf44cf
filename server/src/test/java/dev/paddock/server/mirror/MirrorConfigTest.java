package dev.paddock.server.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.server.ServerTestSupport;
import dev.paddock.server.config.ConfigException;
import dev.paddock.server.config.EnsembleConfig;
import dev.paddock.server.config.ServerConfig;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The zoo.cfg of a ZooKeeper observer, plus quorumProtocol=zookeeper, makes a mirror's configuration. */
class MirrorConfigTest {
    @TempDir
    Path dir;

    private ServerConfig zooCfg(int myId, String protocol) throws Exception {
        return zooCfg(myId, protocol, true);
    }

    private ServerConfig zooCfg(int myId, String protocol, boolean observerType) throws Exception {
        Files.writeString(dir.resolve("myid"), Integer.toString(myId));
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("tickTime", "500");
        cfg.put("initLimit", "7");
        cfg.put("syncLimit", "3");
        cfg.put("dataDir", dir.toString());
        cfg.put("clientPort", "2181");
        if (observerType) {
            cfg.put("peerType", "observer");
        }
        if (protocol != null) {
            cfg.put(MirrorConfig.PROTOCOL_KEY, protocol);
        }
        cfg.put("server.1", "127.0.0.1:3001:4001");
        cfg.put("server.2", "127.0.0.1:3002:4002");
        cfg.put("server.3", "127.0.0.1:3003:4003");
        cfg.put("server.4", "127.0.0.1:3004:4004:observer");
        return ServerTestSupport.config(dir, cfg);
    }

    @Test
    void anObserversZooCfgNamesTheVotersAndTheTiming() throws Exception {
        ServerConfig config = zooCfg(4, "zookeeper");
        assertThat(MirrorConfig.requested(config)).isTrue();
        MirrorConfig mirror = MirrorConfig.of(config, EnsembleConfig.of(config));
        assertThat(mirror.myId()).isEqualTo(4);
        assertThat(mirror.voters()).containsExactly(new InetSocketAddress("127.0.0.1", 3001),
                new InetSocketAddress("127.0.0.1", 3002), new InetSocketAddress("127.0.0.1", 3003));
        assertThat(mirror.initTimeoutMs()).isEqualTo(3500);
        assertThat(mirror.syncTimeoutMs()).isEqualTo(1500);
    }

    @Test
    void paddockIsTheDefaultProtocolAndOthersAreRefused() throws Exception {
        assertThat(MirrorConfig.requested(zooCfg(4, null))).isFalse();
        assertThat(MirrorConfig.requested(zooCfg(4, "Paddock"))).isFalse();
        ServerConfig bad = zooCfg(4, "raft");
        assertThatThrownBy(() -> MirrorConfig.requested(bad)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("quorumProtocol");
    }

    @Test
    void aServerAskedForZooKeepersProtocolAsAVoterOrAnUnknownOneRefusesToStart() throws Exception {
        ServerConfig voter = zooCfg(2, "zookeeper", false);
        assertThatThrownBy(() -> dev.paddock.server.PaddockServer.start(voter)).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("observer");
        ServerConfig unknown = zooCfg(4, "raft");
        assertThatThrownBy(() -> dev.paddock.server.PaddockServer.start(unknown)).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("quorumProtocol");
    }

    @Test
    void aMirrorListedAsAVoterIsRefused() throws Exception {
        ServerConfig config = zooCfg(2, "zookeeper", false);
        assertThatThrownBy(() -> MirrorConfig.of(config, EnsembleConfig.of(config)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("observer");
    }
}
