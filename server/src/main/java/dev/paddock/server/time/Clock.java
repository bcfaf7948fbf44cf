package dev.paddock.server.time;

/**
 * The only source of time in the server. Logic takes a Clock so tests can drive time by hand; nothing
 * below this interface reads the system clock.
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
