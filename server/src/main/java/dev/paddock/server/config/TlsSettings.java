package dev.paddock.server.config;

import java.util.Arrays;
import java.util.List;

/**
 * One side's TLS settings as ZooKeeper 3.9.5's X509Util reads them under a prefix: {@code ssl.} for the
 * client port (ClientX509Util), {@code ssl.quorum.} between members (QuorumX509Util).
 *
 * @param clientAuth                 need (ZooKeeper's default), want or none
 * @param protocol                   {@code <prefix>protocol}: TLSv1.3 where the JVM has it, else TLSv1.2
 * @param enabledProtocols           {@code <prefix>enabledProtocols}; by default the protocol (and TLSv1.2 below
 *                                   TLSv1.3)
 * @param cipherSuites               {@code <prefix>ciphersuites}, or null for the JVM's defaults
 * @param hostnameVerification       {@code <prefix>hostnameVerification} (default true): a connecting side checks
 *                                   the host it dialled against the certificate it is shown
 * @param clientHostnameVerification whether the accepting side checks a client certificate against the client's
 *                                   address: {@code <prefix>clientHostnameVerification}, by default false for the
 *                                   client port and true between members (as ZooKeeper's two X509Utils decide),
 *                                   and never when hostnameVerification is false
 * @param reverseDnsLookup           whether a failed address check may try the peer's reverse-resolved name:
 *                                   {@code <prefix>allowReverseDnsLookup}, by default false for the client port and
 *                                   true between members, as in ZooKeeper
 * @param quorum                     whether these are the {@code ssl.quorum.} settings (between members)
 * @param fipsMode                   {@code zookeeper.fips-mode} (default true), which changes how ZooKeeper 3.9.5
 *                                   applies the host name settings (see {@code net.TlsContexts})
 * @param sslProvider                {@code <prefix>sslProvider}: who does the TLS on the client port, {@code JDK}
 *                                   (ZooKeeper's default) or {@code OPENSSL} (BoringSSL through netty-tcnative),
 *                                   as ZooKeeper 3.9's ClientX509Util reads it; between members ZooKeeper uses
 *                                   the JDK's sockets whatever it says, and so does Paddock
 */
public record TlsSettings(
        TlsConfig.Store keyStore,
        TlsConfig.Store trustStore,
        String clientAuth,
        String protocol,
        List<String> enabledProtocols,
        List<String> cipherSuites,
        boolean hostnameVerification,
        boolean clientHostnameVerification,
        boolean reverseDnsLookup,
        boolean quorum,
        boolean fipsMode,
        String sslProvider) {

    /** The providers Netty knows; ZooKeeper takes the value by enum name, so the spelling is exact. */
    static final List<String> PROVIDERS = List.of("JDK", "OPENSSL", "OPENSSL_REFCNT");

    static final String CLIENT_PREFIX = "ssl.";
    static final String QUORUM_PREFIX = "ssl.quorum.";

    static TlsSettings of(ZooKeeperKeys k, String prefix) throws ConfigException {
        boolean quorum = prefix.equals(QUORUM_PREFIX);
        String clientAuth = k.getOr(prefix + "clientAuth", "need").toLowerCase();
        if (!List.of("need", "want", "none").contains(clientAuth)) {
            throw new ConfigException(prefix + "clientAuth must be need, want or none but is '" + clientAuth + "'");
        }
        String protocol = k.getOr(prefix + "protocol", defaultProtocol());
        String enabled = k.get(prefix + "enabledProtocols");
        List<String> protocols = enabled != null ? split(enabled)
                : protocol.equals("TLSv1.3") ? List.of("TLSv1.3", "TLSv1.2") : List.of(protocol);
        String ciphers = k.get(prefix + "ciphersuites");
        boolean hostnames = bool(k, prefix + "hostnameVerification", true);
        boolean clientHostnames = hostnames && bool(k, prefix + "clientHostnameVerification", quorum);
        String provider = k.getOr(prefix + "sslProvider", "JDK");
        if (!PROVIDERS.contains(provider)) {
            throw new ConfigException(prefix + "sslProvider must be one of " + PROVIDERS + " but is '" + provider + "'");
        }
        return new TlsSettings(
                new TlsConfig.Store(k.get(prefix + "keyStore.location"), k.get(prefix + "keyStore.password"),
                        k.get(prefix + "keyStore.type")),
                new TlsConfig.Store(k.get(prefix + "trustStore.location"), k.get(prefix + "trustStore.password"),
                        k.get(prefix + "trustStore.type")),
                clientAuth, protocol, protocols, ciphers == null ? null : split(ciphers), hostnames, clientHostnames,
                bool(k, prefix + "allowReverseDnsLookup", quorum), quorum, bool(k, "fips-mode", true), provider);
    }

    /** ZooKeeper's ZKConfig.getBoolean: "true" in any case is true, anything else false, absent the default. */
    static boolean bool(ZooKeeperKeys k, String key, boolean fallback) {
        String v = k.get(key);
        return v == null ? fallback : v.strip().equalsIgnoreCase("true");
    }

    /**
     * ZooKeeper's default: TLSv1.3 where the JVM supports it, which every Java 17 does (SunJSSE has it since
     * Java 11). Not probed with {@code SSLContext.getDefault()}, which loads the JVM's key and trust stores
     * and cost every start about a tenth of a second even without TLS.
     */
    private static String defaultProtocol() {
        return "TLSv1.3";
    }

    private static List<String> split(String list) {
        return Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
