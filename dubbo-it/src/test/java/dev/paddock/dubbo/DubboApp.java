package dev.paddock.dubbo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.dubbo.config.ApplicationConfig;
import org.apache.dubbo.config.ProtocolConfig;
import org.apache.dubbo.config.ReferenceConfig;
import org.apache.dubbo.config.RegistryConfig;
import org.apache.dubbo.config.ServiceConfig;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;
import org.apache.dubbo.rpc.Invoker;
import org.apache.dubbo.rpc.cluster.ClusterInvoker;
import org.apache.dubbo.rpc.model.FrameworkModel;
import org.apache.dubbo.rpc.service.GenericService;

/**
 * One Dubbo application in this JVM, on a {@link FrameworkModel} of its own so that several (a provider,
 * a consumer) live side by side. They do not leave each other quite alone: Dubbo 3.3.6's Curator 5
 * client keeps its config-center NodeCaches in a static map keyed by path and never removes them, so a
 * later application of this JVM that listens on the same rule (same application name, same service key)
 * is never told of it. Every scenario therefore names its applications and its service version after a
 * fresh {@link Run} token, which {@link ZnodeTree} masks. Configured in code the way an
 * application's dubbo.properties would: a zookeeper:// registry (which Dubbo also uses as its config
 * center and metadata report), the dubbo protocol on a given port, no QoS server, no file caches.
 */
final class DubboApp implements AutoCloseable {
    /** Session timeout the applications ask for: the smallest ZooKeeper grants at tickTime 2000. */
    static final int SESSION_MS = 4_000;

    private final FrameworkModel framework = new FrameworkModel();
    private final DubboBootstrap bootstrap = DubboBootstrap.newInstance(framework);
    private final List<ReferenceConfig<?>> references = new ArrayList<>();

    private DubboApp(String name, String registerMode, String metadataType, String connectString, int sessionMs) {
        ApplicationConfig app = new ApplicationConfig(name);
        app.setQosEnable(false);
        app.setEnableFileCache(false);
        if (registerMode != null) {
            app.setRegisterMode(registerMode);
        }
        if (metadataType != null) {
            app.setMetadataType(metadataType);
        }
        bootstrap.application(app).registry(registry(connectString, sessionMs));
    }

    /**
     * The registry for a connect string; several servers become Dubbo's cluster form
     * {@code zookeeper://first?backup=second,third}.
     */
    static RegistryConfig registry(String connectString, int sessionMs) {
        String[] hosts = connectString.split(",");
        String address = "zookeeper://" + hosts[0];
        if (hosts.length > 1) {
            address += "?backup=" + String.join(",", java.util.Arrays.copyOfRange(hosts, 1, hosts.length));
        }
        RegistryConfig registry = new RegistryConfig(address);
        registry.setSession(sessionMs);
        registry.setTimeout(10_000);
        Map<String, String> parameters = new HashMap<>();
        parameters.put("file-cache", "false");
        // Also as a parameter: Dubbo copies the registry's parameters (not its session field) to the config
        // center it derives from the registry, whose ZooKeeper client is the one the application shares.
        // Without it that client asks for 60 s (ZooKeeper grants 40 s at most) and a killed provider's
        // nodes stay for half a minute.
        parameters.put("session", Integer.toString(sessionMs));
        registry.setParameters(parameters);
        return registry;
    }

    /** A provider exporting {@link Greeter} as {@code providerId} on {@code port}; started. */
    static DubboApp provider(String name, String connectString, String registerMode, String metadataType,
                             String providerId, int port, String version) {
        return provider(name, connectString, registerMode, metadataType, providerId, port, version, SESSION_MS);
    }

    static DubboApp provider(String name, String connectString, String registerMode, String metadataType,
                             String providerId, int port, String version, int sessionMs) {
        DubboApp p = new DubboApp(name, registerMode, metadataType, connectString, sessionMs);
        p.bootstrap.protocol(new ProtocolConfig("dubbo", port));
        ServiceConfig<Greeter> service = new ServiceConfig<>();
        service.setInterface(Greeter.class);
        service.setRef(new NamedGreeter(providerId));
        service.setVersion(version);
        p.bootstrap.service(service);
        p.bootstrap.start();
        return p;
    }

