package dev.paddock.server.net;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The trust store's verdict, then ZooKeeper's host name checks: a connecting side checks the certificate of the
 * server it dialled against the host it dialled ({@code hostnameVerification}); an accepting side checks a client
 * certificate against the client's address when {@code clientHostnameVerification} is on.
 */
final class HostCheckingTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager trust;
    private final boolean serverHosts;
    private final boolean clientHosts;
    private final boolean reverseDnsLookup;
    private final boolean refuseClients;

    /**
     * @param refuseClients refuse every client certificate (the client port's clientHostnameVerification as
     *                      ZooKeeper 3.9.5 applies it in fips-mode: the JDK's check against an engine without a
     *                      peer host never passes)
     */
    HostCheckingTrustManager(X509ExtendedTrustManager trust, boolean serverHosts, boolean clientHosts,
                             boolean reverseDnsLookup, boolean refuseClients) {
        this.trust = trust;
        this.refuseClients = refuseClients;
        this.serverHosts = serverHosts;
        this.clientHosts = clientHosts;
        this.reverseDnsLookup = reverseDnsLookup;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        trust.checkClientTrusted(chain, authType, engine);
        if (refuseClients) {
            throw new CertificateException("No name matching the client's host found (ssl.clientHostnameVerification "
                    + "with zookeeper.fips-mode=true refuses every client certificate, as in ZooKeeper 3.9.5)");
        }
        if (clientHosts) {
            CertificateHosts.verify(engine.getPeerHost(), chain[0], reverseDnsLookup);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        trust.checkServerTrusted(chain, authType, engine);
        if (serverHosts) {
            CertificateHosts.verify(engine.getPeerHost(), chain[0], reverseDnsLookup);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        trust.checkClientTrusted(chain, authType, socket);
        if (clientHosts) {
            CertificateHosts.verify(socket.getInetAddress().getHostAddress(), chain[0], reverseDnsLookup);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        trust.checkServerTrusted(chain, authType, socket);
        if (serverHosts) {
            CertificateHosts.verify(socket.getInetAddress().getHostAddress(), chain[0], reverseDnsLookup);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        trust.checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        trust.checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return trust.getAcceptedIssuers();
    }
}
