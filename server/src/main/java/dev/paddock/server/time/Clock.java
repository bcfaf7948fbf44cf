package dev.paddock.server.time;

/**
 * The only source of time for decisions in the server: deadlines, expiry, ticks and znode times all come
 * from a Clock, so tests and the simulation drive time by hand. The system clock is read directly in one
 * kind of place only: measuring how long storage work took (recovery, snapshot capture) for log lines,
 * which never decides anything.
 */
public interface Clock {
    /** Wall-clock milliseconds, used for znode ctime/mtime. */
    long wallMs();

    /** Monotonic milliseconds, used for deadlines (session expiry, TTLs of connections). */
    long monotonicMs();

    Clock SYSTEM = new Clock() {
        @Override
        public long wallMs() {
            return System.currentTimeMillis();
        }

        @Override
        public long monotonicMs() {
            return System.nanoTime() / 1_000_000L;
        }
    };
}
