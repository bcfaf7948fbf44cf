package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.compat.harness.CompatTestBase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.ZooKeeperMain;
import org.apache.zookeeper.cli.CliCommand;
import org.junit.jupiter.api.Test;

/**
 * The zkCli shell (org.apache.zookeeper.ZooKeeperMain) driven line by line, its output (stdout
 * and stderr, interleaved) compared with the transcript ZooKeeper 3.9.5 gives, with zxids,
 * times and session ids masked and the test's base path shown as $B. Pins the texts of create
 * (-e, -s, -c), get (-s), set (-s, -v), stat, ls (-s, -R), delete, deleteall, getAcl, setAcl,
 * sync, getAllChildrenNumber, getEphemerals and their error messages.
 */
public abstract class ShellScenarios extends CompatTestBase {
    private static final String STAT_MASKED = """
            cZxid = ZXID
            ctime = TIME
            mZxid = ZXID
            mtime = TIME
            pZxid = ZXID
            """;

    @Test
    void transcript() throws Exception {
        ZooKeeper zk = connect();
        String[] lines = {
            "create $B/x d",
            "create $B/x d",
            "create -e $B/x/e eph",
            "create -s $B/x/s seq",
            "create -s $B/x/s seq",
            "create -c $B/c",
            "get $B/x",
            "get -s $B/x",
            "set $B/x newdata",
            "set -s $B/x v2",
            "set -v 7 $B/x bad",
            "stat $B/x",
            "stat $B/nope",
            "ls $B/x",
            "ls -s $B/x",
            "ls -R $B",
            "get $B/x/e",
            "stat $B/x/e",
            "delete $B/x",
            "delete $B/x/e",
            "deleteall $B/x",
            "ls $B",
            "get $B/nope",
            "create $B/y",
            "get $B/y",
            "create $B/y/z \"\"",
            "get $B/y/z",
            "getAcl $B/y",
            "setAcl $B/y world:anyone:r",
            "getAcl -s $B/y",
            "create $B/y/zz",
            "sync $B/y",
            "getEphemerals $B",
            "getAllChildrenNumber $B",
            "deleteall $B/y",
            "ls $B",
        };
        String out = run(zk, lines);
        String expected = """
                $ create $B/x d
                Created $B/x
                $ create $B/x d
                Node already exists: $B/x
                $ create -e $B/x/e eph
                Created $B/x/e
                $ create -s $B/x/s seq
                Created $B/x/s0000000001
                $ create -s $B/x/s seq
                Created $B/x/s0000000002
                $ create -c $B/c
                Created $B/c
                $ get $B/x
                d
                $ get -s $B/x
                d
                """ + STAT_MASKED + """
                cversion = 3
                dataVersion = 0
                aclVersion = 0
                ephemeralOwner = 0x0
                dataLength = 1
                numChildren = 3
                $ set $B/x newdata
                $ set -s $B/x v2
                """ + STAT_MASKED + """
                cversion = 3
                dataVersion = 2
                aclVersion = 0
                ephemeralOwner = 0x0
                dataLength = 2
                numChildren = 3
                $ set -v 7 $B/x bad
                version No is not valid : $B/x
                $ stat $B/x
                """ + STAT_MASKED + """
                cversion = 3
                dataVersion = 2
                aclVersion = 0
                ephemeralOwner = 0x0
                dataLength = 2
                numChildren = 3
                $ stat $B/nope
                Node does not exist: $B/nope
                $ ls $B/x
                [e, s0000000001, s0000000002]
                $ ls -s $B/x
                [e, s0000000001, s0000000002]
                """ + STAT_MASKED + """
                cversion = 3
                dataVersion = 2
                aclVersion = 0
                ephemeralOwner = 0x0
                dataLength = 2
                numChildren = 3
                $ ls -R $B
                $B
                $B/c
                $B/x
                $B/x/e
                $B/x/s0000000001
                $B/x/s0000000002
                $ get $B/x/e
                eph
                $ stat $B/x/e
                """ + STAT_MASKED + """
                cversion = 0
                dataVersion = 0
                aclVersion = 0
                ephemeralOwner = SESSION
                dataLength = 3
                numChildren = 0
                $ delete $B/x
                Node not empty: $B/x
                $ delete $B/x/e
                $ deleteall $B/x
                $ ls $B
                [c]
                $ get $B/nope
                Node does not exist: $B/nope
                $ create $B/y
                Created $B/y
                $ get $B/y
                null
                $ create $B/y/z ""
                Created $B/y/z
                $ get $B/y/z

                $ getAcl $B/y
                'world,'anyone
                : cdrwa
                $ setAcl $B/y world:anyone:r
                $ getAcl -s $B/y
                'world,'anyone
                : r
                """ + STAT_MASKED + """
                cversion = 1
                dataVersion = 0
                aclVersion = 1
                ephemeralOwner = 0x0
                dataLength = 0
                numChildren = 1
                $ create $B/y/zz
                Insufficient permission : $B/y/zz
                $ sync $B/y
                Sync is OK
                $ getEphemerals $B
                []
                $ getAllChildrenNumber $B
                3
                $ deleteall $B/y
                Failed to delete some node(s) in the subtree!
                $ ls $B
                [c, y]
                """;
        assertThat(out).isEqualTo(expected);
    }

    /** Runs the lines through one ZooKeeperMain and returns the normalized transcript. */
    private String run(ZooKeeper zk, String[] lines) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8);
        Map<String, CliCommand> commands = commands();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ZooKeeperMain main = new ZooKeeperMain(zk);
        try {
            // the commands are static singletons holding the streams they were created with
            commands.values().forEach(c -> {
                c.setOut(capture);
                c.setErr(capture);
            });
            System.setOut(capture);
            System.setErr(capture);
            for (String line : lines) {
                String real = line.replace("$B", base);
                capture.println("$ " + line);
                main.executeLine(real);
            }
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            commands.values().forEach(c -> {
                c.setOut(oldOut);
                c.setErr(oldErr);
            });
        }
        return normalize(buf.toString(StandardCharsets.UTF_8), zk.getSessionId());
    }

    private String normalize(String s, long sessionId) {
        return s.replace(base, "$B")
                .replaceAll("(?m)^(cZxid|mZxid|pZxid) = 0x[0-9a-f]+$", "$1 = ZXID")
                .replaceAll("(?m)^(ctime|mtime) = .+$", "$1 = TIME")
                .replace("ephemeralOwner = 0x" + Long.toHexString(sessionId), "ephemeralOwner = SESSION");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, CliCommand> commands() throws ReflectiveOperationException {
        Field f = ZooKeeperMain.class.getDeclaredField("commandMapCli");
        f.setAccessible(true);
        return (Map<String, CliCommand>) f.get(null);
    }
}
