package dev.paddock.compat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.compat.harness.CompatTestBase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The non-Java clients from Debian's packages: the C client (libzookeeper-mt-dev, ZooKeeper 3.8.0's
 * C binding, driven by a small program compiled here with gcc) and Python's kazoo
 * (python3-kazoo 2.8.0, under /usr/bin/python3). The packages are installed with apt-get when
 * missing; a test skips (with the reason) only when they cannot be installed. Each client runs one
 * scenario as a child process that prints one line per observation:
 * <ul>
 *   <li>C: session, create and its errors (NODEEXISTS, NONODE), get with stat, BADVERSION, null
 *       data, children in ZooKeeper's order (its HashSet's, unsorted), data/exists/child watches fired by a second handle, a sequential ephemeral owned by
 *       the session and gone with it, NOTEMPTY, multi and a failed multi (per-op errors, nothing
 *       applied);</li>
 *   <li>kazoo: the same CRUD and errors, ensure_path, watches, a transaction and a failed one,
 *       the Lock recipe (2 clients x 3 threads, one holder at a time) and the Election recipe (3
 *       clients, one leader at a time, each leads once).</li>
 * </ul>
 */
public abstract class NativeClientScenarios extends CompatTestBase {
    private static final Path WORK = Paths.get("target", "native");
    static final Path PYTHON = Paths.get("/usr/bin/python3");
    private static final long RUN_TIMEOUT_S = 120;

    private static String missing(String what, List<String> probe) {
        try {
            return run(probe, 60).exit == 0 ? null : what;
        } catch (IOException e) {
            return what + " (" + e.getMessage() + ")";
        }
    }

    /** Installs the Debian packages when missing; the reason they are unavailable, or null. */
    static synchronized String ensurePackages(String header, String pythonModule, String... packages) {
        List<String> check = List.of("sh", "-c",
                "test -e " + header + " && " + PYTHON + " -c 'import " + pythonModule + "'");
        if (missing("packages", check) == null) {
            return null;
        }
        List<String> install = new ArrayList<>(List.of("sh", "-c",
                "(apt-get install -y -q " + String.join(" ", packages) + " || (apt-get update -q && apt-get install -y -q "
                        + String.join(" ", packages) + "))"));
        try {
            Result r = run(install, 300);
            if (missing("packages", check) == null) {
                return null;
            }
            return "Debian packages " + Arrays.toString(packages) + " could not be installed (apt-get exit " + r.exit
                    + "): " + tail(r.output);
        } catch (IOException e) {
            return "Debian packages " + Arrays.toString(packages) + " could not be installed: " + e.getMessage();
        }
    }

    private static String tail(String s) {
        return s.length() > 600 ? s.substring(s.length() - 600) : s;
    }

    record Result(int exit, String output) {
    }

    static Result run(List<String> cmd, long timeoutS) throws IOException {
        // output to a file, not a pipe: apt-get can print more than a pipe holds
        Path out = Files.createTempFile("native-client", ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out after " + timeoutS + " s: " + cmd + "\n" + Files.readString(out));
            }
            return new Result(p.exitValue(), Files.readString(out));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    static Path resource(String name) throws IOException {
        Files.createDirectories(WORK);
        Path f = WORK.resolve(name);
        try (InputStream in = NativeClientScenarios.class.getResourceAsStream("/native/" + name)) {
            Files.copy(in, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return f;
    }

    private List<String> lines(List<String> cmd) throws IOException {
        Result r = run(cmd, RUN_TIMEOUT_S);
        assertThat(r.exit).as("exit of " + cmd + ", output:\n" + r.output).isZero();
        return Arrays.stream(r.output.split("\n")).map(String::strip).filter(l -> !l.isEmpty())
                .map(l -> l.replace(base, "BASE")).toList();
    }

    @Test
    void cClient() throws Exception {
        String why = ensurePackages("/usr/include/zookeeper/zookeeper.h", "sys", "libzookeeper-mt-dev");
        Assumptions.assumeTrue(why == null, () -> "C client not available: " + why);
        Path src = resource("zkclient.c");
        Path bin = WORK.resolve("zkclient");
        Result cc = run(List.of("gcc", "-Wall", "-o", bin.toString(), src.toString(), "-lzookeeper_mt", "-lpthread"), 120);
        assertThat(cc.exit).as("gcc: " + cc.output).isZero();
        assertThat(lines(List.of(bin.toString(), server.connectString(), base))).containsExactly(
                "session nonzero",
                "create ok",
                "path BASE/c",
                "create again NODEEXISTS",
                "create under missing NONODE",
                "get ok hello version=0 length=5",
                "set badversion BADVERSION",
                "null data len=-1",
                "exists missing NONODE",
                "children ok c n",
                "other set ok",
                "event NodeDataChanged BASE/c",
                "other create ok",
                "event NodeCreated BASE/later",
                "event NodeChildrenChanged BASE",
                "ephemeral sequential ok",
                "path BASE/e-0000000003",
                "ephemeral owner is session yes",
                "delete nonempty NOTEMPTY",
                "delete badversion BADVERSION",
                "delete ok",
                "event NodeDeleted BASE/c",
                "multi ok ok ok ok BASE/m1 BASE/m2",
                "bad multi BADVERSION ok BADVERSION RUNTIMEINCONSISTENCY",
                "after bad multi NONODE",
                "ephemeral after close NONODE");
    }

    @Test
    void kazoo() throws Exception {
        String why = ensurePackages("/dev/null", "kazoo", "python3-kazoo");
        Assumptions.assumeTrue(why == null, () -> "kazoo not available: " + why);
        Path script = resource("kazoo_scenario.py");
        assertThat(lines(List.of(PYTHON.toString(), script.toString(), server.connectString(), base))).containsExactly(
                "session nonzero",
                "create BASE/k",
                "error NodeExistsError",
                "error NoNodeError",
                "error BadVersionError",
                "error NotEmptyError",
                "get hello version 0 length 5",
                "default data b''",
                "ensure_path BASE/a/b/c",
                "sequential ephemeral BASE/e-0000000003 True",
                "watch ['CHANGED BASE/k']",
                "watch ['CHANGED BASE/k', 'CHILD BASE', 'CREATED BASE/later']",
                "watch ['CHANGED BASE/k', 'CHILD BASE', 'CREATED BASE/later', 'DELETED BASE/k']",
                "transaction ['BASE/t1', True, 'ZnodeStat', True]",
                "failed transaction ['RolledBackError', 'BadVersionError'] True",
                "lock max holders 1 acquisitions 18",
                "election max leaders 1 leaders ['c0', 'c1', 'c2']",
                "ephemeral after close True",
                "done");
    }
}
