package dev.paddock.server.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.config.ServerConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A running member's ensemble_status asks the members of the configuration in force (its text, as conf and
 * /zookeeper/config show it after a reconfig), not those it started with; a text without servers keeps the
 * members it started with.
 */
class EnsembleStatusTargetsTest {
    private static final List<MemberTarget> AT_START = List.of(new MemberTarget(1, "127.0.0.1", 2181, 9090, false),
            new MemberTarget(2, "127.0.0.1", 2182, 9090, false), new MemberTarget(3, "127.0.0.1", 2183, 9090, false));

    @Test
    void theMembersOfTheConfigurationInForce() throws Exception {
        String afterReconfig = "server.1=127.0.0.1:2888:3888:participant;127.0.0.1:2181\n"
                + "server.4=127.0.0.1:2889:3889:observer;127.0.0.1:2184\nversion=100000003\n";
        List<MemberTarget> targets = EnsembleStatus.targetsInForce(ServerConfig.embeddedDefault(), afterReconfig,
                AT_START);
        assertThat(targets).containsExactly(new MemberTarget(1, "127.0.0.1", 2181, 9090, false),
                new MemberTarget(4, "127.0.0.1", 2184, 9090, true));
    }

    @Test
    void withoutServersTheMembersItStartedWith() throws Exception {
        assertThat(EnsembleStatus.targetsInForce(ServerConfig.embeddedDefault(), "", AT_START)).isEqualTo(AT_START);
        assertThat(EnsembleStatus.targetsInForce(ServerConfig.embeddedDefault(), "server.x=nonsense", AT_START))
                .isEqualTo(AT_START);
    }
}
