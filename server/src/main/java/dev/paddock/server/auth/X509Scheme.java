package dev.paddock.server.auth;

import javax.security.auth.x500.X500Principal;

/**
 * The "x509" ACL scheme: a TLS client is known by its certificate's subject DN (RFC 2253, as
 * {@code X500Principal.getName()} writes it), as ZooKeeper's X509AuthenticationProvider knows it. An id is
 * valid when it parses as a distinguished name.
 */
public final class X509Scheme {
    public static final String SCHEME = "x509";

    private X509Scheme() {
    }

    public static boolean isValidId(String id) {
        try {
            new X500Principal(id);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
