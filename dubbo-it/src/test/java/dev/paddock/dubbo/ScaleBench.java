package dev.paddock.dubbo;

import dev.paddock.it.Coordinator;
import dev.paddock.it.Wait;
import dev.paddock.it.ZkInspector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A measurement, not a test: 200 services x 3 providers (child JVMs, register-mode all), two consumer
 * applications subscribed to all 200, on Paddock and then on ZooKeeper 3.9.5 in the same run. It reports
 * how long registration takes (until the server holds all 600 provider URLs), how long the consumers take
 * to list every provider, and how long a provider change takes to reach every consumer (a provider stopped
 * with SIGTERM, which unregisters; a provider started). Nothing is asserted on the figures; they are
 * written to target/dubbo-it-work/scale-results.txt. Tagged "scale": run with -Pdubbo-scale (README);
 * -Ddubbo.scale.rounds=N repeats it, alternating which server goes first, and reports medians.
 */
@Tag("scale")
class ScaleBench {
    private static final int SERVICES = Integer.getInteger("dubbo.scale.services", 200);
    private static final int PROVIDERS = 3;
    private static final int CONSUMERS = 2;
    private static final int ROUNDS = Integer.getInteger("dubbo.scale.rounds", 1);
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @Test
    void registrationAndPropagationOnPaddockAndZooKeeper() throws Exception {
        // Rounds alternate which server goes first, so that neither always meets a colder or busier machine.
        Map<Server, List<Map<String, Long>>> rounds = new LinkedHashMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            List<Server> order = round % 2 == 0 ? List.of(Server.PADDOCK, Server.ZOOKEEPER)
                    : List.of(Server.ZOOKEEPER, Server.PADDOCK);
            for (Server server : order) {
                rounds.computeIfAbsent(server, s -> new ArrayList<>()).add(measure(server));
            }
        }
        StringBuilder report = new StringBuilder(String.format(
                "%d services x %d providers, %d consumers subscribed to all; median of %d round(s)%n",
                SERVICES, PROVIDERS, CONSUMERS, ROUNDS));
        report.append(String.format("%-45s %10s %12s %8s%n", "ms", "Paddock", "ZooKeeper", "ratio"));
        for (String figure : rounds.get(Server.PADDOCK).get(0).keySet()) {
            long p = median(rounds.get(Server.PADDOCK), figure);
            long z = median(rounds.get(Server.ZOOKEEPER), figure);
            report.append(String.format("%-45s %10d %12d %8.2f%n", figure, p, z, z == 0 ? Double.NaN : (double) p / z));
        }
        DiscoveryTest.log("scale results (ratio = Paddock / ZooKeeper):\n" + report);
        Path out = Path.of(System.getProperty("paddock.testDir", "target/dubbo-it-work"), "scale-results.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());
    }

    private static long median(List<Map<String, Long>> rounds, String figure) {
        List<Long> values = rounds.stream().map(r -> r.get(figure)).sorted().toList();
        int mid = values.size() / 2;
        return values.size() % 2 == 1 ? values.get(mid) : (values.get(mid - 1) + values.get(mid)) / 2;
    }

    private static Map<String, Long> measure(Server server) throws Exception {
        Map<String, Long> figures = new LinkedHashMap<>();
        Path dir = Server.workDir("scale-" + server.name());
        String app = "scale-provider-" + Run.next();
        List<ChildProvider> providers = new ArrayList<>();
        List<DubboApp> consumers = new ArrayList<>();
        try (Coordinator zk = server.start(dir.resolve("zk"));
             ZkInspector inspector = ZkInspector.connect(zk.connectString())) {
            // The applications go before the server does: a Dubbo application closing with its registry
            // gone retries for a long time.
            try {
                long launched = System.nanoTime();
                for (int i = 1; i <= PROVIDERS; i++) {
                    providers.add(ChildProvider.startScale(zk.connectString(), app, "p" + i, SERVICES, dir.resolve("p" + i)));
                }
                Wait.until(server + ": " + SERVICES * PROVIDERS + " provider URLs", TIMEOUT, 10,
                        () -> providerUrls(inspector) == SERVICES * PROVIDERS);
                figures.put("3 provider JVMs launched -> 600 URLs on server", millisSince(launched));
                providers.forEach(p -> p.awaitReady(TIMEOUT));
                long slowestExport = 0;
                for (ChildProvider p : providers) {
                    String[] ready = p.readyLine().split(" ");
                    slowestExport = Math.max(slowestExport, Long.parseLong(ready[3]));
                }
                figures.put("slowest provider's export+registration", slowestExport);

                long subscribing = System.nanoTime();
                for (int c = 0; c < CONSUMERS; c++) {
                    DubboApp consumer = DubboApp.consumer("scale-consumer-" + c + "-" + app, zk.connectString());
                    consumers.add(consumer);
                    consumer.referAll(SERVICES);
                }
                awaitListing(server, consumers, PROVIDERS);
                figures.put("2 consumers refer 200 -> all list 3 providers", millisSince(subscribing));

                long stopping = System.nanoTime();
                providers.get(PROVIDERS - 1).stop();
                awaitListing(server, consumers, PROVIDERS - 1);
                figures.put("SIGTERM p3 -> every consumer lists 2", millisSince(stopping));

                long starting = System.nanoTime();
                ChildProvider p4 = ChildProvider.startScale(zk.connectString(), app, "p4", SERVICES, dir.resolve("p4"));
                providers.add(p4);
                awaitListing(server, consumers, PROVIDERS);
                figures.put("p4 JVM launched -> every consumer lists 3", millisSince(starting));
                p4.awaitReady(TIMEOUT);
                figures.put("p4's own export+registration", Long.parseLong(p4.readyLine().split(" ")[3]));
            } finally {
                for (DubboApp c : consumers) {
                    c.close();
                }
                for (ChildProvider p : providers) {
                    p.close();
                }
            }
        }
        DiscoveryTest.log(server + ": " + figures);
        return figures;
    }

    private static void awaitListing(Server server, List<DubboApp> consumers, int providers) {
        Wait.until(server + ": every consumer's " + SERVICES + " references listing " + providers + " providers", TIMEOUT, 10,
                () -> consumers.stream().allMatch(c -> c.referencesListing(providers) == SERVICES));
    }

    private static int providerUrls(ZkInspector inspector) throws Exception {
        int n = 0;
        for (int i = 0; i < SERVICES; i++) {
            n += inspector.childrenOrEmpty("/dubbo/" + DubboApp.scaleInterface(i) + "/providers").size();
        }
        return n;
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
