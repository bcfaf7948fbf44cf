package dev.paddock.compat.probe;

import dev.paddock.compat.harness.GlobalSystemProperties;
import dev.paddock.compat.harness.ServerSettings;
import dev.paddock.compat.harness.ServerUnderTest;
import dev.paddock.compat.harness.Target;
import dev.paddock.compat.harness.TestCertificates;
import dev.paddock.compat.harness.TestCertificates.Identity;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;

/**
 * An indicative measurement, not a test (speed is measured in bench): one Java client (ClientCnxnSocketNetty)
 * against Paddock and ZooKeeper 3.9.5 in this JVM, over TLS (secureClientPort, client certificate) and in
 * plaintext, in the same run: pipelined setData throughput and synchronous getData p99. Run (after
 * {@code mvn -B -o -pl compat-tests -am test-compile}, from the repository root) with
 * <pre>
 * mvn -B -q -o -f compat-tests dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp compat-tests/target/test-classes:server/target/classes:wire/target/classes:$(tr ':' '\n' &lt; /tmp/cp.txt \
 *     | grep -v paddock | paste -sd:) dev.paddock.compat.probe.TlsThroughputProbe 20000 5000
 * </pre>
 */
public final class TlsThroughputProbe {
    private TlsThroughputProbe() {
    }

    public static void main(String[] args) throws Exception {
        GlobalSystemProperties.install();
        int writes = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int reads = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        TestCertificates certs = new TestCertificates(Files.createTempDirectory("security-probe"));
        Identity ca = certs.authority("Probe CA");
        Path serverKeys = certs.keyStore("server.p12", certs.leaf("CN=server", ca));
        Path trust = certs.trustStore("ca.p12", ca.certificate());
        Path clientKeys = certs.keyStore("client.p12", certs.leaf("CN=client", ca));
        for (int round = 0; round < 2; round++) {
            for (Target target : Target.values()) {
                int securePort = freePort();
                ServerSettings settings = ServerSettings.defaults()
                        .zooCfg("secureClientPort", Integer.toString(securePort)).zooCfg("forceSync", "no")
                        .systemProperty("zookeeper.serverCnxnFactory", "org.apache.zookeeper.server.NettyServerCnxnFactory")
                        .systemProperty("zookeeper.authProvider.x509",
                                "org.apache.zookeeper.server.auth.X509AuthenticationProvider")
                        .systemProperty("zookeeper.ssl.keyStore.location", serverKeys.toString())
                        .systemProperty("zookeeper.ssl.keyStore.password", TestCertificates.PASSWORD)
                        .systemProperty("zookeeper.ssl.trustStore.location", trust.toString())
                        .systemProperty("zookeeper.ssl.trustStore.password", TestCertificates.PASSWORD);
                try (ServerUnderTest s = target.start(settings)) {
                    for (boolean tls : new boolean[] {false, true}) {
                        ZooKeeper zk = client(tls ? securePort : s.clientPort(), tls, clientKeys, trust);
                        String label = s.name() + (tls ? " tls" : " plain");
                        measure(round, label, zk, writes, reads);
                        zk.close();
                    }
                }
            }
        }
    }

    private static void measure(int round, String label, ZooKeeper zk, int writes, int reads) throws Exception {
        String path = "/probe-" + System.nanoTime();
        zk.create(path, new byte[100], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        byte[] data = new byte[100];
        Semaphore inFlight = new Semaphore(200);
        long start = System.nanoTime();
        for (int i = 0; i < writes; i++) {
            inFlight.acquire();
            zk.setData(path, data, -1, (rc, p, ctx, stat) -> inFlight.release(), null);
        }
        inFlight.acquire(200);
        double writesPerSecond = writes / ((System.nanoTime() - start) / 1e9);
        long[] latencies = new long[reads];
        for (int i = 0; i < reads; i++) {
            long t = System.nanoTime();
            zk.getData(path, false, null);
            latencies[i] = System.nanoTime() - t;
        }
        Arrays.sort(latencies);
        System.out.printf("round %d %-16s setData %8.0f/s   getData p50 %6.1f us  p99 %6.1f us%n", round, label,
                writesPerSecond, latencies[reads / 2] / 1e3, latencies[reads * 99 / 100] / 1e3);
    }

    private static ZooKeeper client(int port, boolean tls, Path keys, Path trust) throws Exception {
        ZKClientConfig cc = new ZKClientConfig();
        cc.setProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET, "org.apache.zookeeper.ClientCnxnSocketNetty");
        cc.setProperty(ZKClientConfig.SECURE_CLIENT, Boolean.toString(tls));
        cc.setProperty("zookeeper.ssl.keyStore.location", keys.toString());
        cc.setProperty("zookeeper.ssl.keyStore.password", TestCertificates.PASSWORD);
        cc.setProperty("zookeeper.ssl.trustStore.location", trust.toString());
        cc.setProperty("zookeeper.ssl.trustStore.password", TestCertificates.PASSWORD);
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper("127.0.0.1:" + port, 30_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        }, cc);
        if (!connected.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no session on port " + port);
        }
        return zk;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }
}
