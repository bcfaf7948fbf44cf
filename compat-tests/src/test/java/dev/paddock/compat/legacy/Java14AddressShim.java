package dev.paddock.compat.legacy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The 3.4.14 client cannot connect to anything on Java 14 or later: its StaticHostProvider takes
 * the host name of an unresolved address from {@code InetSocketAddress.toString()}, which became
 * {@code "host/<unresolved>:port"} in Java 14, and then fails to resolve "host/<unresolved>"
 * (ZOOKEEPER-3779, fixed in 3.5.8 and 3.6.1, never in 3.4). No Java older than 17 is on these
 * machines, so the 3.4.14 loader gets a replacement {@code org.apache.zookeeper.client.StaticHostProvider}
 * in front of the 3.4.14 jar: the same round robin over the connect string's addresses (shuffled,
 * a pause of spinDelay after a full round without a connection), resolved through
 * {@code getHostString()}. It only picks addresses; everything on the wire is the unmodified
 * 3.4.14 client. Compiled here, against the 3.4.14 jar, because a class of that name on the test
 * class path would shadow the 3.9.5 client's own.
 */
final class Java14AddressShim {
    private static final String SOURCE = """
            package org.apache.zookeeper.client;

            import java.net.InetSocketAddress;
            import java.util.ArrayList;
            import java.util.Collection;
            import java.util.Collections;
            import java.util.List;

            public final class StaticHostProvider implements HostProvider {
                private final List<InetSocketAddress> addresses = new ArrayList<>();
                private int current = -1;
                private int lastConnected = -1;

                public StaticHostProvider(Collection<InetSocketAddress> serverAddresses) {
                    for (InetSocketAddress a : serverAddresses) {
                        addresses.add(new InetSocketAddress(a.getHostString(), a.getPort()));
                    }
                    if (addresses.isEmpty()) {
                        throw new IllegalArgumentException("A HostProvider may not be empty!");
                    }
                    Collections.shuffle(addresses);
                }

                public int size() {
                    return addresses.size();
                }

                public InetSocketAddress next(long spinDelay) {
                    current = (current + 1) % addresses.size();
                    if (current == lastConnected && spinDelay > 0) {
                        try {
                            Thread.sleep(spinDelay);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    } else if (lastConnected == -1) {
                        lastConnected = 0;
                    }
                    InetSocketAddress a = addresses.get(current);
                    return new InetSocketAddress(a.getHostString(), a.getPort());
                }

                public void onConnected() {
                    lastConnected = current;
                }
            }
            """;

    private Java14AddressShim() {
    }

    /** Compiles the replacement into a directory beside the jars; returns that directory. */
    static synchronized Path compile(Path jarDir) throws Exception {
        Path out = jarDir.resolveSibling(jarDir.getFileName() + "-java14-shim");
        Path cls = out.resolve("org/apache/zookeeper/client/StaticHostProvider.class");
        if (Files.exists(cls)) {
            return out;
        }
        Path src = Files.createTempDirectory("shim-src").resolve("StaticHostProvider.java");
        Files.writeString(src, SOURCE, StandardCharsets.UTF_8);
        String cp;
        try (Stream<Path> s = Files.list(jarDir)) {
            cp = String.join(java.io.File.pathSeparator, s.map(Path::toString).toList());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no system Java compiler: the tests must run on a JDK");
        }
        Files.createDirectories(out);
        int rc = javac.run(null, null, null, List.of("-d", out.toString(), "-cp", cp, "-nowarn", src.toString())
                .toArray(new String[0]));
        if (rc != 0) {
            throw new IllegalStateException("compiling the 3.4.14 address shim failed: " + rc);
        }
        return out;
    }
}
