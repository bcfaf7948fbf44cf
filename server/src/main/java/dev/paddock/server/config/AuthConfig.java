package dev.paddock.server.config;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The authentication settings ZooKeeper 3.9.5 reads from {@code zookeeper.*} system properties. A zoo.cfg
 * key that ZooKeeper does not know becomes the system property {@code zookeeper.<key>} there, so each
 * setting is looked up as a zoo.cfg key first and then as that system property, and an operator's file or
 * JVM flags work unchanged.
 *
 * @param saslProvider      a {@code zookeeper.authProvider.N} names ZooKeeper's SASLAuthenticationProvider:
 *                          the {@code sasl} ACL scheme exists
 * @param x509Provider      a {@code zookeeper.authProvider.N} names ZooKeeper's X509AuthenticationProvider
 * @param saslSection       the JAAS section holding the server's SASL users ({@code zookeeper.sasl.serverconfig})
 * @param saslSuperUsers    {@code zookeeper.superUser} and {@code zookeeper.superUser.*}: SASL ids that are super
 * @param superPassword     {@code zookeeper.SASLAuthenticationProvider.superPassword}, the password of "super"
 * @param enforcedSchemes   the schemes of which a connection must hold an identity before any request
 *                          ({@code enforce.auth.*}, or sasl by {@code sessionRequireClientSASLAuth}); empty
 *                          when nothing is enforced
 */
public record AuthConfig(
        boolean saslProvider,
        boolean x509Provider,
        String saslSection,
        boolean allowSaslFailedClients,
        boolean removeHostFromPrincipal,
        boolean removeRealmFromPrincipal,
        Set<String> saslSuperUsers,
        String superPassword,
        Set<String> enforcedSchemes) {

    public static final String SASL_PROVIDER = "org.apache.zookeeper.server.auth.SASLAuthenticationProvider";
    public static final String X509_PROVIDER = "org.apache.zookeeper.server.auth.X509AuthenticationProvider";

    /** Nothing configured: ZooKeeper's defaults. */
    public static AuthConfig none() {
        return new AuthConfig(false, false, "Server", false, false, false, Set.of(), null, Set.of());
    }

    /** Whether a SASL exchange that failed must close the connection. */
    public boolean saslRequired() {
        return enforcedSchemes.contains("sasl");
    }

    public static AuthConfig of(Map<String, String> zooCfgKeys, Properties system) throws ConfigException {
        ZooKeeperKeys l = new ZooKeeperKeys(zooCfgKeys, system);
        boolean sasl = false;
        boolean x509 = false;
        Set<String> superUsers = new LinkedHashSet<>();
        for (String key : l.keys()) {
            String value = l.get(key);
            if (key.startsWith("authProvider.")) {
                sasl |= SASL_PROVIDER.equals(value);
                x509 |= X509_PROVIDER.equals(value);
            } else if ((key.equals("superUser") || key.startsWith("superUser.")) && value != null) {
                superUsers.add(value);
            }
        }
        Set<String> enforced = new LinkedHashSet<>();
        if ("true".equalsIgnoreCase(l.get("sessionRequireClientSASLAuth"))) {
            enforced.add("sasl");
        } else if ("true".equalsIgnoreCase(l.get("enforce.auth.enabled"))) {
            String schemes = l.get("enforce.auth.schemes");
            if (schemes != null) {
                for (String s : schemes.split(",")) {
                    enforced.add(s.strip());
                }
            }
            if (enforced.isEmpty()) {
                throw new ConfigException("zookeeper.enforce.auth.enabled is true zookeeper.enforce.auth.schemes "
                        + "must be configured.");
            }
        }
        for (String scheme : enforced) {
            boolean known = scheme.equals("ip") || scheme.equals("digest") || (scheme.equals("sasl") && sasl)
                    || (scheme.equals("x509") && x509);
            if (!known) {
                throw new ConfigException("Authentication scheme " + scheme + " is not available.");
            }
        }
        return new AuthConfig(sasl, x509, l.getOr("sasl.serverconfig", "Server"),
                "true".equalsIgnoreCase(l.get("allowSaslFailedClients")),
                "true".equals(l.get("kerberos.removeHostFromPrincipal")),
                "true".equals(l.get("kerberos.removeRealmFromPrincipal")),
                Set.copyOf(superUsers), l.get("SASLAuthenticationProvider.superPassword"), Set.copyOf(enforced));
    }
}
