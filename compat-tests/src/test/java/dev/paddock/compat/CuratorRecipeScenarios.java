package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.compat.harness.Await;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.atomic.AtomicValue;
import org.apache.curator.framework.recipes.atomic.DistributedAtomicLong;
import org.apache.curator.framework.recipes.barriers.DistributedBarrier;
import org.apache.curator.framework.recipes.barriers.DistributedDoubleBarrier;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderSelector;
import org.apache.curator.framework.recipes.leader.LeaderSelectorListenerAdapter;
import org.apache.curator.framework.recipes.locks.InterProcessLock;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.locks.InterProcessReadWriteLock;
import org.apache.curator.framework.recipes.locks.InterProcessSemaphoreMutex;
import org.apache.curator.framework.recipes.locks.InterProcessSemaphoreV2;
import org.apache.curator.framework.recipes.locks.Lease;
import org.apache.curator.framework.recipes.queue.DistributedDelayQueue;
import org.apache.curator.framework.recipes.queue.DistributedPriorityQueue;
import org.apache.curator.framework.recipes.queue.DistributedQueue;
import org.apache.curator.framework.recipes.queue.QueueBuilder;
import org.apache.curator.framework.recipes.queue.QueueConsumer;
import org.apache.curator.framework.recipes.queue.QueueSerializer;
import org.apache.curator.framework.recipes.shared.SharedCount;
import org.apache.curator.framework.recipes.shared.VersionedValue;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryNTimes;
import org.junit.jupiter.api.Test;

/**
 * Curator 5.9.0 recipes under contention: several clients (one session each) and threads, and
 * the recipe's promise asserted, not just its happy path:
 * <ul>
 *   <li>InterProcessMutex and InterProcessSemaphoreMutex: one holder at a time over 3 clients x
 *       2 threads; the mutex is reentrant, the semaphore mutex is not;</li>
 *   <li>InterProcessReadWriteLock: readers of two clients together, a writer alone;</li>
 *   <li>InterProcessSemaphoreV2: never more than its 2 leases out, and 2 reached;</li>
 *   <li>LeaderLatch: exactly one leader of 3, another once it leaves; LeaderSelector: never two
 *       leaders at once while leadership is requeued around 3 clients;</li>
 *   <li>DistributedBarrier releases every waiter; DistributedDoubleBarrier lets nobody in before
 *       all 3 members are there;</li>
 *   <li>DistributedQueue: 2 producers, 2 consumers, every item delivered exactly once;
 *       DistributedPriorityQueue in priority order; DistributedDelayQueue not before the delay;</li>
 *   <li>SharedCount and DistributedAtomicLong: concurrent increments from 3 clients all land.</li>
 * </ul>
 */
public abstract class CuratorRecipeScenarios extends CuratorTestBase {
    private static final int CLIENTS = 3;

