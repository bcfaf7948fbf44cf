package dev.paddock.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code tls} section: the same closed-loop load as {@code load}, over TLS, with the JDK's provider and with
 * OpenSSL (BoringSSL through netty-tcnative, {@code ssl.sslProvider=OPENSSL}), on both servers. Both take TLS on
 * their client port through port unification (so {@code srvr} still answers in plaintext for the harness);
 * ZooKeeper needs its Netty connection factory for TLS at all. The clients are the ZooKeeper Java client over
 * Netty with TLS, configured through the {@code zookeeper.*} system properties it reads when a session is made,
 * which this class sets for the section's duration only. One self-signed certificate (made with the JDK's
 * keytool) is the servers' key and, exported as PEM, the clients' trust; no client certificates ({@code ssl.clientAuth=none}).
 */
final class TlsBench {
    static final List<String> PROVIDERS = List.of("JDK", "OPENSSL");
    private static final String PASSWORD = "benchpass";

    private final Path keyStore;
    /** The certificate alone, as PEM: a key store's private key entry is no trust anchor. */
    private final Path trustStore;

    private TlsBench(Path keyStore, Path trustStore) {
        this.keyStore = keyStore;
        this.trustStore = trustStore;
    }

    /**
     * The section for one server kind in one round: the plain server the harness started is replaced by one
     * with TLS for each provider; 100% reads and 100% writes (the mode's mixes when it has neither) at the
     * largest payload, one request in flight per session and the most the load section uses. Returns the last
     * server started, for the harness to close.
     */
    static ServerProcess section(ServerProcess plain, Path dir, SectionRun run) throws Exception {
        plain.close();
        Settings settings = run.settings();
        TlsBench tls = create(run.env().workDir(), run.env());
        int payload = settings.loadPayloadBytes().stream().max(Integer::compare).orElseThrow();
        List<Integer> inFlight = List.of(1, settings.loadInFlightPerSession().stream().max(Integer::compare).orElseThrow());
        List<String> pure = settings.loadMixes().stream().filter(m -> m.equals("read100") || m.equals("write100")).toList();
        List<String> mixes = pure.isEmpty() ? settings.loadMixes() : pure; // smoke has one mixed mix only
        ServerProcess server = plain;
        for (String provider : PROVIDERS) {
            String lower = provider.toLowerCase(Locale.ROOT);
            List<String> flags = new ArrayList<>(run.recordingFlags().apply("tls-" + lower));
            flags.addAll(tls.serverFlags(provider));
            server = ServerProcess.start(plain.kind, dir.resolve(lower), run.env(), settings.serverHeap(), flags);
            try (ClientProperties client = tls.clientProperties()) {
                Warmup.run(server.connectString(), 4, settings.serverWarmupMs());
                try (LoadGenerator gen = new LoadGenerator(server.connectString(), settings.loadSessions(),
                        settings.loadKeys())) {
                    gen.prepare(payload);
                    for (String mix : mixes) {
                        for (int w : inFlight) {
                            String item = provider + ", " + Settings.mixLabel(mix) + ", " + Report.payloadLabel(payload)
                                    + ", " + w * settings.loadSessions() + " in flight";
                            LoadGenerator.Point p = gen.run(Settings.readFraction(mix), payload, w,
                                    settings.loadWarmupMs(), settings.loadMeasureMs(), server::cpuNanos);
                            addPoint(run, item, p);
                        }
                    }
                }
            } finally {
                server.close();
                run.keepServerLog(server, dir.getFileName() + "-" + lower);
            }
        }
        return server;
    }

    private static void addPoint(SectionRun run, String item, LoadGenerator.Point p) {
        Figures figures = run.figures();
        figures.add("tls", item, "ops/s", "ops/s", false, run.kind(), run.round(), p.opsPerSec());
        run.addCpu("tls", item, BenchMain.SERVER_CPU, p.cpuMicrosPerOp());
        figures.add("tls", item, "p50", "ms", true, run.kind(), run.round(), p.p50Ms());
        figures.add("tls", item, "p99", "ms", true, run.kind(), run.round(), p.p99Ms());
        figures.add("tls", item, "p99.9", "ms", true, run.kind(), run.round(), p.p999Ms());
        if (p.errors() > 0) {
            figures.note("tls", item, "ops/s", run.kind().label + ": " + p.errors() + " errors");
        }
    }

    /** Makes the certificate under {@code dir} (once per run). */
    static TlsBench create(Path dir, Environment env) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path store = dir.resolve("bench-tls.p12");
        Path trust = dir.resolve("bench-tls-trust.pem");
        if (!Files.exists(trust)) {
            String keytool = Path.of(env.javaBinary()).resolveSibling("keytool").toString();
            keytool(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
            keytool(keytool, "-exportcert", "-rfc", "-alias", "server", "-keystore", store.toString(),
                    "-storepass", PASSWORD, "-file", trust.toString());
        }
        return new TlsBench(store, trust);
    }

    private static void keytool(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + out);
        }
    }

    /** The server's JVM flags for one provider (both servers read these as ZooKeeper does). */
    List<String> serverFlags(String provider) {
        List<String> flags = new ArrayList<>();
        flags.add("-Dzookeeper.serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory");
        flags.add("-Dzookeeper.client.portUnification=true");
        flags.add("-Dzookeeper.ssl.keyStore.location=" + keyStore.toAbsolutePath());
        flags.add("-Dzookeeper.ssl.keyStore.password=" + PASSWORD);
        flags.add("-Dzookeeper.ssl.trustStore.location=" + trustStore.toAbsolutePath());
        flags.add("-Dzookeeper.ssl.clientAuth=none");
        flags.add("-Dzookeeper.ssl.sslProvider=" + provider);
        return flags;
    }

    /** The client side's properties; {@link ClientProperties#close} puts back what was there. */
    ClientProperties clientProperties() {
        return new ClientProperties(Map.of(
                "zookeeper.client.secure", "true",
                "zookeeper.clientCnxnSocket", "org.apache.zookeeper.ClientCnxnSocketNetty",
                "zookeeper.ssl.trustStore.location", trustStore.toAbsolutePath().toString(),
                "zookeeper.ssl.hostnameVerification", "false"));
    }

    /** System properties set for a while, then restored. */
    static final class ClientProperties implements AutoCloseable {
        private final Map<String, String> previous = new java.util.HashMap<>();

        ClientProperties(Map<String, String> set) {
            set.forEach((k, v) -> previous.put(k, System.setProperty(k, v)));
        }

        @Override
        public void close() {
            previous.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
    }
}
