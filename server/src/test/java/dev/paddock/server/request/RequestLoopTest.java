package dev.paddock.server.request;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.fault.FatalFaults;
import dev.paddock.server.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An exception that escapes a request-thread task stops the process (through FatalFaults) and the loop. */
class RequestLoopTest {
    private final List<FatalFaults.Fault> faults = new CopyOnWriteArrayList<>();
    private final CountDownLatch reported = new CountDownLatch(1);
    private Consumer<FatalFaults.Fault> previous;
    private RequestLoop loop;

    @BeforeEach
    void recordFaults() {
        previous = FatalFaults.setHandler(f -> {
            faults.add(f);
            reported.countDown();
        });
        loop = new RequestLoop(Clock.SYSTEM, "test-requests");
        loop.start();
    }

    @AfterEach
    void restore() {
        loop.close();
        FatalFaults.setHandler(previous);
    }

    private void assertStopsTheLoop(Runnable failing, Class<? extends Throwable> cause) throws Exception {
        AtomicBoolean later = new AtomicBoolean();
        CountDownLatch gate = new CountDownLatch(1);
        loop.execute(() -> await(gate)); // so the failing task and the next one share a batch
        loop.execute(failing);
        loop.execute(() -> later.set(true));
        gate.countDown();
        assertThat(reported.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(faults).hasSize(1);
        assertThat(faults.get(0).exitStatus()).isEqualTo(FatalFaults.UNEXPECTED_ERROR);
        assertThat(faults.get(0).cause()).isInstanceOf(cause);
        assertThat(loop.isRunning()).isFalse();
        loop.execute(() -> later.set(true)); // refused at once, does not block
        Thread.sleep(100);
        assertThat(later).as("no task runs after the failure").isFalse();
    }

    private static void await(CountDownLatch gate) {
        try {
            gate.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aRuntimeExceptionInATaskIsFatal() throws Exception {
        assertStopsTheLoop(() -> {
            throw new IllegalStateException("injected bug");
        }, IllegalStateException.class);
    }

    @Test
    void anErrorInATaskIsFatal() throws Exception {
        assertStopsTheLoop(() -> {
            throw new AssertionError("injected invariant");
        }, AssertionError.class);
    }

    @Test
    void aFailingPeriodicTaskIsFatal() throws Exception {
        loop.close();
        loop = new RequestLoop(Clock.SYSTEM, "test-requests");
        loop.every(10, () -> {
            throw new IllegalStateException("injected periodic bug");
        });
        loop.start();
        assertThat(reported.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(faults.get(0).cause()).hasMessage("injected periodic bug");
        assertThat(loop.isRunning()).isFalse();
    }
}
