package dev.paddock.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Map;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.AppConfigurationEntry.LoginModuleControlFlag;
import javax.security.auth.login.Configuration;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JAAS section the server reads its DIGEST-MD5 users from, as ZooKeeper's ServerCnxnFactory reads it. */
class SaslLoginTest {
    private static final PrincipalNames NAMES = new PrincipalNames("", false, false);
    private Configuration previous;

    @BeforeEach
    void install() {
        previous = Configuration.getConfiguration();
        Configuration.setConfiguration(new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return switch (name) {
                    case "Server" -> new AppConfigurationEntry[] {entry("org.apache.zookeeper.server.auth.DigestLoginModule",
                            Map.of("user_bob", "bob-secret", "user_super", "ignored", "other", "x"))};
                    case "Kerberos" -> new AppConfigurationEntry[] {entry("com.sun.security.auth.module.Krb5LoginModule",
                            Map.of("principal", "zookeeper/host@EXAMPLE.COM"))};
                    default -> null;
                };
            }
        });
    }

    @AfterEach
    void restore() {
        Configuration.setConfiguration(previous);
    }

    private static AppConfigurationEntry entry(String module, Map<String, ?> options) {
        return new AppConfigurationEntry(module, LoginModuleControlFlag.REQUIRED, options);
    }

    @Test
    void usersAreTheUserOptionsOfTheSection() throws IOException, SaslException {
        SaslLogin login = SaslLogin.fromJaas("Server", NAMES, null);
        assertThat(login.users()).containsExactlyInAnyOrder("bob", "super");
        SaslServer server = login.newServer();
        assertThat(server.getMechanismName()).isEqualTo("DIGEST-MD5");
        assertThat(server.evaluateResponse(new byte[0])).isNotEmpty();
    }

    @Test
    void noSectionNoSasl() throws IOException {
        assertThat(SaslLogin.fromJaas("Missing", NAMES, null)).isNull();
    }

    @Test
    void aKerberosLoginThatFailsStopsTheStart() {
        // No keytab and no KDC: the service cannot log in, so the server must not start without its SASL.
        assertThatThrownBy(() -> SaslLogin.fromJaas("Kerberos", NAMES, null))
                .isInstanceOf(IOException.class).hasMessageContaining("Kerberos login of JAAS section 'Kerberos' failed");
    }
}
