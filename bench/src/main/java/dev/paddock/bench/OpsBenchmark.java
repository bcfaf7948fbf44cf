package dev.paddock.bench;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Per-operation latency with the synchronous ZooKeeper client, one request in flight. The harness runs
 * this class against each server in turn by setting {@code connect}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
public class OpsBenchmark {
    public static final List<String> ALL =
            List.of("create", "getData", "setData", "exists", "getChildren2", "multi3", "watchRoundTrip");

    static final String ROOT = "/jmh";
    static final String DATA = ROOT + "/data";
    static final String CHILDREN = ROOT + "/children";
    static final String CREATES = ROOT + "/creates";
    static final String MULTI_A = ROOT + "/multiA";
    static final String MULTI_B = ROOT + "/multiB";
    static final String WATCHED = ROOT + "/watched";

    @Param({"127.0.0.1:2181"})
    public String connect;

    private ZooKeeper zk;
    private final byte[] payload = new byte[100];
    private final Stat stat = new Stat();
    private List<Op> multi;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        zk = Clients.connect(connect, 30_000);
        for (String path : List.of(ROOT, DATA, CHILDREN, CREATES, MULTI_A, MULTI_B, WATCHED)) {
            Clients.ensure(zk, path, payload);
        }
        for (int i = 0; i < 10; i++) {
            Clients.ensure(zk, CHILDREN + "/child-" + i, payload);
        }
        multi = List.of(Op.check(DATA, -1), Op.setData(MULTI_A, payload, -1), Op.setData(MULTI_B, payload, -1));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        zk.close();
    }

    @Benchmark
    public String create() throws KeeperException, InterruptedException {
        return zk.create(CREATES + "/n-", payload, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL);
    }

    @Benchmark
    public byte[] getData() throws KeeperException, InterruptedException {
        return zk.getData(DATA, false, stat);
    }

    @Benchmark
    public Stat setData() throws KeeperException, InterruptedException {
        return zk.setData(DATA, payload, -1);
    }

    @Benchmark
    public Stat exists() throws KeeperException, InterruptedException {
        return zk.exists(DATA, false);
    }

    @Benchmark
    public List<String> getChildren2() throws KeeperException, InterruptedException {
        return zk.getChildren(CHILDREN, false, stat);
    }

    @Benchmark
    public Object multi3() throws KeeperException, InterruptedException {
        return zk.multi(multi);
    }

    /** Set a watch, change the node, and wait for the event. */
    @Benchmark
    public Stat watchRoundTrip() throws KeeperException, InterruptedException {
        CountDownLatch fired = new CountDownLatch(1);
        Watcher w = event -> fired.countDown();
        zk.exists(WATCHED, w);
        Stat s = zk.setData(WATCHED, payload, -1);
        if (!fired.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("watch event not delivered within 30 s");
        }
        return s;
    }
}
