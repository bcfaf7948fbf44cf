package dev.paddock.wire.proto;

import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteWriter;
import java.util.ArrayList;
import java.util.List;

/** The reply of multi (14) and multiRead (22): one {@link MultiResult} per operation, then {@link MultiHeader#END}. */
public record MultiResponse(List<MultiResult> results) implements Response {
    public static MultiResponse read(JuteReader in) {
        List<MultiResult> results = new ArrayList<>();
        // Every result takes at least one header of the frame, so the frame bounds the list.
        for (MultiHeader h = MultiHeader.read(in); !h.done(); h = MultiHeader.read(in)) {
            results.add(MultiResult.read(h, in));
        }
        return new MultiResponse(results);
    }

    @Override
    public void write(JuteWriter out) {
        for (MultiResult result : results) {
            out.writeRecord(result);
        }
        out.writeRecord(MultiHeader.END);
    }

    @Override
    public int size() {
        int size = MultiHeader.SIZE;
        for (MultiResult result : results) {
            size += result.size();
        }
        return size;
    }
}