    private List<CuratorFramework> clients(int n) throws Exception {
        List<CuratorFramework> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(curator());
        }
        return l;
    }

    /** 2 threads per client each take the lock 4 times; fails if two ever hold it. */
    private void oneHolderAtATime(List<InterProcessLock> locks) throws Exception {
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = pool(locks.size());
        List<Future<?>> fs = new ArrayList<>();
        for (InterProcessLock lock : locks) {
            fs.add(pool.submit(() -> {
                for (int i = 0; i < 4; i++) {
                    if (!lock.acquire(WAIT_S, TimeUnit.SECONDS)) {
                        throw new AssertionError("lock not acquired within " + WAIT_S + " s");
                    }
                    try {
                        maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        Thread.sleep(2);
                        done.incrementAndGet();
                    } finally {
                        inside.decrementAndGet();
                        lock.release();
                    }
                }
                return null;
            }));
        }
        awaitAll(fs);
        assertThat(maxInside.get()).as("holders at once").isEqualTo(1);
        assertThat(done.get()).isEqualTo(locks.size() * 4);
    }

    @Test
    void interProcessMutex() throws Exception {
        String path = base + "/mutex";
        List<InterProcessLock> locks = new ArrayList<>();
        for (CuratorFramework c : clients(CLIENTS)) {
            locks.add(new InterProcessMutex(c, path));
            locks.add(new InterProcessMutex(c, path));
        }
        oneHolderAtATime(locks);
        InterProcessMutex m = (InterProcessMutex) locks.get(0);
        assertThat(m.acquire(5, TimeUnit.SECONDS)).isTrue();
        assertThat(m.acquire(5, TimeUnit.SECONDS)).as("reentrant").isTrue();
        assertThat(locks.get(2).acquire(200, TimeUnit.MILLISECONDS)).as("other client").isFalse();
        m.release();
        m.release();
        assertThat(locks.get(2).acquire(5, TimeUnit.SECONDS)).isTrue();
        locks.get(2).release();
    }

    @Test
    void interProcessSemaphoreMutex() throws Exception {
        String path = base + "/smutex";
        List<InterProcessLock> locks = new ArrayList<>();
        for (CuratorFramework c : clients(CLIENTS)) {
            locks.add(new InterProcessSemaphoreMutex(c, path));
            locks.add(new InterProcessSemaphoreMutex(c, path));
        }
        oneHolderAtATime(locks);
        InterProcessLock m = locks.get(0);
        assertThat(m.acquire(5, TimeUnit.SECONDS)).isTrue();
        assertThat(m.acquire(200, TimeUnit.MILLISECONDS)).as("not reentrant").isFalse();
        m.release();
    }

    @Test
    void readWriteLock() throws Exception {
        List<CuratorFramework> cs = clients(CLIENTS);
        String path = base + "/rw";
        InterProcessReadWriteLock a = new InterProcessReadWriteLock(cs.get(0), path);
        InterProcessReadWriteLock b = new InterProcessReadWriteLock(cs.get(1), path);
        InterProcessReadWriteLock w = new InterProcessReadWriteLock(cs.get(2), path);
        // lock ownership is per thread: one thread for each of b and w
        ExecutorService pool = pool(1);
        ExecutorService writerThread = pool(1);
        assertThat(a.readLock().acquire(5, TimeUnit.SECONDS)).isTrue();
        assertThat(pool.submit(() -> b.readLock().acquire(5, TimeUnit.SECONDS)).get()).as("two readers").isTrue();
        assertThat(writerThread.submit(() -> w.writeLock().acquire(200, TimeUnit.MILLISECONDS)).get())
                .as("writer while read").isFalse();
        a.readLock().release();
        pool.submit(() -> {
            b.readLock().release();
            return null;
        }).get();
        Future<Boolean> writer = writerThread.submit(() -> w.writeLock().acquire(5, TimeUnit.SECONDS));
        assertThat(writer.get()).isTrue();
        assertThat(a.readLock().acquire(200, TimeUnit.MILLISECONDS)).as("reader while written").isFalse();
        writerThread.submit(() -> {
            w.writeLock().release();
            return null;
        }).get();
        assertThat(a.readLock().acquire(5, TimeUnit.SECONDS)).isTrue();
        a.readLock().release();
    }

    @Test
    void semaphoreV2() throws Exception {
        String path = base + "/sem";
        AtomicInteger out = new AtomicInteger();
        AtomicInteger maxOut = new AtomicInteger();
        ExecutorService pool = pool(4);
        List<Future<?>> fs = new ArrayList<>();
        for (CuratorFramework c : clients(4)) {
            InterProcessSemaphoreV2 sem = new InterProcessSemaphoreV2(c, path, 2);
            fs.add(pool.submit(() -> {
                for (int i = 0; i < 3; i++) {
                    Lease lease = sem.acquire(WAIT_S, TimeUnit.SECONDS);
                    if (lease == null) {
                        throw new AssertionError("no lease within " + WAIT_S + " s");
                    }
                    try {
                        maxOut.accumulateAndGet(out.incrementAndGet(), Math::max);
                        Thread.sleep(30);
                    } finally {
                        out.decrementAndGet();
                        sem.returnLease(lease);
                    }
                }
                return null;
            }));
        }
        awaitAll(fs);
        assertThat(maxOut.get()).isEqualTo(2);
    }

    @Test
    void leaderLatch() throws Exception {
        List<LeaderLatch> latches = new ArrayList<>();
        int i = 0;
        for (CuratorFramework c : clients(CLIENTS)) {
            LeaderLatch l = track(new LeaderLatch(c, base + "/latch", "p" + i++, LeaderLatch.CloseMode.NOTIFY_LEADER));
            l.start();
            latches.add(l);
        }
        Await.until("a leader", Duration.ofSeconds(WAIT_S),
                () -> latches.stream().filter(LeaderLatch::hasLeadership).count() == 1);
        Await.holdsFor("only one leader", Duration.ofMillis(300),
                () -> latches.stream().filter(LeaderLatch::hasLeadership).count() == 1);
        LeaderLatch leader = latches.stream().filter(LeaderLatch::hasLeadership).findFirst().orElseThrow();
        for (LeaderLatch l : latches) {
            assertThat(l.getLeader().getId()).isEqualTo(leader.getId());
            assertThat(l.getParticipants()).hasSize(CLIENTS);
        }
        leader.close();
        latches.remove(leader);
        Await.until("a new leader", Duration.ofSeconds(WAIT_S),
                () -> latches.stream().filter(LeaderLatch::hasLeadership).count() == 1);
        assertThat(latches.get(0).getParticipants()).hasSize(CLIENTS - 1);
    }

    @Test
    void leaderSelector() throws Exception {
        AtomicInteger leaders = new AtomicInteger();
        AtomicInteger maxLeaders = new AtomicInteger();
        AtomicInteger terms = new AtomicInteger();
        Set<String> whoLed = ConcurrentHashMap.newKeySet();
        List<LeaderSelector> selectors = new ArrayList<>();
        int i = 0;
        for (CuratorFramework c : clients(CLIENTS)) {
            String id = "s" + i++;
            LeaderSelector s = new LeaderSelector(c, base + "/selector", new LeaderSelectorListenerAdapter() {
                @Override
                public void takeLeadership(CuratorFramework client) throws Exception {
                    maxLeaders.accumulateAndGet(leaders.incrementAndGet(), Math::max);
                    whoLed.add(id);
                    try {
                        Thread.sleep(20);
                    } finally {
                        leaders.decrementAndGet();
                        terms.incrementAndGet();
                    }
                }
            });
            s.setId(id);
            s.autoRequeue();
            track(s);
            selectors.add(s);
        }
        selectors.forEach(LeaderSelector::start);
        Await.until("9 terms of leadership", Duration.ofSeconds(WAIT_S), () -> terms.get() >= 9);
        assertThat(maxLeaders.get()).as("leaders at once").isEqualTo(1);
        assertThat(whoLed).as("leadership went around").hasSize(CLIENTS);
    }

    @Test
    void barrier() throws Exception {
        List<CuratorFramework> cs = clients(CLIENTS);
        String path = base + "/barrier";
        new DistributedBarrier(cs.get(0), path).setBarrier();
        ExecutorService pool = pool(2);
        List<Future<Boolean>> waiters = new ArrayList<>();
        for (int i = 1; i < CLIENTS; i++) {
            DistributedBarrier b = new DistributedBarrier(cs.get(i), path);
            waiters.add(pool.submit(() -> b.waitOnBarrier(WAIT_S, TimeUnit.SECONDS)));
        }
        Thread.sleep(200);
        assertThat(waiters).noneMatch(Future::isDone);
        new DistributedBarrier(cs.get(0), path).removeBarrier();
        for (Future<Boolean> f : waiters) {
            assertThat(f.get(WAIT_S, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void doubleBarrier() throws Exception {
        String path = base + "/double";
        AtomicInteger entered = new AtomicInteger();
        List<Integer> seenOnEntry = new CopyOnWriteArrayList<>();
        ExecutorService pool = pool(CLIENTS);
        List<Future<?>> fs = new ArrayList<>();
        CountDownLatch twoWaiting = new CountDownLatch(1);
        int i = 0;
        for (CuratorFramework c : clients(CLIENTS)) {
            int me = i++;
            DistributedDoubleBarrier b = new DistributedDoubleBarrier(c, path, CLIENTS);
            fs.add(pool.submit(() -> {
                if (me == CLIENTS - 1) {
                    twoWaiting.await(WAIT_S, TimeUnit.SECONDS);
                    Thread.sleep(200);
                    seenOnEntry.add(entered.get());
                }
                if (!b.enter(WAIT_S, TimeUnit.SECONDS)) {
                    throw new AssertionError("enter timed out");
                }
                entered.incrementAndGet();
                if (!b.leave(WAIT_S, TimeUnit.SECONDS)) {
                    throw new AssertionError("leave timed out");
                }
                return null;
            }));
            if (me == 1) {
                twoWaiting.countDown();
            }
        }
        awaitAll(fs);
        assertThat(seenOnEntry).as("nobody entered before the last member came").containsExactly(0);
        assertThat(entered.get()).isEqualTo(CLIENTS);
    }

    private static final QueueSerializer<String> STRINGS = new QueueSerializer<>() {
        @Override
        public byte[] serialize(String item) {
            return item.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String deserialize(byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    };

    private static QueueConsumer<String> consumer(List<String> sink) {
        return new QueueConsumer<>() {
            @Override
            public void consumeMessage(String message) {
                sink.add(message);
            }

            @Override
            public void stateChanged(CuratorFramework client, ConnectionState newState) {
            }
        };
    }

    @Test
    void queueDeliversEachItemOnce() throws Exception {
        List<CuratorFramework> cs = clients(4);
        String path = base + "/queue";
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        for (int i = 2; i < 4; i++) {
            DistributedQueue<String> q = track(QueueBuilder.builder(cs.get(i), consumer(got), STRINGS, path).buildQueue());
            q.start();
        }
        ExecutorService pool = pool(2);
        List<Future<?>> fs = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            int producer = p;
            DistributedQueue<String> q = track(QueueBuilder.builder(cs.get(p), null, STRINGS, path).buildQueue());
            q.start();
            fs.add(pool.submit(() -> {
                for (int i = 0; i < 20; i++) {
                    q.put("p" + producer + "-" + i);
                }
                return null;
            }));
        }
        awaitAll(fs);
        Await.until("40 items consumed", Duration.ofSeconds(WAIT_S), () -> got.size() >= 40);
        Await.holdsFor("no item delivered twice", Duration.ofMillis(300), () -> got.size() == 40);
        assertThat(Set.copyOf(got)).hasSize(40);
    }

    @Test
    void priorityQueueDeliversInPriorityOrder() throws Exception {
        List<CuratorFramework> cs = clients(2);
        String path = base + "/pqueue";
        // Curator puts in the background by default: without this, the consumer can list the queue before the
        // last put lands and take a lower priority first (seen on ZooKeeper too).
        DistributedPriorityQueue<String> producer = track(
                QueueBuilder.builder(cs.get(0), null, STRINGS, path).putInBackground(false).buildPriorityQueue(0));
        producer.start();
        producer.put("low", 9);
        producer.put("high", -5);
        producer.put("mid", 3);
        producer.put("top", -10);
        List<String> got = new CopyOnWriteArrayList<>();
        DistributedPriorityQueue<String> consumer = track(
                QueueBuilder.builder(cs.get(1), consumer(got), STRINGS, path).buildPriorityQueue(0));
        consumer.start();
        Await.until("4 items consumed", Duration.ofSeconds(WAIT_S), () -> got.size() == 4);
        assertThat(got).containsExactly("top", "high", "mid", "low");
    }

    @Test
    void delayQueueWaitsForTheDelay() throws Exception {
        List<CuratorFramework> cs = clients(2);
        String path = base + "/dqueue";
        List<String> got = new CopyOnWriteArrayList<>();
        List<Long> at = new CopyOnWriteArrayList<>();
        DistributedDelayQueue<String> consumer = track(QueueBuilder.builder(cs.get(1), new QueueConsumer<String>() {
            @Override
            public void consumeMessage(String message) {
                got.add(message);
                at.add(System.currentTimeMillis());
            }

            @Override
            public void stateChanged(CuratorFramework client, ConnectionState newState) {
            }
        }, STRINGS, path).buildDelayQueue());
        consumer.start();
        DistributedDelayQueue<String> producer = track(QueueBuilder.builder(cs.get(0), null, STRINGS, path).buildDelayQueue());
        producer.start();
        long now = System.currentTimeMillis();
        producer.put("later", now + 800);
        producer.put("now", now);
        Await.until("2 items consumed", Duration.ofSeconds(WAIT_S), () -> got.size() == 2);
        assertThat(got).containsExactly("now", "later");
        assertThat(at.get(1)).isGreaterThanOrEqualTo(now + 800);
    }

    @Test
    void sharedCountAndAtomicLong() throws Exception {
        List<CuratorFramework> cs = clients(CLIENTS);
        ExecutorService pool = pool(CLIENTS);
        List<Future<?>> fs = new ArrayList<>();
        List<Integer> seen = new CopyOnWriteArrayList<>();
        List<Long> postValues = new CopyOnWriteArrayList<>();
        for (CuratorFramework c : cs) {
            SharedCount count = track(new SharedCount(c, base + "/count", 0));
            count.start();
            DistributedAtomicLong along = new DistributedAtomicLong(c, base + "/long", new RetryNTimes(100, 5));
            fs.add(pool.submit(() -> {
                for (int i = 0; i < 10; i++) {
                    while (true) {
                        VersionedValue<Integer> v = count.getVersionedValue();
                        if (count.trySetCount(v, v.getValue() + 1)) {
                            seen.add(v.getValue() + 1);
                            break;
                        }
                    }
                    AtomicValue<Long> r = along.increment();
                    if (!r.succeeded()) {
                        throw new AssertionError("increment did not succeed");
                    }
                    postValues.add(r.postValue());
                }
                return null;
            }));
        }
        awaitAll(fs);
        SharedCount reader = track(new SharedCount(cs.get(0), base + "/count", 0));
        reader.start();
        assertThat(reader.getCount()).isEqualTo(30);
        assertThat(Set.copyOf(seen)).hasSize(30);
        assertThat(new DistributedAtomicLong(cs.get(0), base + "/long", new RetryNTimes(3, 5)).get().postValue())
                .isEqualTo(30L);
        assertThat(Set.copyOf(postValues)).hasSize(30);
    }
}
