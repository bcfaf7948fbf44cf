package dev.paddock.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The sasl id a name becomes, as ZooKeeper's SaslServerCallbackHandler with the DEFAULT auth_to_local
 * rule and zookeeper.kerberos.removeHostFromPrincipal / removeRealmFromPrincipal.
 */
class PrincipalNamesTest {
    @Test
    void simpleNamesStayAsTheyAre() {
        assertThat(new PrincipalNames("EXAMPLE.COM", true, true).canonical("kafka")).isEqualTo("kafka");
        assertThat(new PrincipalNames("", false, false).canonical("svc/host")).isEqualTo("svc/host");
    }

    @Test
    void hostAndRealmAreKeptUnlessRemoved() {
        String principal = "zk/host.example.com@EXAMPLE.COM";
        assertThat(new PrincipalNames("EXAMPLE.COM", false, false).canonical(principal)).isEqualTo(principal);
        assertThat(new PrincipalNames("EXAMPLE.COM", true, false).canonical(principal)).isEqualTo("zk@EXAMPLE.COM");
        assertThat(new PrincipalNames("EXAMPLE.COM", false, true).canonical(principal)).isEqualTo("zk/host.example.com");
        assertThat(new PrincipalNames("EXAMPLE.COM", true, true).canonical(principal)).isEqualTo("zk");
        assertThat(new PrincipalNames("EXAMPLE.COM", true, true).canonical("bob@EXAMPLE.COM")).isEqualTo("bob");
    }

    @Test
    void anotherRealmMatchesNoRule() {
        assertThat(new PrincipalNames("EXAMPLE.COM", true, true).canonical("bob@OTHER.ORG")).isNull();
        assertThat(new PrincipalNames("", true, true).canonical("bob@EXAMPLE.COM")).isNull();
    }

    @Test
    void saslIdsMustReadAsPrincipals() {
        assertThat(SaslScheme.isValidId("bob")).isTrue();
        assertThat(SaslScheme.isValidId("zk/host@R")).isTrue();
        assertThat(SaslScheme.isValidId("a@b@c")).isFalse();
        assertThat(SaslScheme.matches("super", "anyone")).isTrue();
        assertThat(SaslScheme.matches("bob", "carol")).isFalse();
    }
}
