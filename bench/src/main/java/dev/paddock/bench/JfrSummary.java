package dev.paddock.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Structural evidence from a server's JFR recording, the same for both servers: how many fsyncs it made
 * and how many took over 10 ms, and how long the collector stopped it. On a shared machine these say more
 * than one latency percentile does. The recording must hold every {@code jdk.FileForce} event
 * ({@link #FLAGS} lowers its threshold to zero).
 */
record JfrSummary(long fsyncs, long fsyncsOver10Ms, double fsyncMaxMs, long gcPauses, double gcPauseTotalMs,
                  double gcPauseMaxMs, double seconds) {

    /** Settings appended to {@code -XX:StartFlightRecording}: every fsync is recorded, however short. */
    static final String FLAGS = "jdk.FileForce#threshold=0ms";

    static JfrSummary read(Path recording) throws IOException {
        long fsyncs = 0;
        long slow = 0;
        double fsyncMax = 0;
        long pauses = 0;
        double pauseTotal = 0;
        double pauseMax = 0;
        Instant first = null;
        Instant last = null;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                String name = e.getEventType().getName();
                double ms = e.getDuration().toNanos() / 1e6;
                if (name.equals("jdk.FileForce")) {
                    fsyncs++;
                    slow += ms > 10 ? 1 : 0;
                    fsyncMax = Math.max(fsyncMax, ms);
                    first = first == null || e.getStartTime().isBefore(first) ? e.getStartTime() : first;
                    last = last == null || e.getEndTime().isAfter(last) ? e.getEndTime() : last;
                } else if (name.equals("jdk.GCPhasePause")) {
                    pauses++;
                    pauseTotal += ms;
                    pauseMax = Math.max(pauseMax, ms);
                }
            }
        }
        double seconds = first == null ? 0 : Duration.between(first, last).toNanos() / 1e9;
        return new JfrSummary(fsyncs, slow, fsyncMax, pauses, pauseTotal, pauseMax, seconds);
    }
}
