package dev.paddock.compat.legacy;

import java.io.File;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Class loaders for the released Java clients, one per version. The jars of 3.4.14 to 3.8.6 are
 * copied into {@code target/old-clients/<version>} by the maven-dependency-plugin; 3.9.5 is the
 * client on the test class path, taken from where its classes were loaded. Each loader sees its
 * client's jars and this module's test classes (for {@link LegacyClient}), and from the test
 * class path only slf4j (so that old clients log into the same log file); nothing else of the
 * test class path, so no 3.9.5 class can leak in (and netty, which 3.9.5 links to for TLS even
 * when it is not used). 3.4.14 alone gets {@link Java14AddressShim} in front of its jars.
 */
public final class LegacyClients {
    public static final String CURRENT = "3.9.5";
    private static final Map<String, ClassLoader> LOADERS = new ConcurrentHashMap<>();

    private LegacyClients() {
    }

    /** A handle on one {@link LegacyClient} of the given version. */
    public static Handle connect(String version, String connectString, int sessionTimeoutMs) {
        try {
            Class<?> c = loaderFor(version).loadClass(LegacyClient.class.getName());
            Constructor<?> k = c.getConstructor(String.class, int.class);
            return new Handle(version, k.newInstance(connectString, sessionTimeoutMs));
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(version + " client failed to connect: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A second client of the same version on an existing session (a session move). */
    public static Handle resume(Handle h, String connectString, int sessionTimeoutMs) {
        try {
            long id = (Long) h.call("sessionId");
            byte[] pw = (byte[]) h.call("sessionPassword");
            Class<?> c = loaderFor(h.version).loadClass(LegacyClient.class.getName());
            Constructor<?> k = c.getConstructor(String.class, int.class, long.class, byte[].class);
            return new Handle(h.version, k.newInstance(connectString, sessionTimeoutMs, id, pw));
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(h.version + " client failed to resume: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static ClassLoader loaderFor(String version) {
        return LOADERS.computeIfAbsent(version, LegacyClients::newLoader);
    }

    private static ClassLoader newLoader(String version) {
        try {
            List<URL> urls = new ArrayList<>();
            if (version.equals(CURRENT)) {
                urls.add(codeSource(org.apache.zookeeper.ZooKeeper.class));
                urls.add(codeSource(org.apache.zookeeper.data.Stat.class));
            } else {
                Path dir = Paths.get("target", "old-clients", version);
                if (!Files.isDirectory(dir)) {
                    throw new IllegalStateException("no jars for client " + version + " in " + dir.toAbsolutePath()
                            + ": run the build through Maven (generate-test-resources copies them)");
                }
                if (version.equals("3.4.14")) {
                    urls.add(Java14AddressShim.compile(dir).toUri().toURL());
                }
                try (Stream<Path> s = Files.list(dir)) {
                    for (Path p : s.sorted().toList()) {
                        urls.add(p.toUri().toURL());
                    }
                }
            }
            urls.add(codeSource(LegacyClient.class));
            ClassLoader app = LegacyClients.class.getClassLoader();
            return new URLClassLoader("zookeeper-client-" + version, urls.toArray(new URL[0]),
                    ClassLoader.getPlatformClassLoader()) {
                @Override
                protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                    if (name.startsWith("org.slf4j.") || name.startsWith("io.netty.")) {
                        return app.loadClass(name);
                    }
                    return super.loadClass(name, resolve);
                }
            };
        } catch (Exception e) {
            throw new IllegalStateException("cannot build a class loader for client " + version + ": " + e, e);
        }
    }

    private static URL codeSource(Class<?> c) throws Exception {
        return new File(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toURI().toURL();
    }

    /** Calls on a client living in another class loader, with plain argument types. */
    public static final class Handle implements AutoCloseable {
        public final String version;
        private final Object client;
        private boolean closed;

        Handle(String version, Object client) {
            this.version = version;
            this.client = client;
        }

        public Object call(String method, Object... args) {
            for (Method m : client.getClass().getMethods()) {
                if (m.getName().equals(method) && m.getParameterCount() == args.length) {
                    try {
                        return m.invoke(client, args);
                    } catch (InvocationTargetException e) {
                        Throwable c = e.getCause();
                        if (c instanceof RuntimeException re) {
                            throw re;
                        }
                        if (c instanceof Error err) {
                            throw err;
                        }
                        throw new IllegalStateException(version + " " + method + ": " + c, c);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
            throw new IllegalArgumentException("no method " + method + "/" + args.length);
        }

        public String str(String method, Object... args) {
            return (String) call(method, args);
        }

        @SuppressWarnings("unchecked")
        public List<String> list(String method, Object... args) {
            return (List<String>) call(method, args);
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                call("close");
            }
        }
    }
}
