package dev.paddock.wire.proto;

import dev.paddock.wire.OpCode;
import dev.paddock.wire.jute.JuteRecord;

/** The body of a client request; it knows its opcode. */
public interface Request extends JuteRecord {
    OpCode opCode();
}
