package dev.paddock.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.config.ThrottleSettings;
import dev.paddock.server.net.ConnectionThrottle.Kind;
import dev.paddock.server.time.ManualClock;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConnectionThrottleTest {
    private final ManualClock clock = new ManualClock(1_000);

    private static ThrottleSettings bucket(int tokens, int fillTimeMs, int fillCount) {
        return new ThrottleSettings(tokens, fillTimeMs, fillCount, -1, 0.02, 0.002, 0, false, 3, 1, 2);
    }

    @Test
    void offAdmitsEveryone() {
        ConnectionThrottle t = new ConnectionThrottle(ThrottleSettings.off(), clock, new SplittableRandom(1));
        for (int i = 0; i < 10_000; i++) {
            assertThat(t.admit(Kind.NEW_SESSION)).isTrue();
        }
    }

    @Test
    void theBucketEmptiesAndRefillsWithTime() {
        ConnectionThrottle t = new ConnectionThrottle(bucket(2, 1_000, 1), clock, new SplittableRandom(1));
        assertThat(t.admit(Kind.NEW_SESSION)).isTrue();
        assertThat(t.admit(Kind.RENEWAL)).isTrue();
        assertThat(t.admit(Kind.NEW_SESSION)).isFalse();
        clock.advanceMs(1_000);
        assertThat(t.admit(Kind.NEW_SESSION)).as("not yet past the fill time").isFalse();
        clock.advanceMs(1);
        assertThat(t.admit(Kind.NEW_SESSION)).isTrue();
        assertThat(t.admit(Kind.NEW_SESSION)).isFalse();
        clock.advanceMs(60_000);
        assertThat(t.admit(Kind.NEW_SESSION)).isTrue();
        assertThat(t.admit(Kind.NEW_SESSION)).as("never more than the bucket holds").isTrue();
        assertThat(t.admit(Kind.NEW_SESSION)).isFalse();
    }

    @Test
    void weightsChargeNewSessionsMoreThanRenewals() {
        // As configured with weighing on: 2 tokens and a fill of 1 become 6 and 3 (scaled by the global weight).
        ThrottleSettings s = new ThrottleSettings(6, 1_000, 3, -1, 0.02, 0.002, 0, true, 3, 1, 2);
        ConnectionThrottle t = new ConnectionThrottle(s, clock, new SplittableRandom(1));
        assertThat(t.admit(Kind.NEW_SESSION)).isTrue();
        assertThat(t.admit(Kind.RENEWAL)).isTrue();
        assertThat(t.admit(Kind.NEW_SESSION)).as("1 token left").isFalse();
        assertThat(t.admit(Kind.LOCAL_SESSION)).isTrue();
    }

    @Test
    void blueDropsWhileTheBucketStaysEmptyAndRecoversWhenItFills() {
        ThrottleSettings s = new ThrottleSettings(1, 1_000_000, 1, 100, 1.0, 1.0, 1.0, false, 3, 1, 2);
        ConnectionThrottle t = new ConnectionThrottle(s, clock, new SplittableRandom(1));
        assertThat(t.admit(Kind.NEW_SESSION)).isTrue();
        clock.advanceMs(101);
        assertThat(t.admit(Kind.NEW_SESSION)).isFalse();
        assertThat(t.dropChance()).as("empty past a freeze time: drop everything").isEqualTo(1.0);
        clock.advanceMs(1_000_000);
        // The bucket refills; the next adjustment lowers the drop chance again.
        assertThat(t.admit(Kind.NEW_SESSION)).isTrue();
        assertThat(t.dropChance()).isZero();
    }
}
