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

    HostCheckingTrustManager(X509ExtendedTrustManager trust, boolean serverHosts, boolean clientHosts,
                             boolean reverseDnsLookup) {
        this.trust = trust;
        this.serverHosts = serverHosts;
        this.clientHosts = clientHosts;
        this.reverseDnsLookup = reverseDnsLookup;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        trust.checkClientTrusted(chain, authType, engine);
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
