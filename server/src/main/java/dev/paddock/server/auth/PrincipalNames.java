package dev.paddock.server.auth;

import java.util.regex.Matcher;
import javax.security.auth.kerberos.KerberosPrincipal;

/**
 * Turns the name a client authenticated as into the id the {@code sasl} scheme records, as ZooKeeper's
 * SaslServerCallbackHandler does with its default {@code auth_to_local} rule: a simple name stays as it
 * is; {@code name[/host]@realm} in the default Kerberos realm becomes {@code name}, then {@code /host} and
 * {@code @realm} are put back unless {@code zookeeper.kerberos.removeHostFromPrincipal} /
 * {@code removeRealmFromPrincipal} say otherwise. A principal of another realm matches no rule: ZooKeeper
 * then leaves the SASL server's own id (the name as given), and so does this (null).
 */
public final class PrincipalNames {
    private final java.util.function.Supplier<String> defaultRealm;
    private final boolean removeHost;
    private final boolean removeRealm;

    public PrincipalNames(String defaultRealm, boolean removeHost, boolean removeRealm) {
        this(() -> defaultRealm, removeHost, removeRealm);
    }

    private PrincipalNames(java.util.function.Supplier<String> defaultRealm, boolean removeHost, boolean removeRealm) {
        this.defaultRealm = defaultRealm;
        this.removeHost = removeHost;
        this.removeRealm = removeRealm;
    }

    /**
     * With the default realm of this JVM's Kerberos configuration ("" when it has none), read when first
     * needed: loading the Kerberos configuration costs a start that has no SASL clients.
     */
    public static PrincipalNames withJvmRealm(boolean removeHost, boolean removeRealm) {
        return new PrincipalNames(new JvmRealm(), removeHost, removeRealm);
    }

    /** The JVM's default realm, looked up once. */
    private static final class JvmRealm implements java.util.function.Supplier<String> {
        private volatile String realm;

        @Override
        public String get() {
            String r = realm;
            if (r == null) {
                r = jvmDefaultRealm();
                realm = r;
            }
            return r;
        }
    }

    private static String jvmDefaultRealm() {
        try {
            String realm = new KerberosPrincipal("paddock").getRealm();
            return realm == null ? "" : realm;
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    /** The id to record, or null to keep the name the exchange authorized. */
    public String canonical(String authenticationId) {
        Matcher m = SaslScheme.PRINCIPAL.matcher(authenticationId);
        if (!m.matches()) {
            return authenticationId;
        }
        String name = m.group(1);
        String host = m.group(3);
        String realm = m.group(4);
        if (!defaultRealm.get().equals(realm)) {
            return null;
        }
        StringBuilder id = new StringBuilder(name);
        if (!removeHost && host != null) {
            id.append('/').append(host);
        }
        if (!removeRealm) {
            id.append('@').append(realm);
        }
        return id.toString();
    }
}
