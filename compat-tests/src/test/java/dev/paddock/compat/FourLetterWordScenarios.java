package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.compat.harness.CompatTestBase;
import dev.paddock.compat.harness.FourLetterWords;
import dev.paddock.compat.harness.GlobalSystemProperties;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

/**
 * Four-letter words with 4lw.commands.whitelist=ruok,srvr,stat,isro,mntr. Pins the exact texts:
 * <ul>
 *   <li>ruok answers "imok" with no newline; isro answers "rw";</li>
 *   <li>srvr answers these lines, each ending in "\n": "Zookeeper version: ...",
 *       "Latency min/avg/max: a/b/c", "Received: n", "Sent: n", "Connections: n", "Outstanding: n",
 *       "Zxid: 0x&lt;hex&gt;" (the last committed zxid, e.g. the czxid of the last create),
 *       "Mode: standalone", "Node count: n" where n counts the root TWICE (ZooKeeper keeps it
 *       under "" and "/"): getAllChildrenNumber("/") + 2, so 5 on a fresh server;</li>
 *   <li>stat is srvr with "Clients:" lines (" /ip:port[interest](queued=..,recved=..,sent=..)")
 *       and an empty line inserted after the version line;</li>
 *   <li>mntr is tab-separated "key\tvalue" lines with zk_server_state standalone and zk_znode_count;</li>
 *   <li>a known word that is not whitelisted answers "&lt;word&gt; is not executed because it is
 *       not in the whitelist.\n"; an unknown word gets the connection closed with no answer.</li>
 * </ul>
 */
public abstract class FourLetterWordScenarios extends CompatTestBase {
    private static final Pattern SRVR = Pattern.compile(
            "Zookeeper version: [^\\n]+\\n"
            + "Latency min/avg/max: \\d+/[0-9.]+/\\d+\\n"
            + "Received: \\d+\\n"
            + "Sent: \\d+\\n"
            + "Connections: \\d+\\n"
            + "Outstanding: \\d+\\n"
            + "Zxid: 0x([0-9a-f]+)\\n"
            + "Mode: standalone\\n"
            + "Node count: (\\d+)\\n");

    @Test
    void whitelistIsTheOneConfigured() {
        assertThat(GlobalSystemProperties.FOUR_LETTER_WHITELIST).isEqualTo("ruok,srvr,stat,isro,mntr");
    }

    @Test
    void ruokAndIsro() throws Exception {
        assertThat(FourLetterWords.send(server.clientPort(), "ruok")).isEqualTo("imok");
        assertThat(FourLetterWords.send(server.clientPort(), "isro")).isEqualTo("rw");
    }

    @Test
    void srvr() throws Exception {
        ZooKeeper zk = connect();
        Stat last = new Stat();
        zk.create(base + "/a", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, last);
        String out = FourLetterWords.send(server.clientPort(), "srvr");
        Matcher m = SRVR.matcher(out);
        assertThat(m.matches()).as("srvr output:\n%s", out).isTrue();
        assertThat(Long.parseLong(m.group(1), 16)).isEqualTo(last.getCzxid());
    }

    @Test
    void srvrNodeCountCountsTheRootTwice() throws Exception {
        ZooKeeper zk = connect();
        int all = zk.getAllChildrenNumber("/");
        Matcher m = SRVR.matcher(FourLetterWords.send(server.clientPort(), "srvr"));
        assertThat(m.matches()).isTrue();
        assertThat(Integer.parseInt(m.group(2))).isEqualTo(all + 2);
    }

    @Test
    void stat() throws Exception {
        connect();
        String out = FourLetterWords.send(server.clientPort(), "stat");
        List<String> lines = Arrays.asList(out.split("\n", -1));
        assertThat(lines.get(0)).startsWith("Zookeeper version: ");
        assertThat(lines.get(1)).isEqualTo("Clients:");
        int blank = lines.indexOf("");
        assertThat(blank).isGreaterThan(2);
        for (String client : lines.subList(2, blank)) {
            assertThat(client).matches(" /127\\.0\\.0\\.1:\\d+\\[\\d+\\]\\(queued=\\d+,recved=\\d+,sent=\\d+\\)");
        }
        String rest = String.join("\n", lines.subList(0, 1)) + "\n" + String.join("\n", lines.subList(blank + 1, lines.size()));
        assertThat(SRVR.matcher(rest).matches()).as("stat output:\n%s", out).isTrue();
    }

    @Test
    void mntr() throws Exception {
        String out = FourLetterWords.send(server.clientPort(), "mntr");
        assertThat(out).startsWith("zk_version\t");
        assertThat(out).contains("\nzk_server_state\tstandalone\n");
        assertThat(out).containsPattern("\nzk_znode_count\t\\d+\n");
        assertThat(out).endsWith("\n");
        for (String line : out.split("\n")) {
            assertThat(line).matches("zk_\\S+\t.*"); // per-namespace keys embed top-level node names
        }
    }

    @Test
    void notWhitelisted() throws Exception {
        for (String w : new String[] {"dump", "envi", "conf", "cons", "wchs", "gtmk"}) {
            assertThat(FourLetterWords.send(server.clientPort(), w))
                    .isEqualTo(w + " is not executed because it is not in the whitelist.\n");
        }
    }

    @Test
    void unknownWordClosesTheConnection() throws Exception {
        assertThat(FourLetterWords.send(server.clientPort(), "abcd")).isEmpty();
        assertThat(FourLetterWords.send(server.clientPort(), "kill")).isEmpty();
        assertThat(FourLetterWords.send(server.clientPort(), "ruok")).isEqualTo("imok");
    }
}
