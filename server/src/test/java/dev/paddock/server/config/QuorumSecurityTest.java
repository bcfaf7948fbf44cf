package dev.paddock.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** zoo.cfg's quorum security keys with ZooKeeper 3.9.5's defaults and refusals. */
class QuorumSecurityTest {
    private static final Properties NONE = new Properties();

    @Test
    void nothingConfiguredIsPlaintextWithoutSasl() throws Exception {
        QuorumSecurity q = QuorumSecurity.of(Map.of(), NONE);
        assertThat(q.acceptsTls()).isFalse();
        assertThat(q.sasl().enabled()).isFalse();
        assertThat(q.sasl().learnerLoginContext()).isEqualTo("QuorumLearner");
        assertThat(q.sasl().serverLoginContext()).isEqualTo("QuorumServer");
    }

    @Test
    void quorumTlsReadsTheSslQuorumPrefixWithItsOwnDefaults() throws Exception {
        QuorumSecurity q = QuorumSecurity.of(Map.of("sslQuorum", "true", "ssl.quorum.keyStore.location", "/k.p12",
                "ssl.keyStore.location", "/client.p12", "ssl.quorum.enabledProtocols", "TLSv1.2"), NONE);
        assertThat(q.sslQuorum()).isTrue();
        assertThat(q.tls().keyStore().location()).isEqualTo("/k.p12");
        assertThat(q.tls().clientAuth()).isEqualTo("need");
        assertThat(q.tls().enabledProtocols()).containsExactly("TLSv1.2");
        // Between members ZooKeeper checks both sides' host names and allows reverse lookups.
        assertThat(q.tls().hostnameVerification()).isTrue();
        assertThat(q.tls().clientHostnameVerification()).isTrue();
        assertThat(q.tls().reverseDnsLookup()).isTrue();
        Properties system = new Properties();
        system.setProperty("zookeeper.ssl.quorum.hostnameVerification", "false");
        QuorumSecurity off = QuorumSecurity.of(Map.of("portUnification", "true", "ssl.quorum.keyStore.location",
                "/k.p12", "ssl.quorum.clientHostnameVerification", "true"), system);
        assertThat(off.tls().clientHostnameVerification()).isFalse();
    }

    @Test
    void theClientPortDoesNotCheckClientHostsByDefault() throws Exception {
        TlsSettings client = TlsSettings.of(new ZooKeeperKeys(Map.of(), NONE), TlsSettings.CLIENT_PREFIX);
        assertThat(client.hostnameVerification()).isTrue();
        assertThat(client.clientHostnameVerification()).isFalse();
        assertThat(client.reverseDnsLookup()).isFalse();
    }

    @Test
    void inconsistentOrIncompleteSettingsAreRefused() {
        assertThatThrownBy(() -> QuorumSecurity.of(Map.of("sslQuorum", "true"), NONE))
                .hasMessageContaining("ssl.quorum.keyStore.location");
        assertThatThrownBy(() -> QuorumSecurity.of(Map.of("quorum.auth.learnerRequireSasl", "true"), NONE))
                .hasMessage("quorum.auth.enableSasl is disabled, so cannot enable quorum.auth.learnerRequireSasl");
        assertThatThrownBy(() -> QuorumSecurity.of(Map.of("sslQuorum", "yes"), NONE))
                .hasMessage("Invalid option yes for sslQuorum. Choose 'true' or 'false.'");
    }
}