    /** The name of the scale measurement's service {@code i}: one interface per service, as in real fleets. */
    static String scaleInterface(int i) {
        return String.format("dev.paddock.dubbo.scale.Service%03d", i);
    }

    /**
     * A provider of {@code services} services named by {@link #scaleInterface}, served by one generic
     * implementation (no Java interface needed per service), registered at both levels; started.
     */
    static DubboApp scaleProvider(String name, String connectString, String providerId, int port, int services) {
        DubboApp p = new DubboApp(name, "all", null, connectString, SESSION_MS);
        p.bootstrap.protocol(new ProtocolConfig("dubbo", port));
        GenericService answer = (method, types, args) -> providerId;
        for (int i = 0; i < services; i++) {
            ServiceConfig<GenericService> service = new ServiceConfig<>();
            service.setInterface(scaleInterface(i));
            service.setGeneric("true");
            service.setRef(answer);
            p.bootstrap.service(service);
        }
        p.bootstrap.start();
        return p;
    }

    /** Generic references to the {@code services} scale services (interface-level subscriptions); started. */
    void referAll(int services) {
        for (int i = 0; i < services; i++) {
            ReferenceConfig<GenericService> reference = new ReferenceConfig<>();
            reference.setInterface(scaleInterface(i));
            reference.setGeneric("true");
            reference.setCheck(false);
            reference.setScope("remote");
            reference.setParameters(Map.of("migration.step", "FORCE_INTERFACE"));
            references.add(reference);
            bootstrap.reference(reference);
        }
        bootstrap.start();
        references.forEach(ReferenceConfig::get);
    }

    /** How many references list exactly {@code providers} providers. */
    int referencesListing(int providers) {
        int n = 0;
        for (int i = 0; i < references.size(); i++) {
            if (providerPorts(i).size() == providers) {
                n++;
            }
        }
        return n;
    }

    /** A consumer application, not started until the first {@link #greeter}. */
    static DubboApp consumer(String name, String connectString) {
        return consumer(name, connectString, SESSION_MS);
    }

    static DubboApp consumer(String name, String connectString, int sessionMs) {
        return new DubboApp(name, null, null, connectString, sessionMs);
    }

    /**
     * A remote reference to {@link Greeter}, discovered the way {@code step} says (FORCE_INTERFACE,
     * FORCE_APPLICATION or APPLICATION_FIRST: Dubbo's migration steps), with {@code parameters} as the
     * reference's own. No provider needed at start (check=false).
     */
    Greeter greeter(String step, String version, Map<String, String> parameters) {
        ReferenceConfig<Greeter> reference = new ReferenceConfig<>();
        reference.setInterface(Greeter.class);
        reference.setVersion(version);
        reference.setCheck(false);
        reference.setScope("remote");
        Map<String, String> p = new HashMap<>(parameters);
        p.put("migration.step", step);
        reference.setParameters(p);
        references.add(reference);
        bootstrap.reference(reference);
        bootstrap.start();
        return reference.get();
    }

    /** The ports of the providers the first reference's directory lists (the consumer's provider list). */
    TreeSet<Integer> providerPorts() {
        return providerPorts(0);
    }

    TreeSet<Integer> providerPorts(int reference) {
        TreeSet<Integer> ports = new TreeSet<>();
        Invoker<?> invoker = references.get(reference).getInvoker();
        if (invoker instanceof ClusterInvoker<?> cluster && cluster.getDirectory() != null) {
            for (Invoker<?> provider : cluster.getDirectory().getAllInvokers()) {
                ports.add(provider.getUrl().getPort());
            }
        }
        return ports;
    }

    @Override
    public void close() {
        try {
            bootstrap.destroy();
        } finally {
            framework.destroy();
        }
    }
}
