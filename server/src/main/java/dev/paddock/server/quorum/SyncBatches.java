package dev.paddock.server.quorum;

import java.util.ArrayList;
import java.util.List;

/**
 * How a leader cuts the entries of a DIFF into messages: runs of about {@code batchBytes} encoded, at least
 * one entry each, so no sync message grows with the learner's lag (the transport bounds every message).
 */
final class SyncBatches {
    private SyncBatches() {
    }

    static List<List<Entry>> of(List<Entry> entries, int batchBytes) {
        List<List<Entry>> batches = new ArrayList<>();
        int start = 0;
        int bytes = 0;
        for (int i = 0; i < entries.size(); i++) {
            int size = MessageCodec.entryBytes(entries.get(i));
            if (i > start && bytes + size > batchBytes) {
                batches.add(List.copyOf(entries.subList(start, i)));
                start = i;
                bytes = 0;
            }
            bytes += size;
        }
        if (start < entries.size()) {
            batches.add(List.copyOf(entries.subList(start, entries.size())));
        }
        return batches;
    }
}
