package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.compat.harness.CompatTestBase;
import dev.paddock.compat.harness.RawClient;
import dev.paddock.compat.harness.ServerSettings;
import dev.paddock.compat.harness.ServerUnderTest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.proto.ExistsRequest;
import org.junit.jupiter.api.Test;

/**
 * Clients that try to use up the server, and the limits both servers apply. Pins:
 * <ul>
 *   <li>a connection that sends part of its handshake and stalls is closed once
 *       {@code zookeeper.nio.sessionlessCnxnTimeout} has passed (here 1 s; ZooKeeper's default is 10 s),
 *       while an established session on an idle connection is not;</li>
 *   <li>connections that announce a 1 MB frame and never send it cost the server nothing it cannot give
 *       back: other clients keep being served, and the stalled ones are closed like any stalled
 *       handshake;</li>
 *   <li>{@code zookeeper.maxCnxns} caps the connections open at once: one more is closed at once;</li>
 *   <li>an answer larger than the client's jute.maxbuffer (getChildren of a node whose children's names
 *       add up to more than 1 MB) is sent in full by the server; the Java client refuses the frame and
 *       loses that connection only (ConnectionLoss), reconnects to the same session and goes on, and
 *       every other client is served throughout;</li>
 *   <li>a session may hold a million watches (exists on a million missing paths; 100,000 unless
 *       {@code -Dpaddock.longTests=true}, since a million takes a minute per server here): both servers keep them
 *       (wchs counts them), keep serving every other client meanwhile, fire the ones a write triggers, and
 *       drop them all when the session closes.</li>
 * </ul>
 */
public abstract class HostileClientScenarios extends CompatTestBase {
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(20);

    @Override
    protected ServerSettings settings() {
        return ServerSettings.defaults().maxClientCnxns(0)
                .systemProperty("zookeeper.nio.sessionlessCnxnTimeout", "1000")
                .zooCfg("4lw.commands.whitelist", "*");
    }

    @Test
    void stalledHandshakesAreClosedEstablishedSessionsAreNot() throws Exception {
        List<RawClient> stalled = new ArrayList<>();
        try (RawClient established = RawClient.session(server.clientPort(), 30_000)) {
            for (int i = 0; i < 20; i++) {
                RawClient c = track(RawClient.open(server.clientPort()));
                c.sendRaw(new byte[] {0});
                stalled.add(c);
            }
            for (RawClient c : stalled) {
                assertThat(c.closedByServer(CLOSE_WAIT)).as("a stalled handshake is closed").isTrue();
            }
            // Longer than the sessionless timeout, idle: still open, and it answers.
            assertThat(established.call(ZooDefs.OpCode.exists, new ExistsRequest("/", false)).err()).isZero();
        }
    }

    @Test
    void announcedFramesThatNeverComeHarmNoOne() throws Exception {
        List<RawClient> announced = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            RawClient c = track(RawClient.open(server.clientPort()));
            c.sendRaw(ByteBuffer.allocate(4).putInt(1_000_000).array());
            announced.add(c);
        }
        ZooKeeper zk = connect();
        zk.create(base + "/served", new byte[1000], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        assertThat(zk.getData(base + "/served", false, null)).hasSize(1000);
        for (RawClient c : announced) {
            assertThat(c.closedByServer(CLOSE_WAIT)).isTrue();
        }
    }

