package dev.paddock.server.fault;

import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where the process stops because of a bug or a storage failure (KRaft's fatal fault
 * handler, ZooKeeper's {@code requestSystemExit}). A replicated state machine that carries on after an
 * unexpected exception can diverge silently from its peers; stopping is the only safe answer, and the
 * ensemble carries on without this member.
 *
 * <p>The default handler logs the fault and exits the JVM from a separate thread (so a shutdown hook that
 * waits for the calling thread cannot deadlock). Tests that run several servers in one JVM install a
 * recording handler with {@link #setHandler}.
 */
public final class FatalFaults {
    private static final Logger LOG = LoggerFactory.getLogger(FatalFaults.class);

    /** Exit statuses, numbered as ZooKeeper's {@code ExitCode} where one matches. */
    public static final int UNEXPECTED_ERROR = 1;
    public static final int STORAGE_ERROR = 3;
    public static final int QUORUM_ERROR = 13;

    /** What stopped the process. */
    public record Fault(int exitStatus, String message, Throwable cause) {
    }

    private static volatile Consumer<Fault> handler = FatalFaults::exit;

    private FatalFaults() {
    }

    /** Reports a fault that leaves this process's state untrustworthy; the handler stops the process. */
    public static void stop(int exitStatus, String message, Throwable cause) {
        handler.accept(new Fault(exitStatus, message, cause));
    }

    /** Replaces the handler and returns the previous one (tests only). */
    public static Consumer<Fault> setHandler(Consumer<Fault> newHandler) {
        Consumer<Fault> previous = handler;
        handler = Objects.requireNonNull(newHandler);
        return previous;
    }

    private static void exit(Fault fault) {
        LOG.error("FATAL: {}; stopping the server (exit status {})", fault.message(), fault.exitStatus(),
                fault.cause());
        System.err.println("FATAL: " + fault.message() + (fault.cause() == null ? "" : ": " + fault.cause()));
        Thread exit = new Thread(() -> System.exit(fault.exitStatus()), "paddock-exit");
        exit.setDaemon(false);
        exit.start();
    }
}
