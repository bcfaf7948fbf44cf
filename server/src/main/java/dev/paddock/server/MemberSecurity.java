package dev.paddock.server;

import dev.paddock.server.auth.QuorumSaslLogin;
import dev.paddock.server.config.ConfigException;
import dev.paddock.server.config.QuorumSecurity;
import dev.paddock.server.config.ServerConfig;
import dev.paddock.server.net.ReloadingTls;
import dev.paddock.server.net.TlsContexts;
import dev.paddock.server.quorum.transport.TransportSecurity;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns zoo.cfg's quorum security ({@link QuorumSecurity}) into what the member transport uses: TLS contexts
 * for its ports and for the connections it opens (rebuilt from changed files when sslQuorumReloadCertFiles is
 * set), and the quorum SASL mechanism from the JAAS sections. Anything that cannot be used stops the start.
 */
final class MemberSecurity {
    private static final Logger LOG = LoggerFactory.getLogger(MemberSecurity.class);

    private MemberSecurity() {
    }

    static TransportSecurity of(ServerConfig config) throws IOException {
        QuorumSecurity q;
        try {
            q = QuorumSecurity.of(config, System.getProperties());
        } catch (ConfigException e) {
            throw new IOException(e.getMessage(), e);
        }
        ReloadingTls accept = null;
        ReloadingTls dial = null;
        if (q.acceptsTls()) {
            accept = ReloadingTls.of(q.tls(), () -> TlsContexts.server(q.tls(), "the quorum and election ports"),
                    q.reloadCertFiles(), "the quorum and election ports");
        }
        if (q.sslQuorum()) {
            dial = ReloadingTls.of(q.tls(), () -> TlsContexts.client(q.tls(), "connections to other members"),
                    q.reloadCertFiles(), "connections to other members");
        }
        if (q.acceptsTls()) {
            LOG.info("Quorum TLS: sslQuorum={}, portUnification={}, sslQuorumReloadCertFiles={}, clientAuth={}, "
                            + "host name checks {}", q.sslQuorum(), q.portUnification(), q.reloadCertFiles(),
                    q.tls().clientAuth(), q.tls().fipsMode() ? "none (zookeeper.fips-mode=true, as in ZooKeeper)"
                            : "hostnameVerification=" + q.tls().hostnameVerification() + ", clientHostnameVerification="
                            + q.tls().clientHostnameVerification());
        }
        TransportSecurity.Sasl sasl = TransportSecurity.Sasl.NONE;
        QuorumSecurity.Sasl s = q.sasl();
        if (s.enabled()) {
            QuorumSaslLogin login = QuorumSaslLogin.fromJaas(s.learnerLoginContext(), s.serverLoginContext());
            sasl = new TransportSecurity.Sasl(true, s.learnerRequired(), s.serverRequired(), login::newClient,
                    login::newServer);
            LOG.info("Quorum SASL: quorum.auth.learnerRequireSasl={}, quorum.auth.serverRequireSasl={}",
                    s.learnerRequired(), s.serverRequired());
        }
        return new TransportSecurity(accept, !q.sslQuorum() || q.portUnification(), dial, sasl);
    }
}
