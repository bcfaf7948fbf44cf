package dev.paddock.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IpMatcherTest {
    @Test
    void matchesAddressesAndPrefixes() {
        assertThat(IpMatcher.matches("127.0.0.1", "127.0.0.1")).isTrue();
        assertThat(IpMatcher.matches("127.0.0.1", "127.0.0.2")).isFalse();
        assertThat(IpMatcher.matches("10.1.0.0/16", "10.1.200.3")).isTrue();
        assertThat(IpMatcher.matches("10.1.0.0/16", "10.2.0.1")).isFalse();
        assertThat(IpMatcher.matches("0:0:0:0:0:0:0:1", "::1")).isTrue();
        assertThat(IpMatcher.matches("fe80::/10", "fe80::1")).isTrue();
    }

    @Test
    void rejectsInvalidIds() {
        assertThat(IpMatcher.isValidId("300.1.1.1")).isFalse();
        assertThat(IpMatcher.isValidId("1.2.3")).isFalse();
        assertThat(IpMatcher.isValidId("1.2.3.4/33")).isFalse();
        assertThat(IpMatcher.isValidId("example.com")).isFalse();
        assertThat(IpMatcher.isValidId("1.2.3.4/24")).isTrue();
    }
}
