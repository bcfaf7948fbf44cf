package dev.paddock.server.tree;

import java.nio.charset.StandardCharsets;

/**
 * A znode's name as the tree stores it: UTF-8 bytes, with the hash java.util.HashMap would give the name's
 * String (see {@link ChildTable}). Paths are looked up segment by segment in place, so a read makes no
 * substring.
 */
final class Names {
    private Names() {
    }

    /** The name's bytes; refuses a name UTF-8 cannot carry unchanged (a lone surrogate, never a valid path). */
    static byte[] encode(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length != name.length() && !new String(bytes, StandardCharsets.UTF_8).equals(name)) {
            throw new IllegalArgumentException("znode name is not well-formed UTF-16: " + name);
        }
        return bytes;
    }

    static String decode(byte[] name) {
        return new String(name, StandardCharsets.UTF_8);
    }

    /** {@code path.substring(from, to).hashCode()}, without the substring. */
    static int hash(String path, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + path.charAt(i);
        }
        return h;
    }

    /** HashMap's spreading of a key's hash into the bits a small table indexes with. */
    static int spread(int h) {
        return h ^ (h >>> 16);
    }

    /** Whether {@code name} holds {@code path.substring(from, to)}. */
    static boolean matches(byte[] name, String path, int from, int to) {
        int len = to - from;
        if (name.length == len) {
            // Equal lengths match only when every character is ASCII (any other takes 2 or more bytes).
            for (int i = 0; i < len; i++) {
                char c = path.charAt(from + i);
                if (c >= 0x80 || c != name[i]) {
                    return false;
                }
            }
            return true;
        }
        return name.length > len && decode(name).equals(path.substring(from, to));
    }
}
