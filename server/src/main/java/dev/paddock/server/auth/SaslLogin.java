package dev.paddock.server.auth;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.sasl.AuthorizeCallback;
import javax.security.sasl.RealmCallback;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's side of SASL DIGEST-MD5 on the client port, configured as ZooKeeper's is: the users and
 * passwords are the {@code user_<name>="<password>"} options of the JAAS section named by
 * {@code zookeeper.sasl.serverconfig} (default "Server") in the process's JAAS configuration
 * ({@code java.security.auth.login.config}, or one an embedding program installed). Without that section
 * the server has no SASL, as ZooKeeper has none. Kerberos (GSSAPI) is not served: a section that logs in
 * with Krb5LoginModule is refused at start rather than silently answered as DIGEST-MD5.
 */
public final class SaslLogin {
    private static final Logger LOG = LoggerFactory.getLogger(SaslLogin.class);
    /** The protocol and server name ZooKeeper's server gives the DIGEST-MD5 mechanism. */
    private static final String PROTOCOL = "zookeeper";
    private static final String SERVER_NAME = "zk-sasl-md5";
    private static final String USER_PREFIX = "user_";

    private final Map<String, String> passwords;
    private final PrincipalNames names;
    private final String superPassword;

    SaslLogin(Map<String, String> passwords, PrincipalNames names, String superPassword) {
        this.passwords = Map.copyOf(passwords);
        this.names = names;
        this.superPassword = superPassword;
    }

    /**
     * The login of JAAS section {@code section}, or null when the configuration has no such section and
     * none was asked for explicitly.
     *
     * @throws IOException when the JAAS configuration cannot be read although one was named (a file in
     *                     {@code java.security.auth.login.config} or a section in zookeeper.sasl.serverconfig),
     *                     or when the section asks for Kerberos
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
        Map<String, String> passwords = new HashMap<>();
        for (AppConfigurationEntry entry : entries) {
            if (entry.getLoginModuleName().endsWith("Krb5LoginModule")) {
                throw new IOException("JAAS section '" + section + "' logs in with Kerberos (GSSAPI), which "
                        + "Paddock does not serve yet; use DIGEST-MD5 (DigestLoginModule with user_<name> options)");
            }
            entry.getOptions().forEach((k, v) -> {
                if (k.startsWith(USER_PREFIX)) {
                    passwords.put(k.substring(USER_PREFIX.length()), String.valueOf(v));
                }
            });
        }
        LOG.info("SASL DIGEST-MD5 on the client port: {} user(s) from JAAS section '{}'", passwords.size(), section);
        return new SaslLogin(passwords, names, superPassword);
    }

    /** A fresh DIGEST-MD5 server for one connection's exchange. */
    public SaslServer newServer() throws SaslException {
        SaslServer server = Sasl.createSaslServer("DIGEST-MD5", PROTOCOL, SERVER_NAME, null, new Users());
        if (server == null) {
            throw new SaslException("this JVM offers no DIGEST-MD5 SASL server");
        }
        return server;
    }

    Set<String> users() {
        return passwords.keySet();
    }

    /** Answers the mechanism's questions: the user's password, the realm, the authorization id. */
    private final class Users implements CallbackHandler {
        private String user;

        @Override
        public void handle(Callback[] callbacks) {
            for (Callback callback : callbacks) {
                if (callback instanceof NameCallback nc) {
                    if (passwords.containsKey(nc.getDefaultName())) {
                        nc.setName(nc.getDefaultName());
                        user = nc.getDefaultName();
                    } else {
                        LOG.warn("User '{}' not found in list of DIGEST-MD5 authenticateable users.",
                                nc.getDefaultName());
                    }
                } else if (callback instanceof PasswordCallback pc) {
                    password(pc);
                } else if (callback instanceof RealmCallback rc) {
                    rc.setText(rc.getDefaultText());
                } else if (callback instanceof AuthorizeCallback ac) {
                    ac.setAuthorized(true);
                    String id = names.canonical(ac.getAuthenticationID());
                    if (id != null) {
                        ac.setAuthorizedID(id);
                    }
                }
            }
        }

        private void password(PasswordCallback pc) {
            if ("super".equals(user) && superPassword != null) {
                pc.setPassword(superPassword.toCharArray());
            } else if (user != null && passwords.containsKey(user)) {
                pc.setPassword(passwords.get(user).toCharArray());
            } else {
                LOG.warn("No password found for user: {}", user);
            }
        }
    }
}
