package dev.paddock.server.auth;

/** The "ip" scheme: an ACL id is an IPv4 or IPv6 address with an optional /prefix length. */
public final class IpMatcher {
    public static final String SCHEME = "ip";

    private IpMatcher() {
    }

    public static boolean isValidId(String id) {
        return parse(id) != null;
    }

    /** True when {@code clientAddress} lies within the ACL's address/prefix. */
    public static boolean matches(String aclId, String clientAddress) {
        Prefix acl = parse(aclId);
        byte[] client = address(clientAddress);
        if (acl == null || client == null || client.length != acl.bytes.length) {
            return false;
        }
        int bits = acl.bits;
        for (int i = 0; i < client.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((client[i] & mask) != (acl.bytes[i] & mask)) {
                return false;
            }
        }
        return true;
    }

    private record Prefix(byte[] bytes, int bits) {
    }

    private static Prefix parse(String id) {
        if (id == null) {
            return null;
        }
        int slash = id.indexOf('/');
        byte[] bytes = address(slash < 0 ? id : id.substring(0, slash));
        if (bytes == null) {
            return null;
        }
        int bits = bytes.length * 8;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(id.substring(slash + 1));
            } catch (NumberFormatException e) {
                return null;
            }
            if (bits < 0 || bits > bytes.length * 8) {
                return null;
            }
        }
        return new Prefix(bytes, bits);
    }

    /** Parses a literal address without any name lookup; null when it is not one. */
    static byte[] address(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        if (s.indexOf(':') >= 0) {
            return ipv6(s);
        }
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            try {
                int v = Integer.parseInt(parts[i]);
                if (v < 0 || v > 255 || parts[i].isEmpty()) {
                    return null;
                }
                b[i] = (byte) v;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return b;
    }

    private static byte[] ipv6(String s) {
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        String[] halves = s.split("::", -1);
        if (halves.length > 2) {
            return null;
        }
        String[] head = halves[0].isEmpty() ? new String[0] : halves[0].split(":", -1);
        String[] tail = halves.length == 2 && !halves[1].isEmpty() ? halves[1].split(":", -1) : new String[0];
        if (halves.length == 1 && head.length != 8 || head.length + tail.length > 8) {
            return null;
        }
        byte[] b = new byte[16];
        if (!fill(b, head, 0) || !fill(b, tail, 8 - tail.length)) {
            return null;
        }
        return b;
    }

    private static boolean fill(byte[] b, String[] groups, int firstGroup) {
        for (int i = 0; i < groups.length; i++) {
            String g = groups[i];
            if (g.isEmpty() || g.length() > 4) {
                return false;
            }
            try {
                int v = Integer.parseInt(g, 16);
                b[(firstGroup + i) * 2] = (byte) (v >> 8);
                b[(firstGroup + i) * 2 + 1] = (byte) v;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }
}
