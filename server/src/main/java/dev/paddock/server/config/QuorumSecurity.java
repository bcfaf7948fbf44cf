package dev.paddock.server.config;

import java.util.Map;
import java.util.Properties;

/**
 * How members secure their connections to each other, with ZooKeeper 3.9.5's zoo.cfg keys: {@code sslQuorum}
 * (TLS on every quorum and election connection, with the {@code ssl.quorum.*} settings), {@code portUnification}
 * (the quorum and election ports take TLS and plaintext, for a rolling upgrade), {@code sslQuorumReloadCertFiles}
 * (new connections use the stores' files as they are now), and quorum SASL ({@link Sasl}).
 */
public record QuorumSecurity(boolean sslQuorum, boolean portUnification, boolean reloadCertFiles, TlsSettings tls,
                             Sasl sasl) {

    /** No TLS, no SASL: what a zoo.cfg without these keys gets. */
    public static final QuorumSecurity NONE = new QuorumSecurity(false, false, false, null, Sasl.NONE);

    /**
     * Quorum SASL (DIGEST-MD5) as ZooKeeper configures it: {@code quorum.auth.enableSasl} makes a member able to
     * authenticate and to be authenticated; {@code quorum.auth.learnerRequireSasl} makes it authenticate on every
     * connection it opens; {@code quorum.auth.serverRequireSasl} makes it refuse connections that do not
     * authenticate. The JAAS sections are {@code quorum.auth.learner.saslLoginContext} (QuorumLearner: username
     * and password) and {@code quorum.auth.server.saslLoginContext} (QuorumServer: {@code user_<name>} options).
     */
    public record Sasl(boolean enabled, boolean learnerRequired, boolean serverRequired, String learnerLoginContext,
                       String serverLoginContext, String servicePrincipal) {
        public static final Sasl NONE = new Sasl(false, false, false, "QuorumLearner", "QuorumServer",
                "zkquorum/localhost");
    }

    /** Whether a member accepts TLS on its quorum and election ports. */
    public boolean acceptsTls() {
        return sslQuorum || portUnification;
    }

    public static QuorumSecurity of(ServerConfig config, Properties system) throws ConfigException {
        return of(config.otherKeys(), system);
    }

    static QuorumSecurity of(Map<String, String> cfg, Properties system) throws ConfigException {
        ZooKeeperKeys k = new ZooKeeperKeys(cfg, system);
        boolean ssl = flag(cfg, "sslQuorum");
        boolean unified = flag(cfg, "portUnification");
        TlsSettings tls = ssl || unified ? TlsSettings.of(k, TlsSettings.QUORUM_PREFIX) : null;
        if (tls != null && tls.keyStore().location() == null) {
            throw new ConfigException("sslQuorum and portUnification need a key store: ssl.quorum.keyStore.location "
                    + "is not set");
        }
        boolean enable = flag(cfg, "quorum.auth.enableSasl");
        boolean learner = flag(cfg, "quorum.auth.learnerRequireSasl");
        boolean server = flag(cfg, "quorum.auth.serverRequireSasl");
        // ZooKeeper's own checks and messages (QuorumPeerConfig), so a zoo.cfg it refuses is refused here too.
        if (!enable && server) {
            throw new ConfigException("quorum.auth.enableSasl is disabled, so cannot enable quorum.auth.serverRequireSasl");
        }
        if (!enable && learner) {
            throw new ConfigException("quorum.auth.enableSasl is disabled, so cannot enable quorum.auth.learnerRequireSasl");
        }
        if (!learner && server) {
            throw new ConfigException("quorum.auth.learnerRequireSasl is disabled, so cannot enable "
                    + "quorum.auth.serverRequireSasl");
        }
        Sasl sasl = new Sasl(enable, learner, server,
                cfg.getOrDefault("quorum.auth.learner.saslLoginContext", Sasl.NONE.learnerLoginContext()).strip(),
                cfg.getOrDefault("quorum.auth.server.saslLoginContext", Sasl.NONE.serverLoginContext()).strip(),
                cfg.getOrDefault("quorum.auth.kerberos.servicePrincipal", Sasl.NONE.servicePrincipal()).strip());
        return new QuorumSecurity(ssl, unified, flag(cfg, "sslQuorumReloadCertFiles"), tls, sasl);
    }

    /** A zoo.cfg boolean as ZooKeeper's QuorumPeerConfig parses it: true or false, anything else refused. */
    private static boolean flag(Map<String, String> cfg, String key) throws ConfigException {
        String v = cfg.get(key);
        if (v == null) {
            return false;
        }
        String value = v.strip();
        if (value.equalsIgnoreCase("true")) {
            return true;
        } else if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new ConfigException("Invalid option " + value + " for " + key + ". Choose 'true' or 'false.'");
    }
}
