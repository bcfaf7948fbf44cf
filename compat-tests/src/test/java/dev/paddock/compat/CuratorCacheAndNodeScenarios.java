package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.compat.harness.Await;
import dev.paddock.compat.harness.ServerSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.nodes.GroupMember;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.framework.recipes.nodes.PersistentTtlNode;
import org.apache.curator.x.discovery.ServiceDiscovery;
import org.apache.curator.x.discovery.ServiceDiscoveryBuilder;
import org.apache.curator.x.discovery.ServiceInstance;
import org.apache.curator.x.discovery.ServiceProvider;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.Test;

/**
 * Curator 5.9.0 recipes that keep or mirror nodes, with zookeeper.extendedTypesEnabled=true (for
 * TTL nodes) and znode.container.checkIntervalMs=100. Pins:
 * <ul>
 *   <li>CuratorCache (one persistent recursive watch, addWatch mode 1): the initial nodes, then
 *       initialized, then every create, change and delete below the root in the order they
 *       happened, nested ones included;</li>
 *   <li>PersistentNode (ephemeral): created, recreated by the recipe when someone deletes it, gone
 *       when closed;</li>
 *   <li>PersistentTtlNode: a TTL node kept alive by its touched child, deleted by the server once
 *       closed and the TTL has passed;</li>
 *   <li>GroupMember: every member sees all members with their data, and one fewer after one
 *       leaves;</li>
 *   <li>curator-x-discovery: instances registered by two clients found by a third, through a
 *       ServiceProvider too, and gone when unregistered.</li>
 * </ul>
 */
public abstract class CuratorCacheAndNodeScenarios extends CuratorTestBase {

    @Override
    protected ServerSettings settings() {
        return ServerSettings.defaults()
                .systemProperty("zookeeper.extendedTypesEnabled", "true")
                .systemProperty("znode.container.checkIntervalMs", "100");
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void curatorCacheEventsInOrder() throws Exception {
        CuratorFramework c = curator();
        CuratorFramework writer = curator();
        String root = base + "/cache";
        c.create().forPath(root, b("r"));
        c.create().forPath(root + "/a", b("a"));
        List<String> events = new CopyOnWriteArrayList<>();
        CuratorCache cache = track(CuratorCache.build(c, root));
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreates(n -> events.add("create " + n.getPath() + " " + new String(n.getData())))
                .forChanges((o, n) -> events.add("change " + n.getPath() + " " + new String(o.getData()) + "->"
                        + new String(n.getData())))
                .forDeletes(o -> events.add("delete " + o.getPath()))
                .forInitialized(() -> events.add("initialized"))
                .build());
        cache.start();
        Await.until("initialized", Duration.ofSeconds(WAIT_S), () -> events.contains("initialized"));
        assertThat(events.subList(0, 2)).containsExactlyInAnyOrder("create " + root + " r", "create " + root + "/a a");
        assertThat(events.get(2)).isEqualTo("initialized");

        // one write at a time, each awaited: the cache reads data after the event, so writes
        // racing ahead of it would be merged into fewer events
        List<String> expected = new ArrayList<>(events);
        step(events, expected, () -> writer.create().forPath(root + "/b", b("1")), "create " + root + "/b 1");
        step(events, expected, () -> writer.setData().forPath(root + "/b", b("2")), "change " + root + "/b 1->2");
        step(events, expected, () -> writer.create().forPath(root + "/b/c", b("x")), "create " + root + "/b/c x");
        step(events, expected, () -> writer.setData().forPath(root + "/b/c", b("y")), "change " + root + "/b/c x->y");
        step(events, expected, () -> writer.delete().forPath(root + "/b/c"), "delete " + root + "/b/c");
        step(events, expected, () -> writer.delete().forPath(root + "/b"), "delete " + root + "/b");
        step(events, expected, () -> writer.setData().forPath(root, b("s")), "change " + root + " r->s");
        Map<String, String> contents = cache.stream()
                .collect(Collectors.toMap(ChildData::getPath, d -> new String(d.getData())));
        assertThat(contents).containsOnly(Map.entry(root, "s"), Map.entry(root + "/a", "a"));
    }

    private interface Write {
        void run() throws Exception;
    }

