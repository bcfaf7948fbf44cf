package dev.paddock.server.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An essential thread that dies, out of memory included, stops the process; one that ends normally does not. */
class EssentialThreadsTest {
    private final List<FatalFaults.Fault> faults = new CopyOnWriteArrayList<>();
    private Consumer<FatalFaults.Fault> previous;

    @BeforeEach
    void record() {
        previous = FatalFaults.setHandler(faults::add);
    }

    @AfterEach
    void restore() {
        FatalFaults.setHandler(previous);
    }

    @Test
    void aThreadThatDiesStopsTheProcess() throws Exception {
        Thread t = EssentialThreads.netty("essential-test").newThread(() -> {
            throw new OutOfMemoryError("Java heap space");
        });
        t.setUncaughtExceptionHandler((thread, e) -> { });
        t.start();
        t.join();
        assertThat(faults).hasSize(1);
        assertThat(faults.get(0).exitStatus()).isEqualTo(FatalFaults.UNEXPECTED_ERROR);
        assertThat(faults.get(0).message()).contains("essential-test");
        assertThat(faults.get(0).cause()).isInstanceOf(OutOfMemoryError.class);
    }

    @Test
    void aThreadThatEndsNormallyDoesNot() throws Exception {
        Thread t = new Thread(EssentialThreads.guard("quiet", () -> { }));
        t.start();
        t.join();
        assertThat(faults).isEmpty();
    }
}
