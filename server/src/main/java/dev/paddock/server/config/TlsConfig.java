package dev.paddock.server.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * TLS on the client port, with ZooKeeper 3.9.5's keys: {@code secureClientPort} (and
 * {@code secureClientPortAddress}) opens a TLS-only port, {@code client.portUnification=true} lets the
 * plaintext port take TLS too; the {@code ssl.*} settings ({@link TlsSettings}) are read as zoo.cfg keys or as
 * the {@code zookeeper.ssl.*} system properties ZooKeeper reads.
 *
 * @param secureAddress     the TLS-only port's address, or null for none
 * @param plaintextPort     whether zoo.cfg asks for a plaintext client port ({@code clientPort}); without one a
 *                          server with a {@code secureClientPort} speaks TLS only
 * @param settings          the stores, client authentication, protocols, cipher suites and host name checks
 * @param x509SuperUser     {@code zookeeper.X509AuthenticationProvider.superUser}: the certificate subject that is super
 */
public record TlsConfig(
        InetSocketAddress secureAddress,
        boolean plaintextPort,
        boolean portUnification,
        TlsSettings settings,
        String x509SuperUser) {

    /** A key or trust store: its file, password and type (null: inferred from the file name). */
    public record Store(String location, String password, String type) {
    }

    /** Whether any client connection may speak TLS. */
    public boolean enabled() {
        return secureAddress != null || portUnification;
    }

    public Store keyStore() {
        return settings.keyStore();
    }

    public Store trustStore() {
        return settings.trustStore();
    }

    public String clientAuth() {
        return settings.clientAuth();
    }

    public List<String> enabledProtocols() {
        return settings.enabledProtocols();
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
        return new TlsConfig(secure, plaintextPort, "true".equalsIgnoreCase(k.get("client.portUnification")),
                TlsSettings.of(k, TlsSettings.CLIENT_PREFIX), k.get("X509AuthenticationProvider.superUser"));
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
}