    private static void step(List<String> events, List<String> expected, Write write, String event) throws Exception {
        write.run();
        expected.add(event);
        Await.until(event, Duration.ofSeconds(WAIT_S), () -> events.size() >= expected.size());
        assertThat(events).containsExactlyElementsOf(expected);
    }

    @Test
    void persistentNodeComesBack() throws Exception {
        CuratorFramework c = curator();
        String p = base + "/pn";
        PersistentNode node = track(new PersistentNode(c, CreateMode.EPHEMERAL, false, p, b("me")));
        node.start();
        assertThat(node.waitForInitialCreate(WAIT_S, TimeUnit.SECONDS)).isTrue();
        long session = c.getZookeeperClient().getZooKeeper().getSessionId();
        assertThat(admin().exists(p, false).getEphemeralOwner()).isEqualTo(session);
        admin().delete(p, -1);
        Await.until("recreated", Duration.ofSeconds(WAIT_S), () -> admin().exists(p, false) != null);
        assertThat(admin().getData(p, false, null)).isEqualTo(b("me"));
        node.close();
        assertThat(admin().exists(p, false)).isNull();
    }

    @Test
    void persistentTtlNodeLivesWhileTouched() throws Exception {
        CuratorFramework c = curator();
        String p = base + "/ttl";
        PersistentTtlNode node = new PersistentTtlNode(c, p, 1000, b("t"));
        node.start();
        assertThat(node.waitForInitialCreate(WAIT_S, TimeUnit.SECONDS)).isTrue();
        Await.holdsFor("kept alive past its TTL", Duration.ofMillis(2000), () -> c.checkExists().forPath(p) != null);
        assertThat(c.getData().forPath(p)).isEqualTo(b("t"));
        assertThat(c.checkExists().forPath(p).getEphemeralOwner()).isZero();
        node.close();
        Await.until("deleted by the server after its TTL", Duration.ofSeconds(WAIT_S),
                () -> c.checkExists().forPath(p) == null);
    }

    @Test
    void groupMembers() throws Exception {
        List<GroupMember> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            GroupMember m = track(new GroupMember(curator(), base + "/group", "m" + i, b("data" + i)));
            m.start();
            members.add(m);
        }
        for (GroupMember m : members) {
            Await.until("all 3 members seen", Duration.ofSeconds(WAIT_S), () -> m.getCurrentMembers().size() == 3);
            assertThat(m.getCurrentMembers()).containsOnlyKeys("m0", "m1", "m2");
            assertThat(new String(m.getCurrentMembers().get("m2"))).isEqualTo("data2");
        }
        members.get(2).close();
        Await.until("the member that left is gone", Duration.ofSeconds(WAIT_S),
                () -> members.get(0).getCurrentMembers().keySet().equals(java.util.Set.of("m0", "m1")));
    }

    @Test
    void serviceDiscovery() throws Exception {
        String path = base + "/services";
        List<ServiceDiscovery<Void>> registrars = new ArrayList<>();
        List<ServiceInstance<Void>> instances = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ServiceInstance<Void> inst = ServiceInstance.<Void>builder().name("echo").id("id" + i)
                    .address("127.0.0.1").port(9000 + i).build();
            ServiceDiscovery<Void> d = track(ServiceDiscoveryBuilder.builder(Void.class).client(curator())
                    .basePath(path).thisInstance(inst).build());
            d.start();
            registrars.add(d);
            instances.add(inst);
        }
        ServiceDiscovery<Void> finder = track(ServiceDiscoveryBuilder.builder(Void.class).client(curator())
                .basePath(path).build());
        finder.start();
        assertThat(finder.queryForNames()).containsExactly("echo");
        assertThat(finder.queryForInstances("echo")).extracting(ServiceInstance::getPort)
                .containsExactlyInAnyOrder(9000, 9001);
        ServiceProvider<Void> provider = track(finder.serviceProviderBuilder().serviceName("echo").build());
        provider.start();
        Await.until("provider sees both", Duration.ofSeconds(WAIT_S), () -> provider.getAllInstances().size() == 2);
        assertThat(provider.getInstance().getAddress()).isEqualTo("127.0.0.1");

        registrars.get(0).unregisterService(instances.get(0));
        assertThat(finder.queryForInstances("echo")).extracting(ServiceInstance::getId).containsExactly("id1");
        Await.until("provider sees one", Duration.ofSeconds(WAIT_S), () -> provider.getAllInstances().size() == 1);
    }
}
