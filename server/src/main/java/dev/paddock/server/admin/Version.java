package dev.paddock.server.admin;

/** Paddock's own version, from the jar manifest when packaged. */
public final class Version {
    public static final String PADDOCK = orDefault(Version.class.getPackage().getImplementationVersion(), "dev");
    public static final String BUILT = "unknown";

    private Version() {
    }

    private static String orDefault(String s, String fallback) {
        return s == null ? fallback : s;
    }
}
