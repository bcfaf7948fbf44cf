package dev.paddock.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.time.ManualClock;
import org.junit.jupiter.api.Test;

/** Local sessions in the tracker: expired by every server on its own, never reported to the leader. */
class LocalSessionTrackingTest {
    private final ManualClock clock = new ManualClock(10_000);
    private final SessionTracker tracker = new SessionTracker(clock, 1000, 2);

    @Test
    void aLocalSessionIsNeverReportedToTheLeaderUntilItIsGlobal() {
        tracker.recordTouches();
        long local = tracker.newSessionId();
        long global = tracker.newSessionId();
        tracker.addLocal(local, 4000);
        tracker.add(global, 4000);
        assertThat(tracker.drainTouched()).containsExactly(global);
        tracker.touch(local);
        assertThat(tracker.drainTouched()).isEmpty();
        tracker.makeGlobal(local);
        assertThat(tracker.isLocal(local)).isFalse();
        assertThat(tracker.drainTouched()).containsExactly(local);
        assertThat(tracker.localCount()).isZero();
    }

    @Test
    void aServerThatDoesNotDecideExpiryStillExpiresItsLocalSessions() {
        long local = tracker.newSessionId();
        long global = tracker.newSessionId();
        tracker.addLocal(local, 2000);
        tracker.add(global, 2000);
        assertThat(tracker.localCount()).isEqualTo(1);
        assertThat(tracker.globalSessionIds()).containsExactly(global);
        assertThat(tracker.globalTimeouts()).containsOnlyKeys(global);
        clock.advanceMs(3000);
        assertThat(tracker.expiredLocal()).containsExactly(local);
        assertThat(tracker.expiredLocal()).isEmpty();
        // the global session's deadline stays for the leader's expired(); the local one is tracked until removed
        assertThat(tracker.sessionsByDeadline(false).values()).flatMap(l -> l).containsExactly(global);
        assertThat(tracker.sessionsByDeadline(true)).isEmpty();
        assertThat(tracker.expired()).containsExactly(global);
        assertThat(tracker.isAlive(local)).isTrue();
        tracker.remove(local);
        assertThat(tracker.isLocal(local)).isFalse();
        assertThat(tracker.localSessions()).isEmpty();
    }
}
