package dev.paddock.server.tree;

import java.nio.charset.StandardCharsets;

/**
 * The one array that holds a znode's name and data (see {@link Znode}): a varint of (name length * 2, plus
 * 1 when the data is null), the name in UTF-8, then the data. One array header instead of two per node; a
 * body is never changed in place, so a reader holding one needs no lock.
 */
final class NodeBody {
    private NodeBody() {
    }

    static byte[] of(byte[] name, byte[] data) {
        return of(name, 0, name.length, data);
    }

    /** A body for the name {@code name[nameFrom, nameFrom + nameLength)} and {@code data} (may be null). */
    static byte[] of(byte[] name, int nameFrom, int nameLength, byte[] data) {
        int header = (nameLength << 1) | (data == null ? 1 : 0);
        int at = varintLength(header);
        byte[] b = new byte[at + nameLength + (data == null ? 0 : data.length)];
        int v = header;
        for (int i = 0; i < at - 1; i++, v >>>= 7) {
            b[i] = (byte) ((v & 0x7f) | 0x80);
        }
        b[at - 1] = (byte) v;
        System.arraycopy(name, nameFrom, b, at, nameLength);
        if (data != null) {
            System.arraycopy(data, 0, b, at + nameLength, data.length);
        }
        return b;
    }

    /** The same name with other data. */
    static byte[] withData(byte[] body, byte[] data) {
        return of(body, nameOffset(body), nameLength(body), data);
    }

    private static int varintLength(int v) {
        int n = 1;
        while ((v & ~0x7f) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    private static int header(byte[] body) {
        int v = 0;
        for (int shift = 0, at = 0; ; shift += 7) {
            byte b = body[at++];
            v |= (b & 0x7f) << shift;
            if (b >= 0) {
                return v;
            }
        }
    }

    static int nameLength(byte[] body) {
        return header(body) >>> 1;
    }

    static int nameOffset(byte[] body) {
        return varintLength(header(body));
    }

    static String name(byte[] body) {
        return new String(body, nameOffset(body), nameLength(body), StandardCharsets.UTF_8);
    }

    /** Where the data starts, or -1 when it is null. */
    static int dataOffset(byte[] body) {
        int header = header(body);
        return (header & 1) != 0 ? -1 : varintLength(header) + (header >>> 1);
    }

    /** The data's length, -1 when null. */
    static int dataLength(byte[] body) {
        int from = dataOffset(body);
        return from < 0 ? -1 : body.length - from;
    }

    /** A copy of the data; null when it is null. */
    static byte[] data(byte[] body) {
        int from = dataOffset(body);
        return from < 0 ? null : java.util.Arrays.copyOfRange(body, from, body.length);
    }
}
