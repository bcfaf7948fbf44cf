package dev.paddock.wire.proto;

import dev.paddock.wire.OpCode;
import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.Sizes;
import java.util.List;

/** setWatches2 (105, xid -8): {@link SetWatchesRequest} plus the persistent and persistent recursive watches. */
public record SetWatches2Request(long relativeZxid, List<String> dataWatches, List<String> existWatches,
                                 List<String> childWatches, List<String> persistentWatches,
                                 List<String> persistentRecursiveWatches) implements Request {
    public static SetWatches2Request read(JuteReader in) {
        return new SetWatches2Request(in.readLong(), in.readStringList(), in.readStringList(), in.readStringList(),
                in.readStringList(), in.readStringList());
    }

    @Override
    public OpCode opCode() {
        return OpCode.SET_WATCHES2;
    }

    @Override
    public void write(JuteWriter out) {
        out.writeLong(relativeZxid).writeStringList(dataWatches).writeStringList(existWatches)
                .writeStringList(childWatches).writeStringList(persistentWatches)
                .writeStringList(persistentRecursiveWatches);
    }

    @Override
    public int size() {
        return Sizes.LONG + Sizes.stringList(dataWatches) + Sizes.stringList(existWatches)
                + Sizes.stringList(childWatches) + Sizes.stringList(persistentWatches)
                + Sizes.stringList(persistentRecursiveWatches);
    }
}
