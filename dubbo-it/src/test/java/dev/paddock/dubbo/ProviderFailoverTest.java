package dev.paddock.dubbo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.it.Coordinator;
import dev.paddock.it.Wait;
import dev.paddock.it.ZkInspector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Three providers of one service (child JVMs, register-mode all: Dubbo 3's default) and a consumer that
 * load-balances over them (APPLICATION_FIRST, the default). One provider is SIGKILLed: its ephemeral
 * nodes go when its session expires, the consumer drops it from its provider list, and no call fails
 * once the expiry is seen. Restarted, the provider registers again and gets calls again.
 */
class ProviderFailoverTest {
    private static final Duration TIMEOUT = DiscoveryTest.TIMEOUT;
    private static final String INTERFACE = Greeter.class.getName();

    @ParameterizedTest(name = "{0}")
    @EnumSource(Server.class)
    void killedProviderExpiresAndComesBack(Server server) throws Exception {
        Path dir = Server.workDir("failover-" + server.name());
        String run = Run.next();
        String app = "greeter-provider-" + run;
        List<ChildProvider> providers = new ArrayList<>();
        try (Coordinator zk = server.start(dir.resolve("zk"));
             ZkInspector inspector = ZkInspector.connect(zk.connectString());
             DubboApp consumer = DubboApp.consumer("greeter-consumer-" + run, zk.connectString())) {
            try {
                scenario(server, zk, inspector, consumer, providers, app, run, dir);
            } finally {
                // Before the server goes: a provider stopping with its registry gone retries for long.
                for (ChildProvider p : providers) {
                    p.close();
                }
            }
        }
    }

    private static void scenario(Server server, Coordinator zk, ZkInspector inspector, DubboApp consumer,
                                 List<ChildProvider> providers, String app, String run, Path dir) throws Exception {
        for (String id : List.of("p1", "p2", "p3")) {
            providers.add(ChildProvider.start(zk.connectString(), app, id, "all", run, dir.resolve(id)));
        }
        providers.forEach(p -> p.awaitReady(TIMEOUT));
        Set<Integer> allPorts = new TreeSet<>(providers.stream().map(ChildProvider::port).toList());
        Greeter greeter = consumer.greeter("APPLICATION_FIRST", run, Map.of());
        Wait.until(server + ": the consumer to list the three providers", TIMEOUT,
                () -> consumer.providerPorts().equals(allPorts));

        ChildProvider victim = providers.get(1);
        try (CallLog calls = CallLog.start(() -> NamedGreeter.answeredBy(greeter.greet("x")))) {
            long balancedFrom = System.nanoTime();
            Wait.until(server + ": calls answered by all three providers", TIMEOUT,
                    () -> CallLog.answers(calls.since(balancedFrom)).keySet().equals(Set.of("p1", "p2", "p3")));
            long victimOwner = inspector.stat(instancePath(app, victim)).getEphemeralOwner();

            victim.kill();
            long killed = System.nanoTime();
            Wait.until(server + ": " + victim.id() + "'s ephemerals gone at session expiry", TIMEOUT,
                    () -> !inspector.exists(instancePath(app, victim)) && interfaceLevelPorts(inspector, run).size() == 2);
            long expirySeen = System.nanoTime();
            DiscoveryTest.log(server + ": " + victim.id() + "'s session 0x" + Long.toHexString(victimOwner)
                    + " expired " + TimeUnit.NANOSECONDS.toMillis(expirySeen - killed) + " ms after SIGKILL");
            Set<Integer> survivors = new TreeSet<>(allPorts);
            survivors.remove(victim.port());
            Wait.until(server + ": the consumer to drop " + victim.id(), TIMEOUT,
                    () -> consumer.providerPorts().equals(survivors));
            int afterDrop = calls.size();
            Wait.until(server + ": 300 calls after the drop", TIMEOUT, () -> calls.size() >= afterDrop + 300);
            List<CallLog.Call> sinceExpiry = calls.since(expirySeen);
            assertThat(CallLog.failures(sinceExpiry)).as(server + ": calls failed once the expiry was seen").isEmpty();
            assertThat(CallLog.answers(sinceExpiry).keySet()).as(server + ": who answered after the expiry")
                    .containsExactlyInAnyOrder("p1", "p3");
            DiscoveryTest.log(server + ": before the kill to the drop, " + CallLog.failures(calls.since(killed)).size()
                    + " failed calls; " + sinceExpiry.size() + " calls since expiry, none failed");

            victim.restart();
            victim.awaitReady(TIMEOUT);
            Wait.until(server + ": the consumer to list " + victim.id() + " again", TIMEOUT,
                    () -> consumer.providerPorts().equals(allPorts));
            long back = System.nanoTime();
            Wait.until(server + ": calls answered by " + victim.id() + " again", TIMEOUT,
                    () -> CallLog.answers(calls.since(back)).containsKey(victim.id()));
            assertThat(inspector.stat(instancePath(app, victim)).getEphemeralOwner())
                    .as("the restarted provider's session").isNotEqualTo(victimOwner);
            assertThat(CallLog.failures(calls.since(expirySeen))).as(server + ": failed calls after the expiry").isEmpty();
        }
    }

    private static String instancePath(String app, ChildProvider p) {
        return "/services/" + app + "/" + NetworkNamespace.address() + ":" + p.port();
    }

    /** The ports in the interface-level provider URLs of this run's service version. */
    static Set<Integer> interfaceLevelPorts(ZkInspector inspector, String version) throws Exception {
        Set<Integer> ports = new TreeSet<>();
        for (String child : inspector.childrenOrEmpty("/dubbo/" + INTERFACE + "/providers")) {
            org.apache.dubbo.common.URL url = org.apache.dubbo.common.URL.valueOf(
                    java.net.URLDecoder.decode(child, java.nio.charset.StandardCharsets.UTF_8));
            if (version.equals(url.getVersion())) {
                ports.add(url.getPort());
            }
        }
        return ports;
    }
}
