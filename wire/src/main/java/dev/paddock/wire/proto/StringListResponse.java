package dev.paddock.wire.proto;

import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.Sizes;
import java.util.List;

/** A list of strings as the whole reply body: getChildren (8, child names) and getEphemerals (103, paths). */
public record StringListResponse(List<String> values) implements Response {
    public static StringListResponse read(JuteReader in) {
        return new StringListResponse(in.readStringList());
    }

    @Override
    public void write(JuteWriter out) {
        out.writeStringList(values);
    }

    @Override
    public int size() {
        return Sizes.stringList(values);
    }
}
