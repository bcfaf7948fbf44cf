package dev.paddock.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time a server process has used, from {@code /proc/<pid>/stat} (user + system time of every thread,
 * collector and JIT included). The load generator shares the machine's cores with the server, so a server
 * that needs less CPU per operation may show it here before it can show it as throughput.
 */
final class ProcessCpu {
    /** Clock ticks per second of /proc's times; 100 on every Linux this runs on, asked once. */
    private static final long TICKS_PER_SECOND = ticksPerSecond();

    private ProcessCpu() {
    }

    /** CPU time used by every process in {@code pids} so far, in nanoseconds; -1 when /proc cannot tell. */
    static long nanos(List<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            long one = nanos(pid);
            if (one < 0) {
                return -1;
            }
            sum += one;
        }
        return sum;
    }

    static long nanos(long pid) {
        try {
            return parseTicks(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))) * 1_000_000_000L
                    / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * utime + stime, fields 14 and 15 of the line. The second field (the command) is in parentheses and may
     * hold spaces, so fields are counted after its closing parenthesis.
     */
    static long parseTicks(String stat) {
        String rest = stat.substring(stat.lastIndexOf(')') + 2);
        String[] f = rest.trim().split("\\s+");
        // rest starts at field 3 (state): field n is f[n - 3].
        return Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
    }

    /** Microseconds of server CPU per operation between two readings; NaN when either failed or no ops. */
    static double microsPerOp(long before, long after, long ops) {
        if (before < 0 || after < 0 || ops <= 0) {
            return Double.NaN;
        }
        return (after - before) / 1e3 / ops;
    }

    private static long ticksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            return p.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
