package dev.paddock.server.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.quorum.transport.QuorumTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three members talking over real TCP on loopback, each on its own event-loop thread: they elect a leader,
 * replicate writes, and after the leader goes away the other two elect a new one and keep every write.
 */
class TransportEnsembleTest {
    private static final long TICK_MS = 50;
    private final List<Peer> peers = new ArrayList<>();

    private static final class Peer implements Host {
        final int id;
        final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
        final SimStorage disk = new SimStorage();
        final List<Long> applied = new CopyOnWriteArrayList<>();
        QuorumTransport transport;
        volatile Member member;

        Peer(int id) {
            this.id = id;
            // The simulated fsync completes on the member's own thread, right after the append.
            disk.onAppend = () -> loop.execute(() -> {
                long durable = disk.flush();
                if (member != null) {
                    member.persisted(durable);
                }
            });
        }

        @Override
        public void send(int to, Message message) {
            transport.send(to, message);
        }

        @Override
        public void apply(Entry entry) {
            applied.add(entry.zxid());
        }

        @Override
        public Snapshot snapshot() {
            throw new UnsupportedOperationException("logs are never compacted in this test");
        }

        @Override
        public void install(Snapshot snapshot) {
            throw new UnsupportedOperationException("logs are never compacted in this test");
        }

        <T> T onLoop(java.util.concurrent.Callable<T> task) throws Exception {
            return loop.submit(task).get(5, TimeUnit.SECONDS);
        }

        private boolean stopped;

        synchronized void stop() {
            if (!stopped) {
                stopped = true;
                transport.close();
                loop.shutdownNow();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @AfterEach
    void stopAll() {
        for (Peer p : peers) {
            p.stop();
        }
    }

    private static void await(BooleanSupplier condition, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within %d ms", timeoutMs).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private Peer leader() throws Exception {
        for (Peer p : peers) {
            if (!p.loop.isShutdown() && p.onLoop(() -> p.member.isServingLeader())) {
                return p;
            }
        }
        return null;
    }

    @Test
    void replicatesOverTcpAndSurvivesLosingTheLeader() throws Exception {
        Map<Integer, QuorumTransport.PeerAddress> addresses = new HashMap<>();
        for (int id = 1; id <= 3; id++) {
            InetSocketAddress q = new InetSocketAddress("127.0.0.1", freePort());
            InetSocketAddress e = new InetSocketAddress("127.0.0.1", freePort());
            addresses.put(id, new QuorumTransport.PeerAddress(q, e));
        }
        QuorumConfig config = new QuorumConfig(Set.of(1, 2, 3), Set.of(), 10, 5, Long.MAX_VALUE);
        for (int id = 1; id <= 3; id++) {
            Peer p = new Peer(id);
            p.transport = new QuorumTransport(id, addresses, (from, m) -> p.loop.execute(() -> p.member.receive(from, m)),
                    () -> System.nanoTime() / 1_000_000);
            p.transport.start(addresses.get(id).quorum(), addresses.get(id).election());
            peers.add(p);
        }
        for (Peer p : peers) {
            p.onLoop(() -> p.member = new Member(p.id, config, p.disk, p, new SplittableRandom(p.id), 0));
            p.loop.scheduleAtFixedRate(() -> {
                p.member.tick();
                p.member.electionTick();
            }, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        }
        await(() -> {
            try {
                return leader() != null;
            } catch (Exception e) {
                return false;
            }
        }, 10_000);

        Peer first = leader();
        for (int i = 0; i < 20; i++) {
            byte[] payload = ByteBuffer.allocate(8).putLong(i).array();
            assertThat(first.onLoop(() -> first.member.submit(payload))).isTrue();
        }
        await(() -> peers.stream().allMatch(p -> p.applied.size() >= 20), 10_000);

        first.stop();
        List<Peer> rest = new ArrayList<>(peers);
        rest.remove(first);
        await(() -> {
            try {
                Peer l = leader();
                return l != null && l != first;
            } catch (Exception e) {
                return false;
            }
        }, 15_000);
        Peer second = leader();
        for (int i = 20; i < 30; i++) {
            byte[] payload = ByteBuffer.allocate(8).putLong(i).array();
            assertThat(second.onLoop(() -> second.member.submit(payload))).isTrue();
        }
        await(() -> rest.stream().allMatch(p -> p.applied.size() >= 30), 10_000);
        assertThat(rest.get(0).applied).isEqualTo(rest.get(1).applied);
        assertThat(rest.get(0).applied.subList(0, 20)).isEqualTo(first.applied.subList(0, 20));
    }
}
