package dev.paddock.server.tree;

import java.nio.charset.StandardCharsets;

/**
 * A znode's name as the tree stores it: UTF-8 bytes (in the node's body, see {@link Znode}), and the hash
 * java.util.HashMap would give the name's String (see {@link ChildTable}). Paths are looked up segment by
 * segment in place, so a read makes no substring.
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

    /** The String hash of the UTF-8 name in {@code bytes[from, from + length)}. */
    static int hash(byte[] bytes, int from, int length) {
        int h = 0;
        for (int i = from; i < from + length; i++) {
            byte b = bytes[i];
            if (b < 0) {
                return new String(bytes, from, length, StandardCharsets.UTF_8).hashCode();
            }
            h = 31 * h + b;
        }
        return h;
    }

    /** Whether the UTF-8 name in {@code bytes[from, from + length)} is {@code path.substring(pathFrom, pathTo)}. */
    static boolean matches(byte[] bytes, int from, int length, String path, int pathFrom, int pathTo) {
        int chars = pathTo - pathFrom;
        if (length == chars) {
            // Equal lengths match only when every character is ASCII (any other takes 2 or more bytes).
            for (int i = 0; i < chars; i++) {
                char c = path.charAt(pathFrom + i);
                if (c >= 0x80 || c != bytes[from + i]) {
                    return false;
                }
            }
            return true;
        }
        return length > chars
                && new String(bytes, from, length, StandardCharsets.UTF_8).equals(path.substring(pathFrom, pathTo));
    }
}
