package dev.paddock.wire.jute;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.ToIntFunction;

/** Encoded sizes of jute primitives, so that every record can report its exact size. */
public final class Sizes {
    public static final int INT = 4;
    public static final int LONG = 8;
    public static final int BOOL = 1;
    public static final int BYTE = 1;

    private Sizes() {
    }

    public static int buffer(byte[] bytes) {
        return INT + (bytes == null ? 0 : bytes.length);
    }

    public static int string(String s) {
        return INT + (s == null ? 0 : utf8Length(s));
    }

    public static <T> int list(List<T> list, ToIntFunction<T> element) {
        int size = INT;
        if (list != null) {
            for (T t : list) {
                size += element.applyAsInt(t);
            }
        }
        return size;
    }

    public static int stringList(List<String> list) {
        return list(list, Sizes::string);
    }

    public static int recordList(List<? extends JuteRecord> list) {
        return list(list, JuteRecord::size);
    }

    /** UTF-8 length without allocating the bytes. */
    public static int utf8Length(String s) {
        int len = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                len += 1;
            } else if (c < 0x800) {
                len += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                len += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                len += 1; // an unpaired surrogate encodes as '?'
            } else {
                len += 3;
            }
        }
        return len;
    }
}
