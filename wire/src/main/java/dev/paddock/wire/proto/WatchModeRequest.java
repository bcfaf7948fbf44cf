package dev.paddock.wire.proto;

import dev.paddock.wire.OpCode;
import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.Sizes;

/**
 * A path and a mode: checkWatches (17) and removeWatches (18), where the mode is the WatcherType
 * (1 children, 2 data, 3 any), and addWatch (106), where it is the AddWatchMode (0 persistent,
 * 1 persistent recursive).
 */
public record WatchModeRequest(OpCode opCode, String path, int mode) implements Request {
    public static WatchModeRequest read(OpCode opCode, JuteReader in) {
        return new WatchModeRequest(opCode, in.readString(), in.readInt());
    }

    @Override
    public void write(JuteWriter out) {
        out.writeString(path).writeInt(mode);
    }

    @Override
    public int size() {
        return Sizes.string(path) + Sizes.INT;
    }
}
