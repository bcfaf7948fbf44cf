package dev.paddock.server.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * ZooKeeper's finalizeWait (one tick for a better vote still on its way) has nothing to wait for when this
 * member is the only voter of every configuration it knows: a standalone server elects itself at once.
 */
class ElectionSoleVoterTest {
    private static QuorumConfig config(Set<Integer> voters) {
        return new QuorumConfig(voters, Set.of(), 10, 5, 1L << 32);
    }

    @Test
    void theOnlyVoterWinsOnTheFirstDecision() {
        Election e = new Election(1, config(Set.of(1)));
        e.start(1, 0x100000005L);
        assertThat(e.decide()).isEqualTo(1);
    }

    @Test
    void aVoterAmongOthersStillWaitsOneTick() {
        Election e = new Election(1, config(Set.of(1, 2, 3)));
        e.start(1, 0x100000005L);
        e.receive(2, notification(e, 2));
        assertThat(e.decide()).as("first decision: the candidate is noted").isNull();
        assertThat(e.decide()).as("a tick later the vote has stood").isEqualTo(1);
    }

    @Test
    void theOnlyVoterOfTheConfigurationInForceWaitsWhileAnotherIsLogged() {
        Election e = new Election(1, config(Set.of(1)));
        e.loggedConfigs(List.of(config(Set.of(1, 2, 3))));
        e.start(1, 0x100000005L);
        assertThat(e.decide()).isNull();
    }

    /** Another voter's notification agreeing with this member's proposal. */
    private static Message.Notification notification(Election e, int from) {
        return new Message.Notification(e.proposal(), e.round(), Role.LOOKING);
    }
}
