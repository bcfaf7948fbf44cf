package dev.paddock.server.auth;

import java.io.IOException;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.Set;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.kerberos.KerberosPrincipal;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import javax.security.sasl.AuthorizeCallback;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;

/**
 * The server as a Kerberos service (SASL GSSAPI), as ZooKeeper's is when its JAAS "Server" section logs in
 * with Krb5LoginModule: the section's login (typically a keytab and a {@code zookeeper/<host>@REALM}
 * principal) is done once at start; each connection gets a GSSAPI server for the service name and host of
 * that principal, created and driven with the login's credentials. The authenticated client principal
 * becomes the sasl id through {@link PrincipalNames} (host and realm kept unless
 * {@code zookeeper.kerberos.remove*FromPrincipal} say otherwise).
 *
 * <p>An acceptor needs only the service key, which the keytab login holds for the process's life, so no
 * ticket renewal thread is needed (ZooKeeper's server refreshes its TGT, which a service does not use).
 */
final class KerberosService implements SaslLogin.Mechanism {
    private final Subject subject;
    private final String serviceName;
    private final String serviceHost;
    private final PrincipalNames names;

    private KerberosService(Subject subject, String serviceName, String serviceHost, PrincipalNames names) {
        this.subject = subject;
        this.serviceName = serviceName;
        this.serviceHost = serviceHost;
        this.names = names;
    }

    static KerberosService login(String section, PrincipalNames names) throws IOException {
        Subject subject;
        try {
            LoginContext context = new LoginContext(section, new NoCallbacks());
            context.login();
            subject = context.getSubject();
        } catch (LoginException e) {
            throw new IOException("Kerberos login of JAAS section '" + section + "' failed: " + e.getMessage(), e);
        }
        Set<KerberosPrincipal> principals = subject.getPrincipals(KerberosPrincipal.class);
        if (principals.isEmpty()) {
            throw new IOException("JAAS section '" + section + "' logged in without a Kerberos principal");
        }
        String principal = principals.iterator().next().getName();
        int slash = principal.indexOf('/');
        int at = principal.indexOf('@');
        if (slash <= 0 || at < slash) {
            throw new IOException("the Kerberos principal of JAAS section '" + section + "' must read "
                    + "<service>/<host>@<REALM> (e.g. zookeeper/zk1.example.com@EXAMPLE.COM), not '" + principal + "'");
        }
        return new KerberosService(subject, principal.substring(0, slash), principal.substring(slash + 1, at), names);
    }

    @Override
    public SaslServer newServer() throws SaslException {
        SaslServer server = asService(() -> Sasl.createSaslServer("GSSAPI", serviceName, serviceHost, null,
                new Authorizer()));
        if (server == null) {
            throw new SaslException("this JVM offers no GSSAPI SASL server");
        }
        return new AsService(server);
    }

    @Override
    public String describe() {
        return "Kerberos (GSSAPI) as " + serviceName + "/" + serviceHost;
    }

    private <T> T asService(PrivilegedExceptionAction<T> action) throws SaslException {
        try {
            return Subject.doAs(subject, action);
        } catch (PrivilegedActionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof SaslException se ? se : new SaslException(cause.getMessage(), cause);
        }
    }

    /** Authorizes every authenticated principal, under the id {@link PrincipalNames} makes of it. */
    private final class Authorizer implements CallbackHandler {
        @Override
        public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
            for (Callback callback : callbacks) {
                if (callback instanceof AuthorizeCallback ac) {
                    SaslLogin.authorize(ac, names);
                } else {
                    throw new UnsupportedCallbackException(callback);
                }
            }
        }
    }

    /** The keytab login needs no answers; a module that asks is misconfigured. */
    private static final class NoCallbacks implements CallbackHandler {
        @Override
        public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
            throw new UnsupportedCallbackException(callbacks[0], "the Kerberos login must not need a password "
                    + "prompt: give useKeyTab=true and keyTab=... in the JAAS section");
        }
    }

    /** A GSSAPI server whose token evaluation reads the service's credentials from the login. */
    private final class AsService implements SaslServer {
        private final SaslServer server;

        AsService(SaslServer server) {
            this.server = server;
        }

        @Override
        public String getMechanismName() {
            return server.getMechanismName();
        }

        @Override
        public byte[] evaluateResponse(byte[] response) throws SaslException {
            return asService(() -> server.evaluateResponse(response));
        }

        @Override
        public boolean isComplete() {
            return server.isComplete();
        }

        @Override
        public String getAuthorizationID() {
            return server.getAuthorizationID();
        }

        @Override
        public byte[] unwrap(byte[] incoming, int offset, int len) throws SaslException {
            return server.unwrap(incoming, offset, len);
        }

        @Override
        public byte[] wrap(byte[] outgoing, int offset, int len) throws SaslException {
            return server.wrap(outgoing, offset, len);
        }

        @Override
        public Object getNegotiatedProperty(String propName) {
            return server.getNegotiatedProperty(propName);
        }

        @Override
        public void dispose() throws SaslException {
            server.dispose();
        }
    }
}
