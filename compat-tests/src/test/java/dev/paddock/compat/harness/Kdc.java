package dev.paddock.compat.harness;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.server.SimpleKdcServer;

/**
 * An in-process Kerberos KDC (Apache Kerby) for one test class: realm {@link #REALM} on a free loopback
 * TCP port, principals with keytabs, and a krb5.conf the JVM is pointed at while the KDC runs. The JDK
 * reads krb5.conf once; {@link #start} and {@link #close} make it read the file now in force again, so
 * the classes before and after see their own Kerberos settings.
 */
public final class Kdc implements AutoCloseable {
    public static final String REALM = "EXAMPLE.COM";
    private static final String KRB5_CONF = "java.security.krb5.conf";

    private final SimpleKdcServer server;
    private final Path dir;
    private final String previousConf;
    private final Map<String, Path> keytabs = new LinkedHashMap<>();

    private Kdc(SimpleKdcServer server, Path dir, String previousConf) {
        this.server = server;
        this.dir = dir;
        this.previousConf = previousConf;
    }

    public static Kdc start() throws IOException {
        Path dir = Files.createTempDirectory("kdc");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try {
            SimpleKdcServer kdc = new SimpleKdcServer();
            kdc.setWorkDir(dir.toFile());
            kdc.setKdcRealm(REALM);
            kdc.setKdcHost("localhost");
            kdc.setAllowUdp(false);
            kdc.setKdcTcpPort(port);
            kdc.init();
            kdc.start();
            Path conf = dir.resolve("krb5.conf");
            Files.writeString(conf, "[libdefaults]\n default_realm = " + REALM + "\n udp_preference_limit = 1\n"
                    + " dns_lookup_kdc = false\n dns_lookup_realm = false\n\n[realms]\n " + REALM
                    + " = {\n  kdc = localhost:" + port + "\n }\n");
            Kdc started = new Kdc(kdc, dir, System.getProperty(KRB5_CONF));
            System.setProperty(KRB5_CONF, conf.toString());
            refreshKerberosConfig();
            return started;
        } catch (KrbException e) {
            throw new IOException("could not start the test KDC", e);
        }
    }

    /** Creates {@code principal} (without realm) in the KDC and returns its keytab. */
    public Path principal(String principal) throws IOException {
        Path keytab = dir.resolve(principal.replace('/', '_') + ".keytab");
        try {
            server.createAndExportPrincipals(keytab.toFile(), principal);
        } catch (KrbException e) {
            throw new IOException("could not create principal " + principal, e);
        }
        keytabs.put(principal, keytab);
        return keytab;
    }

    /** A JAAS section that logs {@code principal} in from its keytab, as ZooKeeper's documentation shows. */
    public String jaasSection(String section, String principal) {
        Path keytab = keytabs.get(principal);
        if (keytab == null) {
            throw new IllegalArgumentException("no principal " + principal);
        }
        return section + " {\n  com.sun.security.auth.module.Krb5LoginModule required\n  useKeyTab=true\n"
                + "  keyTab=\"" + keytab + "\"\n  storeKey=true\n  useTicketCache=false\n  principal=\""
                + principal + "@" + REALM + "\";\n};\n";
    }

    @Override
    public void close() throws IOException {
        try {
            server.stop();
        } catch (KrbException e) {
            throw new IOException(e);
        } finally {
            if (previousConf == null) {
                System.clearProperty(KRB5_CONF);
            } else {
                System.setProperty(KRB5_CONF, previousConf);
            }
            refreshKerberosConfig();
        }
    }

    private static void refreshKerberosConfig() {
        try {
            Class.forName("sun.security.krb5.Config").getMethod("refresh").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make the JDK reread krb5.conf (the surefire argLine exports "
                    + "sun.security.krb5)", e);
        }
    }
}
