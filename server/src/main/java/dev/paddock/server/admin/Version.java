package dev.paddock.server.admin;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.util.jar.Manifest;

/** Paddock's own version and build time, from the jar manifest when packaged ("dev", "unknown" otherwise). */
public final class Version {
    public static final String PADDOCK = orDefault(Version.class.getPackage().getImplementationVersion(), "dev");
    public static final String BUILT = orDefault(buildTime(), "unknown");

    private Version() {
    }

    private static String orDefault(String s, String fallback) {
        return s == null ? fallback : s;
    }

    /** The Build-Time the server's pom writes into the manifest of the jar this class came from. */
    private static String buildTime() {
        URL self = Version.class.getResource("Version.class");
        if (self == null || !"jar".equals(self.getProtocol())) {
            return null;
        }
        String url = self.toString();
        String manifest = url.substring(0, url.indexOf("!/") + 2) + "META-INF/MANIFEST.MF";
        try (InputStream in = URI.create(manifest).toURL().openStream()) {
            return new Manifest(in).getMainAttributes().getValue("Build-Time");
        } catch (IOException e) {
            return null;
        }
    }
}
