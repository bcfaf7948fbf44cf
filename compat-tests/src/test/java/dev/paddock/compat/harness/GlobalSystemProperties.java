package dev.paddock.compat.harness;

/**
 * System properties that the reference server caches for the life of the JVM (the super digest
 * is read once when DigestAuthenticationProvider is loaded), so every scenario class in this JVM
 * must agree on them. Installed from {@link CompatTestBase}'s static initializer, before any
 * server or client class is used. The 4lw whitelist is cached too, but {@link ReferenceZooKeeper}
 * makes each server read it again, so a scenario class may whitelist other words in its zoo.cfg.
 */
public final class GlobalSystemProperties {
    /** The super user's password; its digest is installed as the super digest. */
    public static final String SUPER_PASSWORD = "super-secret";
    /** DigestAuthenticationProvider.generateDigest("super:super-secret"), precomputed. */
    public static final String SUPER_DIGEST = "super:" + Digests.base64Sha1("super:" + SUPER_PASSWORD);
    /** Whitelisted words. "dump", "envi", "conf" and friends are deliberately left out. */
    public static final String FOUR_LETTER_WHITELIST = "ruok,srvr,stat,isro,mntr";
    /** Where ZooKeeper reads the whitelist (its zoo.cfg key is copied there). */
    public static final String WHITELIST_PROPERTY = "zookeeper.4lw.commands.whitelist";

    private static volatile boolean installed;

    private GlobalSystemProperties() {
    }

    public static synchronized void install() {
        if (installed) {
            return;
        }
        System.setProperty("zookeeper.DigestAuthenticationProvider.superDigest", SUPER_DIGEST);
        System.setProperty(WHITELIST_PROPERTY, FOUR_LETTER_WHITELIST);
        System.setProperty("zookeeper.admin.enableServer", "false");
        // The client must not try SASL: there is no JAAS configuration in these tests.
        System.setProperty("zookeeper.sasl.client", "false");
        // A request the server never answers fails the call after 15 s instead of hanging it.
        System.setProperty("zookeeper.request.timeout", "15000");
        installed = true;
    }
}
