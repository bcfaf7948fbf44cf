package dev.paddock.dubbo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.it.Coordinator;
import dev.paddock.it.ReferenceZooKeeper;
import dev.paddock.it.Wait;
import dev.paddock.it.ZkInspector;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Interface-level and application-level service discovery (Dubbo's register-mode interface, instance and
 * all): an in-process provider registers, an in-process consumer discovers it and calls it, on Paddock and
 * on ZooKeeper 3.9.5 in turn; then the znodes Dubbo wrote on the two servers are compared, masked of
 * addresses, ports, pids and timestamps.
 */
class DiscoveryTest {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final String INTERFACE = Greeter.class.getName();

    @ParameterizedTest(name = "register-mode {0}")
    @ValueSource(strings = {"interface", "instance", "all"})
    void providerRegistersConsumerDiscoversAndCalls(String registerMode) throws Exception {
        Path dir = Server.workDir("discovery-" + registerMode);
        List<String> onPaddock = discover(Server.PADDOCK, registerMode, dir);
        List<String> onZooKeeper = discover(Server.ZOOKEEPER, registerMode, dir);
        log("znodes Dubbo wrote (register-mode " + registerMode + "):\n  " + String.join("\n  ", onZooKeeper));
        assertThat(onPaddock).as("masked znode tree on Paddock vs ZooKeeper 3.9.5").isEqualTo(onZooKeeper);
    }

    /** Runs the scenario on one server; returns the masked tree Dubbo left there while both apps ran. */
    private static List<String> discover(Server server, String registerMode, Path dir) throws Exception {
        String address = NetworkNamespace.address();
        int port = ReferenceZooKeeper.freePort();
        String run = Run.next();
        String providerApp = "greeter-provider-" + run;
        try (Coordinator zk = server.start(dir.resolve(server.name()));
             ZkInspector inspector = ZkInspector.connect(zk.connectString());
             DubboApp provider = DubboApp.provider(providerApp, zk.connectString(), registerMode, null, "p1", port, run);
             DubboApp consumer = DubboApp.consumer("greeter-consumer-" + run, zk.connectString())) {
            Greeter greeter = consumer.greeter(step(registerMode), run, Map.of());
            Wait.until(server + ": a call answered by the provider", TIMEOUT,
                    () -> greeter.greet("dubbo").equals("p1:hello dubbo"));

            boolean interfaceLevel = !registerMode.equals("instance");
            boolean applicationLevel = !registerMode.equals("interface");
            List<String> providers = inspector.childrenOrEmpty("/dubbo/" + INTERFACE + "/providers");
            if (interfaceLevel) {
                assertThat(providers).as(server + ": interface-level provider URLs").hasSize(1);
                String url = URLDecoder.decode(providers.get(0), StandardCharsets.UTF_8);
                assertThat(url).startsWith("dubbo://" + address + ":" + port + "/" + INTERFACE + "?");
                assertThat(inspector.stat("/dubbo/" + INTERFACE + "/providers/" + providers.get(0)).getEphemeralOwner())
                        .isNotZero();
            } else {
                assertThat(providers).as(server + ": no interface-level registration").isEmpty();
            }
            List<String> instances = inspector.childrenOrEmpty("/services/" + providerApp);
            if (applicationLevel) {
                assertThat(instances).as(server + ": application-level instances").containsExactly(address + ":" + port);
                assertThat(inspector.stat("/services/" + providerApp + "/" + instances.get(0)).getEphemeralOwner())
                        .isNotZero();
                Wait.until(server + ": the interface-to-application mapping", TIMEOUT,
                        () -> inspector.exists("/dubbo/mapping/" + INTERFACE)
                                && inspector.text("/dubbo/mapping/" + INTERFACE).contains(providerApp));
            } else {
                assertThat(instances).as(server + ": no application-level registration").isEmpty();
            }
            return settledTree(inspector);
        }
    }

    /** The masked tree once two reads a second apart agree (Dubbo reports some metadata in the background). */
    static List<String> settledTree(ZkInspector inspector) {
        List<String> roots = List.of("/dubbo", "/services");
        Object[] last = new Object[1];
        Wait.until("Dubbo's znodes to settle", TIMEOUT, () -> {
            List<String> now = ZnodeTree.dump(inspector, roots);
            boolean same = now.equals(last[0]);
            last[0] = now;
            if (!same) {
                Thread.sleep(1000);
            }
            return same;
        });
        @SuppressWarnings("unchecked")
        List<String> tree = (List<String>) last[0];
        return tree;
    }

    /** The consumer side of a register mode: Dubbo's migration step. */
    static String step(String registerMode) {
        return switch (registerMode) {
            case "interface" -> "FORCE_INTERFACE";
            case "instance" -> "FORCE_APPLICATION";
            default -> "APPLICATION_FIRST";
        };
    }

    static void log(String message) {
        System.out.printf("[%tT.%<tL] %s%n", System.currentTimeMillis(), message);
    }
}
