package dev.paddock.wire.proto;

import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.Sizes;
import java.util.List;

/** The reply of getChildren2 (12): child names and the parent's stat. */
public record GetChildren2Response(List<String> children, Stat stat) implements Response {
    public static GetChildren2Response read(JuteReader in) {
        return new GetChildren2Response(in.readStringList(), Stat.read(in));
    }

    @Override
    public void write(JuteWriter out) {
        out.writeStringList(children).writeRecord(stat);
    }

    @Override
    public int size() {
        return Sizes.stringList(children) + Stat.SIZE;
    }
}
