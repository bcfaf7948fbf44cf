package dev.paddock.server.storage;

import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.TreeDigest;
import dev.paddock.server.tree.Txn;
import dev.paddock.wire.jute.MarshallingException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * {@code bin/paddock dump <snapshot or log file>} prints a file readably and checks it;
 * {@code bin/paddock check <dataDir> [dataLogDir]} checks a whole data directory the way start-up reads it
 * (without repairing anything) and prints the resulting zxid and tree digest. Exit status 0 when all is
 * well, 1 when something is damaged (recoverable or not), 2 for usage errors.
 */
public final class LogTool {
    private LogTool() {
    }

    public static void main(String[] args) throws IOException {
        int status;
        if (args.length >= 2 && args[0].equals("dump")) {
            status = dump(Path.of(args[1]), System.out, true);
        } else if (args.length >= 2 && args[0].equals("check")) {
            Path a = Path.of(args[1]);
            status = Files.isDirectory(a) ? check(a, args.length > 2 ? Path.of(args[2]) : a, System.out)
                    : dump(a, System.out, false);
        } else {
            System.err.println("Usage: paddock dump <snapshot.* | log.*>\n       paddock check <dataDir> [dataLogDir]"
                    + "\n       paddock check <snapshot.* | log.*>");
            status = 2;
        }
        System.exit(status);
    }

    /** Prints (when {@code verbose}) and checks one file; returns the exit status. */
    public static int dump(Path file, PrintStream out, boolean verbose) throws IOException {
        if (LogFormat.zxidOf(file, LogFormat.SNAPSHOT_PREFIX) >= 0) {
            return dumpSnapshot(file, out, verbose);
        }
        if (LogFormat.zxidOf(file, LogFormat.LOG_PREFIX) >= 0) {
            return dumpLog(file, out, verbose);
        }
        out.println(file + ": not a snapshot.<zxid> or log.<zxid> file");
        return 2;
    }

    private static int dumpSnapshot(Path file, PrintStream out, boolean verbose) {
        SnapshotFile.Loaded loaded;
        try {
            loaded = SnapshotFile.read(file, true);
        } catch (IOException e) {
            out.println(file + ": CORRUPT: " + e.getMessage());
            return 1;
        }
        StateMachine sm = loaded.stateMachine();
        out.println("Snapshot " + file + " zxid 0x" + Long.toHexString(loaded.zxid()) + ": "
                + sm.tree().nodeCount() + " nodes, " + sm.sessions().size() + " sessions, checksum OK");
        if (verbose) {
            sm.sessions().forEach((id, timeout) ->
                    out.println("session 0x" + Long.toHexString(id) + " timeout " + timeout + " ms"));
            for (String p : TreeDigest.sortedPaths(sm)) {
                var st = sm.tree().stat(p);
                out.println(p + "  czxid=0x" + Long.toHexString(st.czxid()) + " mzxid=0x" + Long.toHexString(st.mzxid())
                        + " pzxid=0x" + Long.toHexString(st.pzxid()) + " version=" + st.version() + " cversion="
                        + st.cversion() + " aversion=" + st.aversion() + " owner=0x"
                        + Long.toHexString(st.ephemeralOwner()) + " dataLength=" + st.dataLength() + " children="
                        + st.numChildren());
            }
        }
        out.println("digest " + TreeDigest.of(sm));
        return 0;
    }

    private static int dumpLog(Path file, PrintStream out, boolean verbose) throws IOException {
        int[] undecodable = {0};
        SegmentScanner.Visitor printer = (zxid, offset, payload) -> {
            String text;
            try {
                EntryPayload.Decoded entry = EntryPayload.decode(zxid, payload);
                Txn txn = entry.txn();
                text = Instant.ofEpochMilli(txn.timeMs()) + " session 0x" + Long.toHexString(txn.sessionId()) + " "
                        + txn.request().opCode() + " " + txn.request() + " (from server " + entry.origin() + ")";
            } catch (MarshallingException e) {
                undecodable[0]++;
                text = "UNDECODABLE: " + e.getMessage();
            }
            if (verbose) {
                out.println("offset " + offset + " zxid 0x" + Long.toHexString(zxid) + " " + text);
            }
        };
        SegmentScanner.Outcome o = SegmentScanner.scan(file, printer);
        int status = undecodable[0] == 0 ? 0 : 1;
        out.println("Segment " + file + (o.headerValid() ? " first zxid 0x" + Long.toHexString(o.headerZxid()) : "")
                + ": " + o.records() + " valid records" + (o.records() > 0 ? " (zxid 0x" + Long.toHexString(o.firstZxid())
                + " to 0x" + Long.toHexString(o.lastZxid()) + ")" : "") + ", valid bytes end at " + o.validEnd()
                + " of " + o.fileSize());
        while (!o.clean()) {
            status = 1;
            if (o.tornTail()) {
                out.println("TORN TAIL at offset " + o.badOffset() + ": " + o.problem()
                        + " (start-up cuts it off when this is the newest segment)");
                break;
            }
            out.println("CORRUPT at offset " + o.badOffset() + ": " + o.problem() + "; next valid record at offset "
                    + o.resumeOffset() + " (zxid 0x" + Long.toHexString(o.resumeZxid()) + ")");
            o = SegmentScanner.scanFrom(file, o.resumeOffset(), printer);
        }
        if (undecodable[0] > 0) {
            out.println(undecodable[0] + " records with valid checksums do not decode");
        }
        return status;
    }

    /** The member's epochs, when it has any (a standalone server has them too: it is a one-member ensemble). */
    private static void printEpochs(Path snapDir, PrintStream out) throws IOException {
        for (String name : new String[] {LogFormat.ACCEPTED_EPOCH_FILE, LogFormat.CURRENT_EPOCH_FILE}) {
            Path p = snapDir.resolve(name);
            if (Files.exists(p)) {
                out.println(name + " " + Files.readString(p).strip());
            }
        }
    }

    private static int check(Path dataDir, Path dataLogDir, PrintStream out) throws IOException {
        Path snapDir = dataDir.resolve(LogFormat.SUBDIR);
        Path logDir = dataLogDir.resolve(LogFormat.SUBDIR);
        if (!Files.isDirectory(snapDir) && !Files.isDirectory(logDir)) {
            snapDir = dataDir; // pointed straight at the paddock-1 directory
            logDir = dataLogDir;
        }
        try {
            if (Files.isDirectory(logDir.resolve("quorum"))) {
                out.println("NOTE: " + logDir.resolve("quorum") + " holds a member log of an older Paddock; the next"
                        + " start converts it (read here without it)");
            }
            Recovery.Result r = Recovery.recover(snapDir, logDir, true, false);
            out.println("Recoverable: snapshot " + (r.snapshot() == null ? "(none)" : r.snapshot().getFileName())
                    + " + " + r.replayed() + " log entries -> zxid 0x" + Long.toHexString(r.lastZxid()) + ", "
                    + r.stateMachine().tree().nodeCount() + " nodes, " + r.stateMachine().sessions().size()
                    + " sessions");
            for (String p : r.problems()) {
                out.println("PROBLEM: " + p);
            }
            printEpochs(snapDir, out);
            out.println("digest " + TreeDigest.of(r.stateMachine()));
            return r.problems().isEmpty() ? 0 : 1;
        } catch (RecoveryException e) {
            out.println("NOT RECOVERABLE: " + e.getMessage());
            return 1;
        }
    }
}
