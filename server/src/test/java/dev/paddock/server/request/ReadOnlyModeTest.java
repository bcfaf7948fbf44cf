package dev.paddock.server.request;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.time.ManualClock;
import dev.paddock.wire.proto.Id;
import dev.paddock.wire.proto.Request;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a member without a leader turns read-only: after ZooKeeper's grace period, timed from each outage. */
class ReadOnlyModeTest {
    private final ManualClock clock = new ManualClock(50_000);
    private final Switchable writePath = new Switchable();

    @Test
    void readOnlyOnlyAfterTheGracePeriodWithoutALeader() {
        ReadOnlyMode mode = new ReadOnlyMode(true, 200, clock, writePath);
        clock.advanceMs(1999);
        assertThat(mode.active()).isFalse();
        clock.advanceMs(1);
        assertThat(mode.active()).isTrue();
        writePath.serving = true;
        assertThat(mode.active()).isFalse();
        writePath.serving = false;
        mode.observe(); // the outage starts here
        clock.advanceMs(1500);
        assertThat(mode.active()).isFalse();
        mode.restart(); // a new election round: the grace starts again
        clock.advanceMs(1500);
        assertThat(mode.active()).isFalse();
        clock.advanceMs(500);
        assertThat(mode.active()).isTrue();
    }

    @Test
    void theGraceIsATickWhenTicksAreLongerAndNothingWithoutTheSetting() {
        ReadOnlyMode mode = new ReadOnlyMode(true, 3000, clock, writePath);
        clock.advanceMs(2999);
        assertThat(mode.active()).isFalse();
        clock.advanceMs(1);
        assertThat(mode.active()).isTrue();
        ReadOnlyMode off = ReadOnlyMode.disabled(clock, writePath);
        clock.advanceMs(60_000);
        assertThat(off.active()).isFalse();
    }

    private static final class Switchable implements WritePath {
        boolean serving;

        @Override
        public void submit(long sessionId, List<Id> identities, Request request, Callback callback) {
            throw new AssertionError("no writes here");
        }

        @Override
        public void sync(Runnable caughtUp) {
            throw new AssertionError("no syncs here");
        }

        @Override
        public boolean serving() {
            return serving;
        }

        @Override
        public boolean decidesExpiry() {
            return false;
        }

        @Override
        public String mode() {
            return serving ? "follower" : "looking";
        }
    }
}
