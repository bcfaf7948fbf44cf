package dev.paddock.wire.proto;

import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteWriter;

/** A stat as the whole reply body: exists (3), setData (5) and setACL (7). */
public record StatResponse(Stat stat) implements Response {
    public static StatResponse read(JuteReader in) {
        return new StatResponse(Stat.read(in));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeRecord(stat);
    }

    @Override
    public int size() {
        return Stat.SIZE;
    }
}
