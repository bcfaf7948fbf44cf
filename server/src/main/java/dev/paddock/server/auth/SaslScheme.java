package dev.paddock.server.auth;

import java.util.regex.Pattern;

/**
 * The "sasl" ACL scheme: an identity is the authorization id a SASL exchange ended with. As ZooKeeper's
 * SASLAuthenticationProvider: an id is valid when it reads as a Kerberos principal (no '@', or
 * {@code name[/host]@realm}), and the id "super" matches every sasl ACL entry.
 */
public final class SaslScheme {
    public static final String SCHEME = "sasl";
    /** name, optional /host, then @realm; none of the parts holds '/' or '@'. */
    static final Pattern PRINCIPAL = Pattern.compile("([^/@]*)(/([^/@]*))?@([^/@]*)");

    private SaslScheme() {
    }

    public static boolean isValidId(String id) {
        return !id.contains("@") || PRINCIPAL.matcher(id).matches();
    }

    /** Whether an identity of this scheme matches an ACL entry's id of this scheme. */
    public static boolean matches(String id, String aclId) {
        return id.equals("super") || id.equals(aclId);
    }
}
