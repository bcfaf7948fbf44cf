package dev.paddock.wire.proto;

import java.util.Arrays;

/** Equality, hashing and printing of the byte arrays that records hold, which Java records compare by identity. */
final class Bytes {
    private Bytes() {
    }

    static boolean eq(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
    }

    static int hash(byte[] a) {
        return Arrays.hashCode(a);
    }

    /** Prints the length only: the arrays can be passwords, tokens or large znode data. */
    static String str(byte[] a) {
        return a == null ? "null" : "byte[" + a.length + "]";
    }
}
