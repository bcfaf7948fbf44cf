package dev.paddock.server.migration;

import java.util.List;

/**
 * What an import read and wrote: the files, the zxid range (the snapshot's, the first and last replayed),
 * the epoch Paddock continues after, the counts, and the problems ZooKeeper itself would have stepped over
 * (an unreadable newer snapshot, a torn last entry).
 */
public record ImportReport(List<String> filesRead, long snapshotZxid, long firstReplayedZxid, long lastZxid,
                           long replayed, long epoch, int nodes, int sessions, int ephemerals, long conflicts,
                           List<String> problems, String digestCheck, String written, long millis,
                           String phases) {

    /** Several lines, for the command's output and the start-up log. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        b.append("Imported ZooKeeper data in ").append(millis).append(" ms (").append(phases).append(")\n");
        b.append("  files read:      ").append(filesRead.size()).append('\n');
        for (String f : filesRead) {
            b.append("    ").append(f).append('\n');
        }
        b.append("  snapshot zxid:   0x").append(Long.toHexString(snapshotZxid)).append('\n');
        b.append("  replayed:        ").append(replayed).append(" transactions");
        if (replayed > 0) {
            b.append(", 0x").append(Long.toHexString(firstReplayedZxid)).append(" to 0x")
                    .append(Long.toHexString(lastZxid));
        }
        b.append(" (").append(conflicts).append(" replay conflicts, normal over a fuzzy snapshot)\n");
        b.append("  last zxid:       0x").append(Long.toHexString(lastZxid)).append(" (epoch ")
                .append(epoch).append("; Paddock continues in a later epoch)\n");
        b.append("  znodes:          ").append(nodes).append('\n');
        b.append("  sessions:        ").append(sessions).append(" (").append(ephemerals)
                .append(" ephemeral nodes)\n");
        b.append("  tree digest:     ").append(digestCheck).append('\n');
        for (String p : problems) {
            b.append("  note:            ").append(p).append('\n');
        }
        b.append("  written:         ").append(written);
        return b.toString();
    }
}