    @Test
    void anAnswerLargerThanTheClientsBufferCostsOnlyThatConnection() throws Exception {
        ZooKeeper writer = connect();
        String parent = base + "/wide";
        writer.create(parent, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        String name = "n".repeat(990);
        int children = 1_100;
        java.util.concurrent.CountDownLatch created = new java.util.concurrent.CountDownLatch(children);
        for (int i = 0; i < children; i++) {
            writer.create(parent + "/" + name + i, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
                    (rc, path, ctx, n) -> created.countDown(), null);
        }
        assertThat(created.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        ZooKeeper reader = connect();
        long session = reader.getSessionId();
        assertThat(codeOf(() -> reader.getChildren(parent, false))).isEqualTo(
                org.apache.zookeeper.KeeperException.Code.CONNECTIONLOSS);
        // The client fails what was queued with the lost connection; once reconnected it is served again.
        org.apache.zookeeper.data.Stat stat = dev.paddock.compat.harness.Await.value("the reconnected session",
                CLOSE_WAIT, () -> {
                    try {
                        return reader.exists(parent, false);
                    } catch (org.apache.zookeeper.KeeperException.ConnectionLossException e) {
                        return null;
                    }
                }, java.util.Objects::nonNull);
        assertThat(stat.getNumChildren()).isEqualTo(children);
        assertThat(reader.getSessionId()).isEqualTo(session);
        assertThat(writer.exists(parent, false)).as("others are served").isNotNull();
        try (RawClient raw = RawClient.session(server.clientPort(), 30_000)) {
            RawClient.Reply all = raw.call(ZooDefs.OpCode.getChildren,
                    new org.apache.zookeeper.proto.GetChildrenRequest(parent, false));
            assertThat(all.err()).isZero();
            assertThat(all.body().length).as("the server sends the whole answer").isGreaterThan(1_048_575);
        }
    }

    @Test
    void maxCnxnsCapsTheConnections() throws Exception {
        try (ServerUnderTest s = target().start(ServerSettings.defaults().systemProperty("zookeeper.maxCnxns", "3"))) {
            List<RawClient> open = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                open.add(track(RawClient.session(s.clientPort(), 30_000)));
            }
            try (RawClient extra = RawClient.open(s.clientPort())) {
                assertThat(extra.closedByServer(CLOSE_WAIT)).as("one more than maxCnxns").isTrue();
            }
            for (RawClient c : open) {
                assertThat(c.call(ZooDefs.OpCode.exists, new ExistsRequest("/", false)).err()).isZero();
            }
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(240)
    void aMillionWatchesOnOneSessionAreKeptFiredAndDropped() throws Exception {
        int watches = Boolean.getBoolean("paddock.longTests") ? 1_000_000 : 100_000;
        String dir = base + "/watched";
        ZooKeeper other = connect();
        other.create(dir, null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        dev.paddock.compat.harness.Events events = new dev.paddock.compat.harness.Events();
        ZooKeeper watcher = connect(events);
        java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(5_000);
        java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
        for (int i = 0; i < watches; i++) {
            window.acquire();
            watcher.exists(dir + "/n" + i, true, (rc, path, ctx, stat) -> {
                if (rc != org.apache.zookeeper.KeeperException.Code.NONODE.intValue()) {
                    failed.incrementAndGet();
                }
                window.release();
            }, null);
            if (i % 10_000 == 0) {
                // Everyone else is served while the watches pile up.
                other.setData(dir, Integer.toString(i).getBytes(), -1);
            }
        }
        assertThat(window.tryAcquire(5_000, 120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(failed).hasValue(0);
        assertThat(dev.paddock.compat.harness.FourLetterWords.send(server.clientPort(), "wchs"))
                .contains("Total watches:" + watches);

        for (int i = 0; i < 10; i++) {
            other.create(dir + "/n" + (i * (watches / 10 - 1)), null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            expected.add("NodeCreated " + dir + "/n" + (i * (watches / 10 - 1)));
        }
        assertThat(events.next(10)).containsExactlyElementsOf(expected);
        assertThat(dev.paddock.compat.harness.FourLetterWords.send(server.clientPort(), "wchs"))
                .contains("Total watches:" + (watches - 10));
        watcher.close();
        dev.paddock.compat.harness.Await.value("the watches dropped with the session", CLOSE_WAIT,
                () -> {
                    try {
                        return dev.paddock.compat.harness.FourLetterWords.send(server.clientPort(), "wchs");
                    } catch (java.io.IOException e) {
                        return "";
                    }
                }, t -> t.contains("Total watches:0"));
    }
}
