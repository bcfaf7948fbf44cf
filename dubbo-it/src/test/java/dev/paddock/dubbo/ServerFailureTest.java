package dev.paddock.dubbo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.it.Coordinator;
import dev.paddock.it.Ensemble;
import dev.paddock.it.ReferenceZooKeeper;
import dev.paddock.it.Wait;
import dev.paddock.it.ZkInspector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The coordination service fails under running providers and consumers: a standalone server restarted
 * (same port, same data), and a 3-member ensemble (child JVMs) whose leader is SIGKILLed. Calls go on
 * without a failure (they never touch ZooKeeper), the providers' registrations survive with their
 * sessions, the consumer keeps its provider list, and Dubbo can still register afterwards.
 */
class ServerFailureTest {
    private static final Duration TIMEOUT = DiscoveryTest.TIMEOUT;
    /** Long enough to ride out a leader election (a few seconds), as production settings are. */
    private static final int ENSEMBLE_SESSION_MS = 15_000;

    @ParameterizedTest(name = "{0}")
    @EnumSource(Server.class)
    void standaloneRestartUnderRunningApplications(Server server) throws Exception {
        Path dir = Server.workDir("restart-" + server.name());
        String run = Run.next();
        String app = "greeter-provider-" + run;
        int port1 = ReferenceZooKeeper.freePort();
        int port2 = ReferenceZooKeeper.freePort();
        try (Coordinator zk = server.start(dir.resolve("zk"));
             ZkInspector inspector = ZkInspector.connect(zk.connectString());
             DubboApp p1 = DubboApp.provider(app, zk.connectString(), "all", null, "p1", port1, run);
             DubboApp p2 = DubboApp.provider(app, zk.connectString(), "all", null, "p2", port2, run);
             DubboApp consumer = DubboApp.consumer("greeter-consumer-" + run, zk.connectString())) {
            Set<Integer> ports = new TreeSet<>(List.of(port1, port2));
            Map<String, Long> owners = awaitRegistrations(server, inspector, app, run, ports);
            Greeter greeter = consumer.greeter("APPLICATION_FIRST", run, Map.of());
            Wait.until(server + ": the consumer to list both providers", TIMEOUT, () -> consumer.providerPorts().equals(ports));

            try (CallLog calls = CallLog.start(() -> NamedGreeter.answeredBy(greeter.greet("x")))) {
                long before = System.nanoTime();
                Wait.until(server + ": calls answered by both providers", TIMEOUT,
                        () -> CallLog.answers(calls.since(before)).keySet().equals(Set.of("p1", "p2")));
                zk.restart();
                long restarted = System.nanoTime();
                DiscoveryTest.log(server + " restarted in " + TimeUnit.NANOSECONDS.toMillis(restarted - before) + " ms");
                assertThat(consumer.providerPorts()).as(server + ": the consumer's providers after the restart").isEqualTo(ports);
                // The clients reconnect to their sessions: the same owners, nothing registered again.
                try (ZkInspector after = ZkInspector.connect(zk.connectString())) {
                    Wait.until(server + ": both providers registered after the restart", TIMEOUT,
                            () -> registrationOwners(after, app, run, ports).size() == 2 * ports.size());
                    assertThat(registrationOwners(after, app, run, ports)).as(server + ": registration sessions").isEqualTo(owners);
                    int n = calls.size();
                    Wait.until(server + ": 300 calls after the restart", TIMEOUT, () -> calls.size() >= n + 300);
                    assertThat(consumer.providerPorts()).isEqualTo(ports);
                    assertThat(CallLog.answers(calls.since(restarted)).keySet()).containsExactlyInAnyOrder("p1", "p2");
                }
                assertThat(CallLog.failures(calls.since(before))).as(server + ": failed calls").isEmpty();
            }
            assertStillRegisters(server, zk.connectString(), app, run, inspector);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Server.class)
    void ensembleLeaderKilledUnderRunningApplications(Server server) throws Exception {
        Path dir = Server.workDir("ensemble-" + server.name());
        String run = Run.next();
        String app = "greeter-provider-" + run;
        int port1 = ReferenceZooKeeper.freePort();
        int port2 = ReferenceZooKeeper.freePort();
        try (Ensemble ensemble = Ensemble.start(server.ensembleKind(), dir.resolve("ensemble"))) {
            Wait.until("three " + server + " members serving", TIMEOUT, () -> ensemble.serving() == Ensemble.MEMBERS);
            String connect = ensemble.connectString();
            try (ZkInspector inspector = ZkInspector.connect(connect);
                 DubboApp p1 = DubboApp.provider(app, connect, "all", null, "p1", port1, run, ENSEMBLE_SESSION_MS);
                 DubboApp p2 = DubboApp.provider(app, connect, "all", null, "p2", port2, run, ENSEMBLE_SESSION_MS);
                 DubboApp consumer = DubboApp.consumer("greeter-consumer-" + run, connect, ENSEMBLE_SESSION_MS)) {
                Set<Integer> ports = new TreeSet<>(List.of(port1, port2));
                Map<String, Long> owners = awaitRegistrations(server, inspector, app, run, ports);
                Greeter greeter = consumer.greeter("APPLICATION_FIRST", run, Map.of());
                Wait.until(server + ": the consumer to list both providers", TIMEOUT,
                        () -> consumer.providerPorts().equals(ports));
                try (CallLog calls = CallLog.start(() -> NamedGreeter.answeredBy(greeter.greet("x")))) {
                    long before = System.nanoTime();
                    Wait.until(server + ": calls answered by both providers", TIMEOUT,
                            () -> CallLog.answers(calls.since(before)).keySet().equals(Set.of("p1", "p2")));
                    int leader = ensemble.leader();
                    assertThat(leader).as(server + " leader").isPositive();
                    ensemble.kill(leader);
                    long killed = System.nanoTime();
                    Wait.until("a new " + server + " leader", TIMEOUT, () -> {
                        int l = ensemble.leader();
                        return l > 0 && l != leader && ensemble.serving() == Ensemble.MEMBERS - 1;
                    });
                    DiscoveryTest.log(server + ": leader member " + leader + " SIGKILLed; member " + ensemble.leader()
                            + " leads after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed) + " ms");
                    int n = calls.size();
                    Wait.until(server + ": 300 calls after the election", TIMEOUT, () -> calls.size() >= n + 300);
                    assertThat(consumer.providerPorts()).as(server + ": the consumer's providers").isEqualTo(ports);
                    assertThat(CallLog.failures(calls.since(before))).as(server + ": failed calls").isEmpty();
                }
                // Every registration kept its session through the election. Read with a fresh session: the
                // inspector's own (10 s) may have expired while the ensemble elected on a loaded machine.
                try (ZkInspector after = ZkInspector.connect(connect)) {
                    Wait.until(server + ": registrations readable after the election", TIMEOUT,
                            () -> registrationOwners(after, app, run, ports).size() == 2 * ports.size());
                    assertThat(registrationOwners(after, app, run, ports)).as(server + ": registration sessions")
                            .isEqualTo(owners);
                    assertStillRegisters(server, connect, app, run, after);
                }
            }
        }
    }

    /** Waits for both levels of registration of every port; returns znode -> owning session. */
    private static Map<String, Long> awaitRegistrations(Server server, ZkInspector inspector, String app, String run,
                                                        Set<Integer> ports) {
        return Wait.forValue(server + ": interface- and application-level registrations of " + ports, TIMEOUT, () -> {
            Map<String, Long> owners = registrationOwners(inspector, app, run, ports);
            return owners.size() == 2 * ports.size() ? owners : null;
        });
    }

    /** "instance:<port>" and "interface:<port>" -> the session owning that registration, for those present. */
    private static Map<String, Long> registrationOwners(ZkInspector inspector, String app, String run, Set<Integer> ports)
            throws Exception {
        Map<String, Long> owners = new LinkedHashMap<>();
        for (int port : ports) {
            var stat = inspector.stat("/services/" + app + "/" + NetworkNamespace.address() + ":" + port);
            if (stat != null) {
                owners.put("instance:" + port, stat.getEphemeralOwner());
            }
        }
        String providers = "/dubbo/" + Greeter.class.getName() + "/providers";
        for (String child : inspector.childrenOrEmpty(providers)) {
            var url = org.apache.dubbo.common.URL.valueOf(java.net.URLDecoder.decode(child, java.nio.charset.StandardCharsets.UTF_8));
            var stat = inspector.stat(providers + "/" + child);
            if (run.equals(url.getVersion()) && ports.contains(url.getPort()) && stat != null) {
                owners.put("interface:" + url.getPort(), stat.getEphemeralOwner());
            }
        }
        return owners;
    }

    /** After the failure, a new provider registers and a new consumer finds and calls it. */
    private static void assertStillRegisters(Server server, String connect, String app, String run, ZkInspector inspector)
            throws Exception {
        int port = ReferenceZooKeeper.freePort();
        String lateRun = run + "0";
        try (DubboApp late = DubboApp.provider(app + "0", connect, "all", null, "p3", port, lateRun, ENSEMBLE_SESSION_MS);
             DubboApp consumer = DubboApp.consumer("late-consumer-" + run, connect, ENSEMBLE_SESSION_MS)) {
            Greeter greeter = consumer.greeter("APPLICATION_FIRST", lateRun, Map.of());
            Wait.until(server + ": a provider registered after the failure answers a new consumer", TIMEOUT,
                    () -> greeter.greet("late").equals("p3:hello late"));
            assertThat(inspector.exists("/services/" + app + "0/" + NetworkNamespace.address() + ":" + port)).isTrue();
        }
    }
}
