package dev.paddock.wire.proto;

import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.Sizes;

/** An error code as a body: the result of a failed operation inside a multi reply, and the reply body of addWatch (106). */
public record ErrorResponse(int err) implements Response {
    public static ErrorResponse read(JuteReader in) {
        return new ErrorResponse(in.readInt());
    }

    @Override
    public void write(JuteWriter out) {
        out.writeInt(err);
    }

    @Override
    public int size() {
        return Sizes.INT;
    }
}
