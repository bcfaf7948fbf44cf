package dev.paddock.server.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A member's configurations on their own: joint quorums while a reconfiguration is logged, what applying and
 * adopting one change, and when a member's part changed (the simulation covers them inside whole ensembles).
 */
class MemberConfigsTest {
    private static final QuorumConfig STATIC = new QuorumConfig(Set.of(1, 2, 3), Set.of(), 10, 5, Long.MAX_VALUE);
    private static final long RECONFIG = Zxid.of(1, 5);

    /** Reconfigurations are the entries it was told of; configurations to adopt are looked up by version. */
    private static final class ConfigHost extends QuietHost {
        final Map<Long, Roster> logged = new HashMap<>();
        final Map<Long, Roster> adoptable = new HashMap<>();

        @Override
        public Roster rosterOf(Entry entry) {
            return logged.get(entry.zxid());
        }

        @Override
        public Roster adoptConfig(long version, byte[] config) {
            return adoptable.get(version);
        }
    }

    private final ConfigHost host = new ConfigHost();

    private MemberConfigs configsOf(int myId) {
        return new MemberConfigs(myId, STATIC, 0, host, new Election(myId, STATIC));
    }

    private void logReconfig(MemberConfigs configs, Set<Integer> voters, Set<Integer> observers) {
        host.logged.put(RECONFIG, new Roster(RECONFIG, voters, observers));
        configs.logged(new Entry(RECONFIG, new byte[0]));
    }

    @Test
    void aLoggedReconfigurationNeedsBothQuorumsFromItsZxidOnUntilItApplies() {
        MemberConfigs configs = configsOf(1);
        logReconfig(configs, Set.of(3, 4, 5), Set.of());

        assertThat(configs.pending()).isTrue();
        assertThat(configs.isVoterAnywhere(5)).isTrue();
        assertThat(configs.isQuorumAt(RECONFIG - 1, Set.of(1, 2))).isTrue();
        assertThat(configs.isQuorumAt(RECONFIG, Set.of(1, 2))).isFalse();
        assertThat(configs.isQuorumAt(RECONFIG, Set.of(1, 3, 4))).isTrue();

        configs.applied(RECONFIG);
        assertThat(configs.pending()).isFalse();
        assertThat(configs.version()).isEqualTo(RECONFIG);
        assertThat(configs.inForce().voters()).containsExactly(3, 4, 5);
        assertThat(configs.inForce().initLimitTicks()).isEqualTo(STATIC.initLimitTicks());
        assertThat(configs.isQuorumAt(Long.MAX_VALUE, Set.of(1, 2, 3))).isFalse();
    }

    @Test
    void aPartChangesOnceWhenTheReconfigurationApplies() {
        MemberConfigs follower = configsOf(1);
        logReconfig(follower, Set.of(2, 3, 4), Set.of(1));
        assertThat(follower.partChanged(Role.FOLLOWING)).isFalse();

        follower.applied(RECONFIG);
        assertThat(follower.isObserver()).isTrue();
        assertThat(follower.partChanged(Role.FOLLOWING)).isTrue();
        assertThat(follower.partChanged(Role.FOLLOWING)).isFalse();

        MemberConfigs leader = configsOf(2);
        logReconfig(leader, Set.of(2, 3, 4), Set.of(1));
        leader.applied(RECONFIG);
        assertThat(leader.partChanged(Role.LEADING)).isFalse();
    }

    @Test
    void aLeaderRemovedFromTheVotersStepsDownAndAnObserverMadeAVoterRejoins() {
        MemberConfigs leader = configsOf(1);
        logReconfig(leader, Set.of(2, 3, 4), Set.of());
        leader.applied(RECONFIG);
        assertThat(leader.partChanged(Role.LEADING)).isTrue();

        MemberConfigs observer = new MemberConfigs(4, new QuorumConfig(Set.of(1, 2, 3), Set.of(4), 10, 5,
                Long.MAX_VALUE), 0, host, new Election(4, STATIC));
        logReconfig(observer, Set.of(1, 2, 3, 4), Set.of());
        observer.applied(RECONFIG);
        assertThat(observer.partChanged(Role.OBSERVING)).isTrue();
    }

    @Test
    void onlyANewerConfigurationIsAdoptedAndItSupersedesWhatWasLogged() {
        MemberConfigs configs = configsOf(1);
        logReconfig(configs, Set.of(3, 4, 5), Set.of());
        long newer = RECONFIG + 1;
        host.adoptable.put(newer, new Roster(newer, Set.of(1, 2, 4), Set.of()));

        configs.adopt(newer, new byte[0]);
        assertThat(configs.version()).isZero();

        configs.adopt(newer, "text".getBytes());
        assertThat(configs.version()).isEqualTo(newer);
        assertThat(configs.inForce().voters()).containsExactly(1, 2, 4);
        assertThat(configs.pending()).isFalse();
        assertThat(configs.partChanged(Role.FOLLOWING)).isFalse();

        host.adoptable.put(RECONFIG, new Roster(RECONFIG, Set.of(7, 8, 9), Set.of()));
        configs.adopt(RECONFIG, "older".getBytes());
        assertThat(configs.inForce().voters()).containsExactly(1, 2, 4);
    }
}
