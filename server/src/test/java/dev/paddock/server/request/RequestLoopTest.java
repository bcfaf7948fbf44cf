package dev.paddock.server.request;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.fault.FatalFaults;
import dev.paddock.server.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An exception that escapes a request-thread task stops the process (through FatalFaults) and the loop; a
 * caller runs a task itself only when the loop is idle, and tasks keep their order either way.
 */
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

    @Test
    void anIdleLoopLetsTheCallerRunTheTask() throws Exception {
        List<Thread> ranOn = new CopyOnWriteArrayList<>();
        assertThat(loop.tryRunHere(() -> ranOn.add(Thread.currentThread()))).isTrue();
        assertThat(ranOn).containsExactly(Thread.currentThread());
    }

    @Test
    void aTaskHandedOverAndNotYetRunGoesFirst() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        loop.execute(() -> {
            running.countDown();
            await(gate);
        });
        List<String> order = new CopyOnWriteArrayList<>();
        loop.execute(() -> order.add("queued"));
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(loop.tryRunHere(() -> order.add("here"))).as("the loop is busy").isFalse();
        loop.runHereOrExecute(() -> order.add("after"));
        gate.countDown();
        CountDownLatch done = new CountDownLatch(1);
        loop.execute(done::countDown);
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(order).containsExactly("queued", "after");
    }

    @Test
    void aTasksFollowUpQueuesBehindIt() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        assertThat(loop.tryRunHere(() -> {
            loop.runHereOrExecute(() -> {
                order.add("follow-up");
                done.countDown();
            });
            order.add("task");
        })).isTrue();
        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(order).containsExactly("task", "follow-up");
    }

    /** Two submitters, each mixing both ways in: each one's tasks run in its order, one at a time. */
    @Test
    void tasksRunOneAtATimeInEachSubmittersOrder() throws Exception {
        int perSubmitter = 20_000;
        List<List<Integer>> seen = List.of(new ArrayList<>(), new ArrayList<>());
        int[] concurrent = {0};
        boolean[] overlap = {false};
        List<Thread> submitters = new ArrayList<>();
        for (int s = 0; s < 2; s++) {
            List<Integer> mine = seen.get(s);
            submitters.add(new Thread(() -> {
                for (int i = 0; i < perSubmitter; i++) {
                    int n = i;
                    Runnable task = () -> {
                        overlap[0] |= ++concurrent[0] != 1;
                        mine.add(n);
                        concurrent[0]--;
                    };
                    if (i % 3 == 0) {
                        loop.execute(task);
                    } else {
                        loop.runHereOrExecute(task);
                    }
                }
            }));
        }
        submitters.forEach(Thread::start);
        for (Thread t : submitters) {
            t.join(30_000);
        }
        CountDownLatch done = new CountDownLatch(1);
        loop.execute(done::countDown);
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        CountDownLatch read = new CountDownLatch(1);
        List<List<Integer>> copies = new CopyOnWriteArrayList<>();
        boolean[] overlapSeen = new boolean[1];
        loop.execute(() -> { // read the plain fields as the request thread
            copies.add(new ArrayList<>(seen.get(0)));
            copies.add(new ArrayList<>(seen.get(1)));
            overlapSeen[0] = overlap[0];
            read.countDown();
        });
        assertThat(read.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(overlapSeen[0]).as("two tasks ran at once").isFalse();
        for (List<Integer> copy : copies) {
            assertThat(copy).hasSize(perSubmitter).isSorted();
        }
    }

    @Test
    void aFailingTaskRunHereIsFatal() throws Exception {
        assertThat(loop.tryRunHere(() -> {
            throw new IllegalStateException("injected bug here");
        })).isTrue();
        assertThat(reported.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(faults.get(0).cause()).hasMessage("injected bug here");
        assertThat(loop.isRunning()).isFalse();
        AtomicBoolean later = new AtomicBoolean();
        assertThat(loop.tryRunHere(() -> later.set(true))).isFalse();
        assertThat(later).isFalse();
    }

    /** close() returns only after a task a caller was running as the request thread has finished. */
    @Test
    void closeWaitsForATaskRunningHere() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        Thread runner = new Thread(() -> loop.tryRunHere(() -> {
            started.countDown();
            await(release);
            finished.set(true);
        }));
        runner.start();
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        AtomicBoolean finishedWhenClosed = new AtomicBoolean();
        Thread closer = new Thread(() -> {
            loop.close();
            finishedWhenClosed.set(finished.get());
        });
        closer.start();
        while (closer.isAlive() && !waitsForTheTask(closer)) {
            Thread.onSpinWait();
        }
        release.countDown();
        closer.join(10_000);
        runner.join(10_000);
        assertThat(finishedWhenClosed).isTrue();
    }

    private static boolean waitsForTheTask(Thread closer) {
        for (StackTraceElement frame : closer.getStackTrace()) {
            if (frame.getMethodName().equals("tryLock")) {
                return true;
            }
        }
        return false;
    }
}
