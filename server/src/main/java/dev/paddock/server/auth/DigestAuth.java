package dev.paddock.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** The "digest" scheme: user:password is known by user:base64(sha1(user:password)). */
public final class DigestAuth {
    public static final String SCHEME = "digest";

    private DigestAuth() {
    }

    public static String digestOf(String userColonPassword) {
        String user = userColonPassword.split(":", 2)[0];
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(userColonPassword.getBytes(StandardCharsets.UTF_8));
            return user + ":" + Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }

    /** An ACL id of this scheme is valid when it has exactly the two parts user and hash. */
    public static boolean isValidId(String id) {
        return id != null && id.split(":").length == 2;
    }

    /** The user name shown by whoAmI. */
    public static String userOf(String id) {
        return id.split(":", 2)[0];
    }
}
