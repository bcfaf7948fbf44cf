package dev.paddock.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.wire.proto.Id;
import org.junit.jupiter.api.Test;

class AuthInfoTest {
    private static final Id IP = new Id("ip", "127.0.0.1");
    private static final Id ALICE = new Id("digest", DigestAuth.digestOf("alice:pw"));
    private static final Id BOB = new Id("digest", DigestAuth.digestOf("bob:pw"));

    @Test
    void holdsEachIdentityOnce() {
        AuthInfo info = new AuthInfo();
        assertThat(info.add(IP)).isTrue();
        assertThat(info.add(ALICE)).isTrue();
        assertThat(info.add(new Id("digest", DigestAuth.digestOf("alice:pw")))).isFalse();
        assertThat(info.list()).containsExactly(IP, ALICE);
    }

    /** The orders ZooKeeper 3.9.5 answers whoAmI with (CheckOrderScenarios.identities), whatever the adds' order. */
    @Test
    void listsInZooKeepersOrderNotInTheOrderAdded() {
        AuthInfo one = new AuthInfo();
        one.add(IP);
        one.add(ALICE);
        one.add(BOB);
        AuthInfo other = new AuthInfo();
        other.add(IP);
        other.add(BOB);
        other.add(ALICE);
        assertThat(one.list()).containsExactly(BOB, IP, ALICE);
        assertThat(other.list()).containsExactly(BOB, IP, ALICE);
    }

    @Test
    void theListIsASnapshot() {
        AuthInfo info = new AuthInfo();
        info.add(IP);
        var before = info.list();
        info.add(ALICE);
        assertThat(before).containsExactly(IP);
    }
}
