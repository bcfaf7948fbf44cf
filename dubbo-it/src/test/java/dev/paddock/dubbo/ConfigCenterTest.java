package dev.paddock.dubbo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.it.Coordinator;
import dev.paddock.it.ReferenceZooKeeper;
import dev.paddock.it.Wait;
import dev.paddock.it.ZkInspector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.dubbo.rpc.RpcContext;
import org.apache.dubbo.rpc.RpcException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Dubbo's config center and metadata report on the ZooKeeper registry: rules an operator writes under
 * /dubbo/config (a consumer timeout override, a condition route, a tag route) reach a running consumer
 * and change what it does, and go away when deleted; metadata reported by a provider is read back by a
 * consumer that can find the provider's methods nowhere else.
 */
class ConfigCenterTest {
    private static final Duration TIMEOUT = DiscoveryTest.TIMEOUT;
    private static final String INTERFACE = Greeter.class.getName();
    private static final Pattern REVISION = Pattern.compile("\"dubbo\\.metadata\\.revision\":\"([0-9a-f]+)\"");

    @ParameterizedTest(name = "{0}")
    @EnumSource(Server.class)
    void overridesAndRoutesReachARunningConsumer(Server server) throws Exception {
        Path dir = Server.workDir("config-" + server.name());
        String run = Run.next();
        String app = "greeter-provider-" + run;
        try (Coordinator zk = server.start(dir.resolve("zk"));
             ZkInspector inspector = ZkInspector.connect(zk.connectString());
             // The providers in JVMs of their own: a provider listens on the same rule node as the consumer
             // (the service's .configurators), and within one JVM only the first listener is told (DubboApp).
             ChildProvider p1 = ChildProvider.start(zk.connectString(), app, "p1", "all", run, dir.resolve("p1"));
             ChildProvider p2 = ChildProvider.start(zk.connectString(), app, "p2", "all", run, dir.resolve("p2"));
             DubboApp consumer = DubboApp.consumer("greeter-consumer-" + run, zk.connectString())) {
            p1.awaitReady(TIMEOUT);
            p2.awaitReady(TIMEOUT);
            int port1 = p1.port();
            int port2 = p2.port();
            // No timeout of the consumer's own (Dubbo's default, 1000 ms, applies): a consumer's setting
            // would win over the override, which rewrites the provider URLs the consumer holds.
            Greeter greeter = consumer.greeter("APPLICATION_FIRST", run, Map.of());
            Wait.until(server + ": calls answered by p1 and p2", TIMEOUT, () -> answers(greeter, 40).equals(Set.of("p1", "p2")));

            // A consumer timeout override for the service (what dubbo-admin writes as a dynamic config).
            // The rule's node is named by the reference's "interface:version:group" key; inside, the service is
            // "interface:version".
            String ruleKey = INTERFACE + ":" + run + ":";
            String service = "\"" + INTERFACE + ":" + run + "\"";
            String override = "/dubbo/config/dubbo/" + ruleKey + ".configurators";
            assertThat(greeter.slow(600)).endsWith("slept 600");
            inspector.put(override, "configVersion: v3.0\nscope: service\nkey: " + service + "\nenabled: true\n"
                    + "configs:\n  - side: consumer\n    parameters:\n      timeout: 150\n");
            Wait.until(server + ": the 150 ms timeout override to cut a 600 ms call", TIMEOUT,
                    () -> timedOut(() -> greeter.slow(600)));
            inspector.delete(override);
            Wait.until(server + ": the 600 ms call to pass again once the override is deleted", TIMEOUT,
                    () -> !timedOut(() -> greeter.slow(600)));

            // A condition route: every call to p2.
            String conditionRoute = "/dubbo/config/dubbo/" + ruleKey + ".condition-router";
            inspector.put(conditionRoute, "configVersion: v3.0\nscope: service\nkey: " + service + "\nforce: true\n"
                    + "runtime: true\nenabled: true\nconditions:\n  - \"=> port = " + port2 + "\"\n");
            Wait.until(server + ": the condition route to send every call to p2", TIMEOUT,
                    () -> answers(greeter, 40).equals(Set.of("p2")));
            inspector.delete(conditionRoute);
            Wait.until(server + ": calls to p1 and p2 once the route is deleted", TIMEOUT,
                    () -> answers(greeter, 40).equals(Set.of("p1", "p2")));

            // A tag route on the provider application: p1 tagged "gray"; untagged calls avoid it.
            String tagRoute = "/dubbo/config/dubbo/" + app + ".tag-router";
            inspector.put(tagRoute, "configVersion: v3.0\nforce: true\nenabled: true\nruntime: true\nkey: " + app + "\n"
                    + "tags:\n  - name: gray\n    addresses: [\"" + NetworkNamespace.address() + ":" + port1 + "\"]\n");
            Wait.until(server + ": tag gray to reach only p1, untagged calls only p2", TIMEOUT,
                    () -> taggedAnswers(greeter, "gray", 30).equals(Set.of("p1"))
                            && answers(greeter, 30).equals(Set.of("p2")));
            inspector.delete(tagRoute);
            Wait.until(server + ": untagged calls to p1 and p2 once the tag route is deleted", TIMEOUT,
                    () -> answers(greeter, 40).equals(Set.of("p1", "p2")));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Server.class)
    void metadataReportIsWrittenAndReadBack(Server server) throws Exception {
        Path dir = Server.workDir("metadata-" + server.name());
        String run = Run.next();
        String app = "greeter-provider-" + run;
        int port = ReferenceZooKeeper.freePort();
        try (Coordinator zk = server.start(dir.resolve("zk"));
             ZkInspector inspector = ZkInspector.connect(zk.connectString());
             DubboApp provider = DubboApp.provider(app, zk.connectString(), "instance", "remote", "p1", port, run)) {
            String instance = "/services/" + app + "/" + NetworkNamespace.address() + ":" + port;
            String registration = Wait.forValue(server + ": the application-level instance", TIMEOUT,
                    () -> inspector.exists(instance) ? inspector.text(instance) : null);
            assertThat(registration).contains("\"dubbo.metadata.storage-type\":\"remote\"")
                    .as("no MetadataService to ask instead").doesNotContain("dubbo.metadata-service.url-params");
            Matcher m = REVISION.matcher(registration);
            assertThat(m.find()).as("a metadata revision in " + registration).isTrue();
            String metadataPath = "/dubbo/metadata/" + app + "/" + m.group(1);
            String metadata = Wait.forValue(server + ": the reported metadata at " + metadataPath, TIMEOUT,
                    () -> inspector.exists(metadataPath) ? inspector.text(metadataPath) : null);
            assertThat(metadata).contains(INTERFACE).contains("\"version\":\"" + run + "\"").contains("greet");
            assertThat(inspector.text("/dubbo/mapping/" + INTERFACE)).contains(app);

            // The provider serves no MetadataService to ask: the consumer builds its invoker from the report.
            try (DubboApp consumer = DubboApp.consumer("greeter-consumer-" + run, zk.connectString())) {
                Greeter greeter = consumer.greeter("FORCE_APPLICATION", run, Map.of());
                Wait.until(server + ": a call through application-level discovery with remote metadata", TIMEOUT,
                        () -> greeter.greet("meta").equals("p1:hello meta"));
            }
        }
    }

    /** The providers that answered {@code n} calls. */
    private static Set<String> answers(Greeter greeter, int n) {
        Set<String> who = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            who.add(NamedGreeter.answeredBy(greeter.greet("x")));
        }
        return who;
    }

    private static Set<String> taggedAnswers(Greeter greeter, String tag, int n) {
        Set<String> who = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            RpcContext.getClientAttachment().setAttachment("dubbo.tag", tag);
            who.add(NamedGreeter.answeredBy(greeter.greet("x")));
        }
        return who;
    }

    private static boolean timedOut(Callable<String> call) throws Exception {
        try {
            call.call();
            return false;
        } catch (RpcException e) {
            if (e.isTimeout()) {
                return true;
            }
            throw e;
        }
    }
}
