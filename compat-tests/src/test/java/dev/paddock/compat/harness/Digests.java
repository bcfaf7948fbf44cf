package dev.paddock.compat.harness;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** ZooKeeper's digest scheme: base64(sha1("user:password")), without loading ZooKeeper classes. */
public final class Digests {
    private Digests() {
    }

    public static String base64Sha1(String s) {
        try {
            byte[] h = MessageDigest.getInstance("SHA1").digest(s.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(h);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** "user:base64(sha1(user:password))", as DigestAuthenticationProvider.generateDigest gives. */
    public static String digestId(String user, String password) {
        return user + ":" + base64Sha1(user + ":" + password);
    }
}
