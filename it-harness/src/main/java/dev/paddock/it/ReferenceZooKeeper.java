package dev.paddock.it;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The reference Apache ZooKeeper 3.9.5 server, in this JVM but in a classloader of its own: the test
 * classpath holds the ZooKeeper 3.8.4 client that Kafka 3.9.2 and Dubbo's Curator 5 bundle pin, so the
 * server's jars (copied by each module's build to the directory the {@code paddock.referenceZooKeeperDir}
 * system property names, target/reference-zookeeper by default) must not meet it.
 */
public final class ReferenceZooKeeper implements Coordinator {
    private final Path baseDir;
    private final URLClassLoader loader;
    private final int port;
    private Object server;

    private ReferenceZooKeeper(Path baseDir, URLClassLoader loader, int port) {
        this.baseDir = baseDir;
        this.loader = loader;
        this.port = port;
    }

    /** Starts on a free loopback port, data under {@code baseDir}. */
    public static ReferenceZooKeeper start(Path baseDir) throws Exception {
        Files.createDirectories(baseDir);
        Path jars = Paths.get(System.getProperty("paddock.referenceZooKeeperDir", "target/reference-zookeeper"));
        List<URL> urls = new ArrayList<>();
        try (Stream<Path> files = Files.list(jars)) {
            for (Path jar : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".jar"))::iterator) {
                urls.add(jar.toUri().toURL());
            }
        }
        if (urls.isEmpty()) {
            throw new IllegalStateException("no reference ZooKeeper jars in " + jars.toAbsolutePath());
        }
        URLClassLoader loader = new URLClassLoader("reference-zookeeper", urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader());
        ReferenceZooKeeper zk = new ReferenceZooKeeper(baseDir, loader, freePort());
        zk.server = zk.launch();
        return zk;
    }

    private Object launch() throws Exception {
        Properties p = new Properties();
        p.setProperty("clientPort", Integer.toString(port));
        p.setProperty("clientPortAddress", "127.0.0.1");
        p.setProperty("tickTime", "2000");
        p.setProperty("maxClientCnxns", "0");
        p.setProperty("admin.enableServer", "false");
        p.setProperty("4lw.commands.whitelist", "*");
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            Class<?> embedded = loader.loadClass("org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded");
            Object builder = embedded.getMethod("builder").invoke(null);
            Class<?> b = builder.getClass();
            b.getMethod("baseDir", Path.class).invoke(builder, baseDir);
            b.getMethod("configuration", Properties.class).invoke(builder, p);
            Class<?> exitHandler = loader.loadClass("org.apache.zookeeper.server.embedded.ExitHandler");
            b.getMethod("exitHandler", exitHandler).invoke(builder, exitHandler.getField("LOG_ONLY").get(null));
            Object s = b.getMethod("build").invoke(builder);
            embedded.getMethod("start", long.class).invoke(s, 30_000L);
            return s;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** A port free on loopback now (the tests' servers all listen there). */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public String connectString() {
        return "127.0.0.1:" + port;
    }

    @Override
    public String name() {
        return "ZooKeeper 3.9.5";
    }

    @Override
    public synchronized void restart() throws Exception {
        stopServer();
        server = launch();
    }

    private void stopServer() {
        if (server != null) {
            try {
                Method close = AutoCloseable.class.getMethod("close");
                close.invoke(server);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            server = null;
        }
    }

    @Override
    public synchronized void close() {
        stopServer();
        try {
            loader.close();
        } catch (IOException ignored) {
            // the jars stay open until the JVM ends; nothing to clean up
        }
    }
}
