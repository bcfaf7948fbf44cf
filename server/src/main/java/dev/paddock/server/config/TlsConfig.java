package dev.paddock.server.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.net.ssl.SSLContext;

/**
 * TLS on the client port, with ZooKeeper 3.9.5's keys: {@code secureClientPort} (and
 * {@code secureClientPortAddress}) opens a TLS-only port, {@code client.portUnification=true} lets the
 * plaintext port take TLS too; the {@code ssl.*} settings are read as zoo.cfg keys or as the
 * {@code zookeeper.ssl.*} system properties ZooKeeper reads.
 *
 * @param secureAddress     the TLS-only port's address, or null for none
 * @param plaintextPort     whether zoo.cfg asks for a plaintext client port ({@code clientPort}); without one a
 *                          server with a {@code secureClientPort} speaks TLS only
 * @param clientAuth        need (ZooKeeper's default), want or none
 * @param protocol          {@code ssl.protocol}: TLSv1.3 where the JVM has it, else TLSv1.2
 * @param enabledProtocols  {@code ssl.enabledProtocols}; by default the protocol (and TLSv1.2 below TLSv1.3)
 * @param cipherSuites      {@code ssl.ciphersuites}, or null for the JVM's defaults
 * @param x509SuperUser     {@code zookeeper.X509AuthenticationProvider.superUser}: the certificate subject that is super
 */
public record TlsConfig(
        InetSocketAddress secureAddress,
        boolean plaintextPort,
        boolean portUnification,
        Store keyStore,
        Store trustStore,
        String clientAuth,
        String protocol,
        List<String> enabledProtocols,
        List<String> cipherSuites,
        String x509SuperUser) {

    /** A key or trust store: its file, password and type (null: inferred from the file name). */
    public record Store(String location, String password, String type) {
    }

    /** Whether any client connection may speak TLS. */
    public boolean enabled() {
        return secureAddress != null || portUnification;
    }

    static TlsConfig of(Map<String, String> cfg, Properties system, InetAddress clientAddress, boolean plaintextPort)
            throws ConfigException {
        ZooKeeperKeys k = new ZooKeeperKeys(cfg, system);
        if (k.get("ssl.context.supplier.class") != null) {
            throw new ConfigException("ssl.context.supplier.class is not supported by Paddock: configure the key and "
                    + "trust stores with ssl.keyStore.* and ssl.trustStore.* instead");
        }
        String provider = k.get("ssl.authProvider");
        if (provider != null && !provider.equals("x509")) {
            throw new ConfigException("ssl.authProvider=" + provider + " is not supported by Paddock: only the x509 "
                    + "scheme (X509AuthenticationProvider) authenticates TLS clients");
        }
        InetSocketAddress secure = secureAddress(k, cfg, clientAddress);
        String clientAuth = k.getOr("ssl.clientAuth", "need").toLowerCase();
        if (!List.of("need", "want", "none").contains(clientAuth)) {
            throw new ConfigException("ssl.clientAuth must be need, want or none but is '" + clientAuth + "'");
        }
        String protocol = k.getOr("ssl.protocol", defaultProtocol());
        String enabled = k.get("ssl.enabledProtocols");
        List<String> protocols = enabled != null ? split(enabled)
                : protocol.equals("TLSv1.3") ? List.of("TLSv1.3", "TLSv1.2") : List.of(protocol);
        String ciphers = k.get("ssl.ciphersuites");
        return new TlsConfig(secure, plaintextPort, "true".equalsIgnoreCase(k.get("client.portUnification")),
                new Store(k.get("ssl.keyStore.location"), k.get("ssl.keyStore.password"), k.get("ssl.keyStore.type")),
                new Store(k.get("ssl.trustStore.location"), k.get("ssl.trustStore.password"),
                        k.get("ssl.trustStore.type")),
                clientAuth, protocol, protocols, ciphers == null ? null : split(ciphers),
                k.get("X509AuthenticationProvider.superUser"));
    }

    private static InetSocketAddress secureAddress(ZooKeeperKeys k, Map<String, String> cfg, InetAddress clientAddress)
            throws ConfigException {
        String port = cfg.get("secureClientPort");
        if (port == null) {
            return null;
        }
        int p;
        try {
            p = Integer.parseInt(port.strip());
        } catch (NumberFormatException e) {
            throw new ConfigException("secureClientPort must be a number but is '" + port + "'");
        }
        String address = cfg.get("secureClientPortAddress");
        try {
            InetAddress a = address != null ? InetAddress.getByName(address.strip()) : clientAddress;
            return a == null ? new InetSocketAddress(p) : new InetSocketAddress(a, p);
        } catch (UnknownHostException e) {
            throw new ConfigException("secureClientPortAddress: unknown host " + address);
        }
    }

    private static String defaultProtocol() {
        try {
            return Arrays.asList(SSLContext.getDefault().getSupportedSSLParameters().getProtocols()).contains("TLSv1.3")
                    ? "TLSv1.3" : "TLSv1.2";
        } catch (java.security.NoSuchAlgorithmException e) {
            return "TLSv1.2";
        }
    }

    private static List<String> split(String list) {
        return Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
