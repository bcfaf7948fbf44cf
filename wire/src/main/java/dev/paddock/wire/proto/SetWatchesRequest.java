package dev.paddock.wire.proto;

import dev.paddock.wire.OpCode;
import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.Sizes;
import java.util.List;

/**
 * setWatches (101, sent with xid -8 on reconnect): the client's one-shot watches, to re-register and to
 * fire for changes after {@code relativeZxid}.
 */
public record SetWatchesRequest(long relativeZxid, List<String> dataWatches, List<String> existWatches,
                                List<String> childWatches) implements Request {
    public static SetWatchesRequest read(JuteReader in) {
        return new SetWatchesRequest(in.readLong(), in.readStringList(), in.readStringList(), in.readStringList());
    }

    @Override
    public OpCode opCode() {
        return OpCode.SET_WATCHES;
    }

    @Override
    public void write(JuteWriter out) {
        out.writeLong(relativeZxid).writeStringList(dataWatches).writeStringList(existWatches)
                .writeStringList(childWatches);
    }

    @Override
    public int size() {
        return Sizes.LONG + Sizes.stringList(dataWatches) + Sizes.stringList(existWatches)
                + Sizes.stringList(childWatches);
    }
}
