package dev.paddock.server.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** Host name checks as ZooKeeper's ZKTrustManager makes them: address first, then a name only if allowed. */
class CertificateHostsTest {
    private static X509Certificate cert(String subject, GeneralName... names) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair keys = g.generateKeyPair();
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(subject), BigInteger.TEN,
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(1))),
                new X500Name(subject), keys.getPublic());
        if (names.length > 0) {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }

    @Test
    void anAddressMatchesAnIpAlternativeName() throws Exception {
        X509Certificate c = cert("CN=member", new GeneralName(GeneralName.iPAddress, "10.1.2.3"));
        assertThatCode(() -> CertificateHosts.verify("10.1.2.3", c, false)).doesNotThrowAnyException();
        assertThatThrownBy(() -> CertificateHosts.verify("10.1.2.4", c, false))
                .isInstanceOf(CertificateException.class).hasMessageContaining("reverse lookup is disabled");
    }

    @Test
    void aNameIsTriedOnlyWhenReverseLookupsAreAllowedOrTheAddressCameWithOne() throws Exception {
        X509Certificate local = cert("CN=whatever", new GeneralName(GeneralName.dNSName, "localhost"));
        assertThatThrownBy(() -> CertificateHosts.verify("127.0.0.1", local, false))
                .isInstanceOf(CertificateException.class);
        // A null peer host is what ZooKeeper's client-port engines have: it resolves to loopback, named localhost.
        assertThatCode(() -> CertificateHosts.verify(null, local, false)).doesNotThrowAnyException();
        assertThatCode(() -> CertificateHosts.verify("localhost", local, false)).doesNotThrowAnyException();
    }

    @Test
    void theCommonNameCountsOnlyWithoutDnsAlternativeNames() throws Exception {
        assertThatCode(() -> CertificateHosts.verify("localhost", cert("CN=localhost"), false))
                .doesNotThrowAnyException();
        X509Certificate other = cert("CN=localhost", new GeneralName(GeneralName.dNSName, "other.example"));
        assertThatThrownBy(() -> CertificateHosts.verify("localhost", other, false))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void aWildcardMatchesOneLabel() {
        assertThat(CertificateHosts.matches("zk1.example.com", "*.example.com")).isTrue();
        assertThat(CertificateHosts.matches("a.zk1.example.com", "*.example.com")).isFalse();
        assertThat(CertificateHosts.matches("example.com", "*.example.com")).isFalse();
        assertThat(CertificateHosts.matches("zk1.example.com", "zk1.example.com")).isTrue();
    }
}
