package dev.paddock.bench;

/**
 * The {@code latency} section's knobs per mode (its mixes, payloads and keys are the {@code load} section's):
 * open-loop sessions, the bound on requests outstanding per session, and each point's warm-up and measured
 * window. At half of ZooKeeper's peak the measured window holds thousands of requests per second, so p99.9
 * rests on some tens of samples even in quick mode.
 */
record LatencySettings(int sessions, int maxOutstandingPerSession, int warmupMs, int measureMs) {

    static LatencySettings forMode(String mode) {
        return switch (mode) {
            case "smoke" -> new LatencySettings(4, 256, 100, 500);
            case "quick" -> new LatencySettings(32, 256, 1000, 4000);
            case "full" -> new LatencySettings(64, 256, 2000, 15_000);
            default -> throw new IllegalArgumentException("unknown mode " + mode + " (quick, full, smoke)");
        };
    }
}
