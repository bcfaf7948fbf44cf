package dev.paddock.server.admin;

import dev.paddock.server.tree.ZooKeeperDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The digest history (tree.ZooKeeperDigest) as ZooKeeper 3.9.5 prints it: the {@code hash} word one
 * "zxid-in-hex: digest" line per entry, oldest first; the AdminServer's {@code hash} a "digests" list of
 * objects with the fields ZooKeeper's JSON (snake_case) makes of its ZxidDigest: zxid, digest, digest_version.
 */
final class DigestText {
    private DigestText() {
    }

    static String text(List<ZooKeeperDigest.Entry> history) {
        StringBuilder sb = new StringBuilder();
        for (ZooKeeperDigest.Entry e : history) {
            sb.append(Long.toHexString(e.zxid())).append(": ").append(e.digest()).append('\n');
        }
        return sb.toString();
    }

    static List<Map<String, Object>> json(List<ZooKeeperDigest.Entry> history) {
        List<Map<String, Object>> digests = new ArrayList<>(history.size());
        for (ZooKeeperDigest.Entry e : history) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("zxid", e.zxid());
            m.put("digest", e.digest());
            m.put("digest_version", e.version());
            digests.add(m);
        }
        return digests;
    }
}
