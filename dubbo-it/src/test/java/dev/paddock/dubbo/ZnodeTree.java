package dev.paddock.dubbo;

import dev.paddock.it.ZkInspector;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.zookeeper.data.Stat;

/**
 * What Dubbo wrote on a server, as one line per znode ("path [ephemeral] = data"), with the parts that
 * differ from run to run masked: addresses, ports, pids, timestamps, metadata revisions, the
 * {@link Run} token in application names and versions. Znode names
 * holding URLs are decoded first so that the masks see them. Two servers that stored the same thing give
 * the same lines.
 */
final class ZnodeTree {
    private static final List<Mask> MASKS = List.of(
            new Mask(Pattern.compile("\\b(?:\\d{1,3}\\.){3}\\d{1,3}(?::\\d+)?"), "<address>"),
            // pid=123, "port":123, \"port\":\"123\" (JSON inside JSON), bind.port, timestamp
            new Mask(Pattern.compile("(\\b(?:pid|timestamp|port|registrationTimeUTC)(?:\\\\?\")?\\s*[=:]\\s*(?:\\\\?\")?)\\d+"),
                    "$1<n>"),
            new Mask(Pattern.compile("(\"id\"\\s*:\\s*\")[^\"]+"), "$1<masked>"),
            new Mask(Pattern.compile("(\\brevision(?:\\\\?\")?\\s*[=:]\\s*(?:\\\\?\")?)[0-9a-f]+"), "$1<masked>"),
            new Mask(Pattern.compile("/metadata/([^/]+)/[0-9a-f]{16,}"), "/metadata/$1/<revision>"),
            new Mask(Pattern.compile("\\brun\\d+\\b"), "<run>"));

    private ZnodeTree() {}

    private record Mask(Pattern pattern, String replacement) {
        String apply(String s) {
            return pattern.matcher(s).replaceAll(replacement);
        }
    }

    /** Every znode under {@code roots} (the ones that exist), masked, sorted. */
    static List<String> dump(ZkInspector zk, List<String> roots) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String root : roots) {
            if (zk.exists(root)) {
                walk(zk, root, lines);
            }
        }
        Collections.sort(lines);
        return lines;
    }

    private static void walk(ZkInspector zk, String path, List<String> lines) throws Exception {
        Stat stat = zk.stat(path);
        if (stat == null) {
            return; // gone between listing and reading: nothing to record
        }
        String data = zk.text(path);
        String decoded = URLDecoder.decode(path, StandardCharsets.UTF_8);
        lines.add(mask(decoded) + (stat.getEphemeralOwner() != 0 ? " [ephemeral]" : "")
                + (data == null || data.isEmpty() ? "" : " = " + mask(data)));
        for (String child : zk.childrenOrEmpty(path)) {
            walk(zk, path.equals("/") ? "/" + child : path + "/" + child, lines);
        }
    }

    static String mask(String s) {
        String out = s;
        for (Mask m : MASKS) {
            out = m.apply(out);
        }
        return out;
    }
}
