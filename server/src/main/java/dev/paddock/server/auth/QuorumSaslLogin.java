package dev.paddock.server.auth;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.sasl.AuthorizeCallback;
import javax.security.sasl.RealmCallback;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DIGEST-MD5 between members, from the JAAS sections ZooKeeper 3.9.5 reads for quorum SASL: the learner section
 * ({@code quorum.auth.learner.saslLoginContext}, default QuorumLearner) holds this member's {@code username} and
 * {@code password}, the server section ({@code quorum.auth.server.saslLoginContext}, default QuorumServer) the
 * {@code user_<name>="<password>"} entries it accepts. The mechanism runs with ZooKeeper's quorum protocol and
 * server names; an accepted peer's authentication and authorization ids must be equal, as ZooKeeper's
 * SaslQuorumServerCallbackHandler requires. Kerberos sections are refused at start (GSSAPI is not served).
 */
public final class QuorumSaslLogin {
    private static final Logger LOG = LoggerFactory.getLogger(QuorumSaslLogin.class);
    private static final String PROTOCOL = "zookeeper-quorum";
    private static final String SERVER_NAME = "zk-quorum-sasl-md5";
    private static final String USER_PREFIX = "user_";

    private final String username;
    private final String password;
    private final Map<String, String> users;

    private QuorumSaslLogin(String username, String password, Map<String, String> users) {
        this.username = username;
        this.password = password;
        this.users = Map.copyOf(users);
    }

    /** @throws IOException with ZooKeeper's message when a section is missing, or when one asks for Kerberos */
    public static QuorumSaslLogin fromJaas(String learnerSection, String serverSection) throws IOException {
        Map<String, String> users = new HashMap<>();
        for (AppConfigurationEntry e : section(serverSection)) {
            e.getOptions().forEach((k, v) -> {
                if (k.startsWith(USER_PREFIX)) {
                    users.put(k.substring(USER_PREFIX.length()), String.valueOf(v));
                }
            });
        }
        String user = null;
        String pass = null;
        for (AppConfigurationEntry e : section(learnerSection)) {
            Object u = e.getOptions().get("username");
            Object p = e.getOptions().get("password");
            user = u == null ? user : u.toString();
            pass = p == null ? pass : p.toString();
        }
        LOG.info("Quorum SASL (DIGEST-MD5): learner section '{}' (user {}), server section '{}' ({} user(s))",
                learnerSection, user, serverSection, users.size());
        return new QuorumSaslLogin(user, pass, users);
    }

    private static AppConfigurationEntry[] section(String name) throws IOException {
        AppConfigurationEntry[] entries;
        try {
            entries = Configuration.getConfiguration().getAppConfigurationEntry(name);
        } catch (SecurityException e) {
            entries = null;
        }
        if (entries == null || entries.length == 0) {
            throw new IOException("Failed to initialize authentication mechanism using SASL: SASL-authentication "
                    + "failed because the specified JAAS configuration section '" + name + "' could not be found.");
        }
        for (AppConfigurationEntry e : entries) {
            if (e.getLoginModuleName().endsWith("Krb5LoginModule")) {
                throw new IOException("JAAS section '" + name + "' logs in with Kerberos (GSSAPI), which Paddock does "
                        + "not serve between members yet; use DIGEST-MD5 (DigestLoginModule)");
            }
        }
        return entries;
    }

    /** The connecting member's side of one exchange. */
    public SaslClient newClient() throws SaslException {
        if (username == null || password == null) {
            throw new SaslException("the quorum learner's JAAS section has no username and password");
        }
        SaslClient c = Sasl.createSaslClient(new String[] {"DIGEST-MD5"}, username, PROTOCOL, SERVER_NAME, null,
                callbacks -> {
                    for (Callback cb : callbacks) {
                        if (cb instanceof NameCallback nc) {
                            nc.setName(username);
                        } else if (cb instanceof PasswordCallback pc) {
                            pc.setPassword(password.toCharArray());
                        } else if (cb instanceof RealmCallback rc) {
                            rc.setText(rc.getDefaultText());
                        }
                    }
                });
        if (c == null) {
            throw new SaslException("this JVM offers no DIGEST-MD5 SASL client");
        }
        return c;
    }

    /** The accepting member's side of one exchange. */
    public SaslServer newServer() throws SaslException {
        SaslServer s = Sasl.createSaslServer("DIGEST-MD5", PROTOCOL, SERVER_NAME, null, new Users());
        if (s == null) {
            throw new SaslException("this JVM offers no DIGEST-MD5 SASL server");
        }
        return s;
    }

    private final class Users implements CallbackHandler {
        private String user;

        @Override
        public void handle(Callback[] callbacks) {
            for (Callback cb : callbacks) {
                if (cb instanceof NameCallback nc) {
                    if (users.containsKey(nc.getDefaultName())) {
                        nc.setName(nc.getDefaultName());
                        user = nc.getDefaultName();
                    } else {
                        LOG.warn("User '{}' not found in list of DIGEST-MD5 authenticateable users.",
                                nc.getDefaultName());
                    }
                } else if (cb instanceof PasswordCallback pc) {
                    if (user != null) {
                        pc.setPassword(users.get(user).toCharArray());
                    }
                } else if (cb instanceof RealmCallback rc) {
                    rc.setText(rc.getDefaultText());
                } else if (cb instanceof AuthorizeCallback ac) {
                    boolean same = ac.getAuthenticationID().equals(ac.getAuthorizationID());
                    ac.setAuthorized(same);
                    if (same) {
                        ac.setAuthorizedID(ac.getAuthorizationID());
                    }
                }
            }
        }
    }
}
