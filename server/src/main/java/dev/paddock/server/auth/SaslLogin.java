package dev.paddock.server.auth;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.sasl.AuthorizeCallback;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's side of SASL on the client port, configured as ZooKeeper's is: the JAAS section named by
 * {@code zookeeper.sasl.serverconfig} (default "Server") in the process's JAAS configuration
 * ({@code java.security.auth.login.config}, or one an embedding program installed). A section that logs
 * in with Krb5LoginModule makes the server a Kerberos service (GSSAPI, {@link KerberosService}); otherwise
 * its {@code user_<name>="<password>"} options are the DIGEST-MD5 users ({@link DigestUsers}). As in
 * ZooKeeper, a server offers one of the two. Without that section the server has no SASL.
 */
public final class SaslLogin {
    private static final Logger LOG = LoggerFactory.getLogger(SaslLogin.class);
    private static final String USER_PREFIX = "user_";

    /** How the SASL servers of the connections are made. */
    interface Mechanism {
        SaslServer newServer() throws SaslException;

        String describe();
    }

    private final Mechanism mechanism;
    private final Set<String> users;

    private SaslLogin(Mechanism mechanism, Set<String> users) {
        this.mechanism = mechanism;
        this.users = Set.copyOf(users);
    }

    /** DIGEST-MD5 with the given users. */
    static SaslLogin digest(Map<String, String> passwords, PrincipalNames names, String superPassword) {
        return new SaslLogin(new DigestUsers(passwords, names, superPassword), passwords.keySet());
    }

    /**
     * The login of JAAS section {@code section}, or null when the configuration has no such section and
     * none was asked for explicitly.
     *
     * @throws IOException when the JAAS configuration cannot be read although one was named (a file in
     *                     {@code java.security.auth.login.config} or a section in zookeeper.sasl.serverconfig),
     *                     or when the section's Kerberos login fails
     */
    public static SaslLogin fromJaas(String section, PrincipalNames names, String superPassword) throws IOException {
        AppConfigurationEntry[] entries;
        try {
            entries = Configuration.getConfiguration().getAppConfigurationEntry(section);
        } catch (SecurityException e) {
            String file = System.getProperty("java.security.auth.login.config");
            if (file == null && System.getProperty("zookeeper.sasl.serverconfig") == null) {
                return null;
            }
            throw new IOException("No JAAS configuration section named '" + section + "' was found"
                    + (file == null ? "" : " in '" + file + "'") + ": " + e.getMessage(), e);
        }
        if (entries == null) {
            return null;
        }
        SaslLogin login = logsInWithKerberos(entries)
                ? new SaslLogin(KerberosService.login(section, names), Set.of())
                : digest(passwordsOf(entries), names, superPassword);
        LOG.info("SASL on the client port: {} from JAAS section '{}'", login.mechanism.describe(), section);
        return login;
    }

    private static boolean logsInWithKerberos(AppConfigurationEntry[] entries) {
        for (AppConfigurationEntry entry : entries) {
            if (entry.getLoginModuleName().endsWith("Krb5LoginModule")) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, String> passwordsOf(AppConfigurationEntry[] entries) {
        Map<String, String> passwords = new HashMap<>();
        for (AppConfigurationEntry entry : entries) {
            entry.getOptions().forEach((k, v) -> {
                if (k.startsWith(USER_PREFIX)) {
                    passwords.put(k.substring(USER_PREFIX.length()), String.valueOf(v));
                }
            });
        }
        return passwords;
    }

    /** A fresh SASL server for one connection's exchange. */
    public SaslServer newServer() throws SaslException {
        return mechanism.newServer();
    }

    /** The DIGEST-MD5 users (none for Kerberos). */
    Set<String> users() {
        return users;
    }

    /**
     * Authorizes the authenticated name as ZooKeeper's callback handler does: always, under the id
     * {@link PrincipalNames} makes of it.
     */
    static void authorize(AuthorizeCallback ac, PrincipalNames names) {
        ac.setAuthorized(true);
        String id = names.canonical(ac.getAuthenticationID());
        if (id != null) {
            ac.setAuthorizedID(id);
        }
    }
}
