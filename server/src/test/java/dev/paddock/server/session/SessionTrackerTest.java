package dev.paddock.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.time.ManualClock;
import org.junit.jupiter.api.Test;

class SessionTrackerTest {
    private final ManualClock clock = new ManualClock(10_000);
    private final SessionTracker tracker = new SessionTracker(clock, 1000, 1);

    @Test
    void expiresOnTheTickAfterTheTimeout() {
        long id = tracker.newSessionId();
        tracker.add(id, 4000);
        clock.advanceMs(4000);
        assertThat(tracker.expired()).isEmpty();
        clock.advanceMs(1000);
        assertThat(tracker.expired()).containsExactly(id);
    }

    @Test
    void touchPushesTheDeadline() {
        long id = tracker.newSessionId();
        tracker.add(id, 2000);
        clock.advanceMs(1500);
        assertThat(tracker.touch(id)).isTrue();
        clock.advanceMs(1600);
        assertThat(tracker.expired()).isEmpty();
        clock.advanceMs(2000);
        assertThat(tracker.expired()).containsExactly(id);
    }

    @Test
    void idsCarryTheServerIdAndPasswordsAreStable() {
        long a = tracker.newSessionId();
        long b = tracker.newSessionId();
        assertThat(a >>> 56).isEqualTo(1);
        assertThat(b).isEqualTo(a + 1);
        assertThat(SessionTracker.passwordFor(a)).isEqualTo(SessionTracker.passwordFor(a)).hasSize(16);
        assertThat(SessionTracker.passwordFor(a)).isNotEqualTo(SessionTracker.passwordFor(b));
        tracker.remove(a);
        assertThat(tracker.touch(a)).isFalse();
    }

    /** ZooKeeper's own derivation (ZooKeeperServer.generatePasswd, package-private, reached by reflection). */
    @Test
    void passwordsAreTheOnesZooKeeperGives() throws Exception {
        java.lang.reflect.Method generate = org.apache.zookeeper.server.ZooKeeperServer.class
                .getDeclaredMethod("generatePasswd", long.class);
        generate.setAccessible(true);
        org.apache.zookeeper.server.ZooKeeperServer zk = new org.apache.zookeeper.server.ZooKeeperServer();
        for (long id : new long[] {1L, 0x1000000abcdefL, 0x7f00_0123_4567_89abL, -1L, tracker.newSessionId()}) {
            assertThat(SessionTracker.passwordFor(id)).as("session 0x%x", id).isEqualTo(generate.invoke(zk, id));
        }
    }
}
