package dev.paddock.compat.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A JAAS file written by a test: the server's "Server" section with its DIGEST-MD5 users, and one client
 * section per user (named by {@link #clientSection}) for clients that log in as that user. Point
 * {@code java.security.auth.login.config} at {@link #path()} through the server settings' system
 * properties, which drop the JVM's cached JAAS configuration when they change it.
 */
public final class Jaas {
    private static final String DIGEST_MODULE = "org.apache.zookeeper.server.auth.DigestLoginModule";

    private final Path path;

    private Jaas(Path path) {
        this.path = path;
    }

    /** users: name to password, known to the server; clients: section suffix to "name:password". */
    public static Jaas write(Map<String, String> users, Map<String, String> clients) throws IOException {
        StringBuilder text = new StringBuilder("Server {\n  " + DIGEST_MODULE + " required");
        users.forEach((user, password) -> text.append("\n  user_").append(user).append("=\"").append(password)
                .append('"'));
        text.append(";\n};\n");
        clients.forEach((name, credentials) -> {
            String[] parts = credentials.split(":", 2);
            text.append(clientSection(name)).append(" {\n  ").append(DIGEST_MODULE).append(" required\n  username=\"")
                    .append(parts[0]).append("\"\n  password=\"").append(parts[1]).append("\";\n};\n");
        });
        Path file = Files.createTempFile("security-jaas", ".conf");
        file.toFile().deleteOnExit();
        Files.writeString(file, text);
        return new Jaas(file);
    }

    /** A JAAS file of the given sections, e.g. Kerberos ones ({@link Kdc#jaasSection}). */
    public static Jaas of(String... sections) throws IOException {
        Path file = Files.createTempFile("security-jaas", ".conf");
        file.toFile().deleteOnExit();
        Files.writeString(file, String.join("", sections));
        return new Jaas(file);
    }

    public static String clientSection(String name) {
        return "Client_" + name;
    }

    public Path path() {
        return path;
    }

    /** Server settings that make the server read this file (and the sasl ACL scheme exist). */
    public ServerSettings saslServer(ServerSettings settings) {
        return settings.systemProperty(SystemPropertiesOverride.JAAS, path.toString())
                .systemProperty("zookeeper.authProvider.1", "org.apache.zookeeper.server.auth.SASLAuthenticationProvider");
    }
}
