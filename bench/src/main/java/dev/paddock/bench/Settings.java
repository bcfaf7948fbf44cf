package dev.paddock.bench;

import java.util.List;

/**
 * Every knob of one run. {@code quick} fits in ten minutes on two cores, {@code full} runs everything at
 * the sizes the issue names, {@code smoke} only proves that the harness works (CI, about 30 seconds).
 */
public record Settings(
        String mode,
        int rounds,
        String serverHeap,
        /** Mixed operations against each freshly started server before the jmh and load sections. */
        int serverWarmupMs,
        // JMH
        List<String> jmhBenchmarks,
        int jmhForks,
        int jmhWarmupIterations,
        int jmhWarmupMs,
        int jmhMeasureIterations,
        int jmhMeasureMs,
        // load generator
        int loadSessions,
        List<Integer> loadInFlightPerSession,
        List<Integer> loadPayloadBytes,
        List<String> loadMixes,
        int loadKeys,
        int loadWarmupMs,
        int loadMeasureMs,
        // watch fan-out: each count of watching sessions is one item
        List<Integer> fanoutSessions,
        int fanoutRepeats,
        // session churn
        int churnThreads,
        int churnWarmupMs,
        int churnMeasureMs,
        // scale
        int scaleZnodes,
        int scaleDataBytes,
        // ensemble: members of each server, sessions spread over them, in flight per session, heap per member
        int ensembleMembers,
        int ensembleSessions,
        List<Integer> ensembleInFlightPerSession,
        String ensembleHeap) {

    /** The mixes, by percentage of reads. */
    public static final List<String> ALL_MIXES = List.of("read100", "read90", "read50", "write100");

    public static Settings forMode(String mode) {
        return switch (mode) {
            case "quick" -> new Settings("quick", 2, "1g", 3000,
                    OpsBenchmark.ALL, 1, 1, 1000, 2, 1000,
                    4, List.of(1, 8, 64), List.of(100, 1024), ALL_MIXES, 1000, 400, 1200,
                    List.of(1000), 3,
                    4, 300, 2000,
                    50_000, 100,
                    3, 8, List.of(1, 16, 128), "512m");
            case "full" -> new Settings("full", 3, "4g", 10_000,
                    OpsBenchmark.ALL, 1, 3, 2000, 5, 2000,
                    16, List.of(1, 2, 8, 32, 128), List.of(100, 1024), ALL_MIXES, 10_000, 2000, 5000,
                    List.of(1000, 10_000), 5,
                    8, 1000, 10_000,
                    1_000_000, 100,
                    3, 8, List.of(1, 16, 128), "1g");
            case "smoke" -> new Settings("smoke", 1, "256m", 200,
                    List.of("getData", "setData"), 0, 1, 200, 1, 300,
                    2, List.of(1, 4), List.of(100), List.of("read90"), 50, 100, 300,
                    List.of(20), 1,
                    2, 50, 1500, // long enough for a few sessions even when fsyncs take 100 ms (a busy shared disk)
                    300, 100,
                    3, 3, List.of(2), "256m");
            default -> throw new IllegalArgumentException("unknown mode " + mode + " (quick, full, smoke)");
        };
    }

    /** The same settings with the load generator narrowed (for profiling one load point). */
    public Settings withLoad(List<String> mixes, List<Integer> payloads, List<Integer> inFlightPerSession) {
        return new Settings(mode, rounds, serverHeap, serverWarmupMs, jmhBenchmarks, jmhForks, jmhWarmupIterations,
                jmhWarmupMs, jmhMeasureIterations, jmhMeasureMs, loadSessions,
                inFlightPerSession == null ? loadInFlightPerSession : inFlightPerSession,
                payloads == null ? loadPayloadBytes : payloads, mixes == null ? loadMixes : mixes, loadKeys,
                loadWarmupMs, loadMeasureMs, fanoutSessions, fanoutRepeats, churnThreads, churnWarmupMs,
                churnMeasureMs, scaleZnodes, scaleDataBytes, ensembleMembers, ensembleSessions,
                ensembleInFlightPerSession, ensembleHeap);
    }

    /** The same settings with another number of interleaved rounds (more rounds, steadier medians). */
    public Settings withRounds(int newRounds) {
        if (newRounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1: " + newRounds);
        }
        return new Settings(mode, newRounds, serverHeap, serverWarmupMs, jmhBenchmarks, jmhForks, jmhWarmupIterations,
                jmhWarmupMs, jmhMeasureIterations, jmhMeasureMs, loadSessions, loadInFlightPerSession, loadPayloadBytes,
                loadMixes, loadKeys, loadWarmupMs, loadMeasureMs, fanoutSessions, fanoutRepeats, churnThreads,
                churnWarmupMs, churnMeasureMs, scaleZnodes, scaleDataBytes, ensembleMembers, ensembleSessions,
                ensembleInFlightPerSession, ensembleHeap);
    }

    /** The same settings with other counts of watching sessions for the fan-out section. */
    public Settings withFanout(List<Integer> sessions) {
        if (sessions == null) {
            return this;
        }
        if (sessions.isEmpty() || sessions.stream().anyMatch(n -> n < 1)) {
            throw new IllegalArgumentException("watcher counts must be at least 1: " + sessions);
        }
        return new Settings(mode, rounds, serverHeap, serverWarmupMs, jmhBenchmarks, jmhForks, jmhWarmupIterations,
                jmhWarmupMs, jmhMeasureIterations, jmhMeasureMs, loadSessions, loadInFlightPerSession, loadPayloadBytes,
                loadMixes, loadKeys, loadWarmupMs, loadMeasureMs, List.copyOf(sessions), fanoutRepeats, churnThreads,
                churnWarmupMs, churnMeasureMs, scaleZnodes, scaleDataBytes, ensembleMembers, ensembleSessions,
                ensembleInFlightPerSession, ensembleHeap);
    }

    /** The same settings with another number of znodes in the scale section (a smaller one while iterating). */
    public Settings withScaleZnodes(int znodes) {
        if (znodes < 1) {
            throw new IllegalArgumentException("scale znodes must be at least 1: " + znodes);
        }
        return new Settings(mode, rounds, serverHeap, serverWarmupMs, jmhBenchmarks, jmhForks, jmhWarmupIterations,
                jmhWarmupMs, jmhMeasureIterations, jmhMeasureMs, loadSessions, loadInFlightPerSession, loadPayloadBytes,
                loadMixes, loadKeys, loadWarmupMs, loadMeasureMs, fanoutSessions, fanoutRepeats, churnThreads,
                churnWarmupMs, churnMeasureMs, znodes, scaleDataBytes, ensembleMembers, ensembleSessions,
                ensembleInFlightPerSession, ensembleHeap);
    }

    /** Fraction of reads in a mix. */
    public static double readFraction(String mix) {
        return switch (mix) {
            case "read100" -> 1.0;
            case "read90" -> 0.9;
            case "read50" -> 0.5;
            case "write100" -> 0.0;
            default -> throw new IllegalArgumentException(mix);
        };
    }

    public static String mixLabel(String mix) {
        return switch (mix) {
            case "read100" -> "100% read";
            case "read90" -> "90/10 read/write";
            case "read50" -> "50/50 read/write";
            case "write100" -> "100% write";
            default -> mix;
        };
    }
}
