package dev.paddock.server.auth;

import java.util.Map;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.sasl.AuthorizeCallback;
import javax.security.sasl.RealmCallback;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SASL DIGEST-MD5 with the users and passwords of a JAAS section's {@code user_<name>="<password>"}
 * options, as ZooKeeper's server offers it: protocol "zookeeper", server name "zk-sasl-md5", and the
 * {@code super} user's password from {@code zookeeper.SASLAuthenticationProvider.superPassword} when set.
 */
final class DigestUsers implements SaslLogin.Mechanism {
    private static final Logger LOG = LoggerFactory.getLogger(DigestUsers.class);
    private static final String PROTOCOL = "zookeeper";
    private static final String SERVER_NAME = "zk-sasl-md5";

    private final Map<String, String> passwords;
    private final PrincipalNames names;
    private final String superPassword;

    DigestUsers(Map<String, String> passwords, PrincipalNames names, String superPassword) {
        this.passwords = Map.copyOf(passwords);
        this.names = names;
        this.superPassword = superPassword;
    }

    @Override
    public SaslServer newServer() throws SaslException {
        SaslServer server = Sasl.createSaslServer("DIGEST-MD5", PROTOCOL, SERVER_NAME, null, new Exchange());
        if (server == null) {
            throw new SaslException("this JVM offers no DIGEST-MD5 SASL server");
        }
        return server;
    }

    @Override
    public String describe() {
        return "DIGEST-MD5 with " + passwords.size() + " user(s)";
    }

    /** Answers one exchange's questions: the user's password, the realm, the authorization id. */
    private final class Exchange implements CallbackHandler {
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
                    SaslLogin.authorize(ac, names);
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
