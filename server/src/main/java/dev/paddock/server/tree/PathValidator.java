package dev.paddock.server.tree;

import dev.paddock.wire.ErrorCode;

/** ZooKeeper's rules for znode paths; a bad path is BadArguments. */
public final class PathValidator {
    private PathValidator() {
    }

    public static void validate(String path) throws KeeperError {
        validate(path, false);
    }

    /** With {@code sequential}, a trailing '/' is allowed because the server appends the counter. */
    public static void validate(String path, boolean sequential) throws KeeperError {
        if (!isValid(sequential ? path + "1" : path)) {
            throw new KeeperError(ErrorCode.BAD_ARGUMENTS);
        }
    }

    public static boolean isValid(String path) {
        if (path == null || path.isEmpty() || path.charAt(0) != '/') {
            return false;
        }
        int n = path.length();
        if (n == 1) {
            return true;
        }
        if (path.charAt(n - 1) == '/') {
            return false;
        }
        int segmentStart = 1;
        for (int i = 1; i <= n; i++) {
            char c = i < n ? path.charAt(i) : '/';
            if (c == '/') {
                int len = i - segmentStart;
                if (len == 0) {
                    return false;
                }
                if (len <= 2 && path.charAt(segmentStart) == '.'
                        && (len == 1 || path.charAt(segmentStart + 1) == '.')) {
                    return false;
                }
                segmentStart = i + 1;
            } else if (c == 0 || (c > 0 && c <= 0x1f) || (c >= 0x7f && c <= 0x9f)
                    || (c >= 0xd800 && c <= 0xf8ff) || (c >= 0xfff0)) {
                return false;
            }
        }
        return true;
    }

    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    public static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    public static String child(String parent, String name) {
        return parent.equals("/") ? "/" + name : parent + "/" + name;
    }
}
