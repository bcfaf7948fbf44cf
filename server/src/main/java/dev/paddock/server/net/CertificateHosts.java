package dev.paddock.server.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Whether a certificate names a host, as ZooKeeper's ZKTrustManager and ZKHostnameVerifier decide it: the
 * peer's address against the certificate's IP subject alternative names first; failing that, and only if
 * reverse lookups are allowed (ZooKeeper allows them between members, not on the client port), the name the
 * address resolves back to against its DNS names (or its common name when it has none), a leading
 * {@code *.} matching one label.
 */
final class CertificateHosts {
    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    private CertificateHosts() {
    }

    /** @throws CertificateException when the certificate does not name the peer */
    static void verify(String peerHost, X509Certificate cert, boolean reverseDnsLookup) throws CertificateException {
        InetAddress address;
        try {
            // A null host is what a server-side engine without a peer has: ZooKeeper resolves it (loopback) too.
            address = InetAddress.getByName(peerHost);
        } catch (UnknownHostException e) {
            throw new CertificateException("Failed to verify host " + peerHost, e);
        }
        if (namesAddress(cert, address)) {
            return;
        }
        if (!reverseDnsLookup && address.toString().startsWith("/")) {
            throw new CertificateException("Failed to verify host address " + address.getHostAddress()
                    + ", and reverse lookup is disabled");
        }
        String name = address.getHostName();
        if (!namesHost(cert, name)) {
            throw new CertificateException("Failed to verify both host address " + address.getHostAddress()
                    + " and host name " + name + " against the certificate of " + cert.getSubjectX500Principal());
        }
    }

    private static boolean namesAddress(X509Certificate cert, InetAddress address) throws CertificateException {
        for (List<?> san : alternativeNames(cert)) {
            if (((Integer) san.get(0)) == IP_ADDRESS) {
                try {
                    if (InetAddress.getByName((String) san.get(1)).equals(address)) {
                        return true;
                    }
                } catch (UnknownHostException e) {
                    // not an address after all: it names nothing
                }
            }
        }
        return false;
    }

    private static boolean namesHost(X509Certificate cert, String host) throws CertificateException {
        String h = host.toLowerCase(Locale.ROOT);
        boolean anyDns = false;
        for (List<?> san : alternativeNames(cert)) {
            if (((Integer) san.get(0)) == DNS_NAME) {
                anyDns = true;
                if (matches(h, ((String) san.get(1)).toLowerCase(Locale.ROOT))) {
                    return true;
                }
            }
        }
        if (anyDns) {
            return false;
        }
        String cn = commonName(cert);
        return cn != null && matches(h, cn.toLowerCase(Locale.ROOT));
    }

    static boolean matches(String host, String pattern) {
        if (pattern.startsWith("*.")) {
            int dot = host.indexOf('.');
            return dot > 0 && host.substring(dot).equals(pattern.substring(1));
        }
        return host.equals(pattern);
    }

    private static Collection<List<?>> alternativeNames(X509Certificate cert) throws CertificateException {
        try {
            Collection<List<?>> names = cert.getSubjectAlternativeNames();
            return names == null ? List.of() : names;
        } catch (CertificateParsingException e) {
            throw new CertificateException("unreadable subject alternative names", e);
        }
    }

    private static String commonName(X509Certificate cert) {
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }
}
