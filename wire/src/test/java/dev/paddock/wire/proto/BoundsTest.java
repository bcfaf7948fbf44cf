package dev.paddock.wire.proto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.wire.OpCode;
import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.MarshallingException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Hostile and broken frames: always a {@link MarshallingException}, never an OutOfMemoryError or index error. */
class BoundsTest {
    /** Big-endian bytes from ints (each written as 4 bytes). */
    static byte[] ints(int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    static void rejects(byte[] bytes, Consumer<JuteReader> read, String message) {
        assertThatThrownBy(() -> read.accept(JuteReader.of(bytes))).isInstanceOf(MarshallingException.class)
                .hasMessageContaining(message);
    }

    @Test
    void negativeLengthsBelowMinusOne() {
        rejects(ints(-2), JuteReader::readString, "negative string length -2");
        rejects(ints(Integer.MIN_VALUE), JuteReader::readBuffer, "negative buffer length");
        rejects(ints(-5), JuteReader::readStringList, "negative list length -5");
        rejects(ints(-2), in -> Requests.read(OpCode.SET_DATA.code, in), "negative string length");
        rejects(concat(ints(1), new byte[] {'/'}, ints(-7)), in -> Requests.read(OpCode.SET_DATA.code, in),
                "negative buffer length -7");
    }

    @Test
    void minusOneIsNull() {
        JuteReader in = JuteReader.of(ints(-1, -1, -1));
        assertThat(in.readString()).isNull();
        assertThat(in.readBuffer()).isNull();
        assertThat(in.readStringList()).isNull();
    }

    @Test
    void lengthsLargerThanTheFrame() {
        rejects(concat(ints(10), new byte[9]), JuteReader::readString, "exceeds the 9 bytes left");
        rejects(concat(ints(Integer.MAX_VALUE), new byte[100]), JuteReader::readBuffer, "exceeds");
        // protocolVersion, lastZxidSeen, timeout, sessionId, then a password length of 1 GiB.
        rejects(concat(ints(0, 0, 0, 30000, 0, 0, 1 << 30), new byte[16]), in -> ConnectRequest.read(in), "exceeds");
    }

    @Test
    void truncatedPrimitives() {
        rejects(new byte[3], JuteReader::readInt, "truncated int");
        rejects(new byte[7], JuteReader::readLong, "truncated long");
        rejects(new byte[0], JuteReader::readBool, "truncated byte");
        rejects(new byte[] {0, 0, 0}, in -> Requests.read(OpCode.DELETE.code, in), "truncated int");
    }

    @Test
    void hugeListCountsFailBeforeAllocating() {
        // Counts that would be gigabytes if allocated; the frame holds a few bytes.
        rejects(concat(ints(Integer.MAX_VALUE), new byte[64]), JuteReader::readStringList, "list length");
        rejects(concat(ints(Integer.MAX_VALUE / 4 + 1), new byte[64]), JuteReader::readStringList, "list length");
        // Each ACL takes at least 12 bytes, so 2 ACLs do not fit in 20.
        byte[] create = concat(ints(1), new byte[] {'/'}, ints(-1, 2), new byte[20]);
        rejects(create, in -> Requests.read(OpCode.CREATE.code, in), "list length 2 exceeds");
        rejects(concat(ints(0, 0), ints(0x7fffffff), new byte[32]), in -> SetWatchesRequest.read(in), "list length");
        rejects(concat(ints(0x10000000), new byte[40]), in -> WhoAmIResponse.read(in), "list length");
    }

    @Test
    void multiWithUnknownOrMissingParts() {
        byte[] getAcl = concat(ints(OpCode.GET_ACL.code), new byte[] {0}, ints(-1), ints(1), new byte[] {'/'});
        rejects(getAcl, in -> Requests.read(OpCode.MULTI.code, in), "invalid operation type 6");
        rejects(concat(ints(999), new byte[] {0}, ints(-1)), in -> Requests.read(OpCode.MULTI.code, in),
                "invalid operation type 999");
        // Operations but no end header.
        byte[] unterminated = concat(ints(OpCode.DELETE.code), new byte[] {0}, ints(-1), ints(1), new byte[] {'/'},
                ints(0));
        rejects(unterminated, in -> Requests.read(OpCode.MULTI.code, in), "truncated");
        rejects(concat(ints(77), new byte[] {0}, ints(0)), in -> MultiResponse.read(in), "invalid result type 77");
    }

    @Test
    void unknownOpcodes() {
        rejects(new byte[8], in -> Requests.read(999, in), "unknown opcode 999");
        rejects(new byte[8], in -> Requests.read(10, in), "unknown opcode 10");
        rejects(new byte[8], in -> Requests.read(-1000, in), "unknown opcode -1000");
        rejects(new byte[8], in -> Requests.read(OpCode.DELETE_CONTAINER.code, in), "opcode 20");
        rejects(new byte[8], in -> Requests.read(OpCode.NOTIFICATION.code, in), "opcode 0");
        rejects(new byte[8], in -> Requests.read(OpCode.CREATE_SESSION.code, in), "opcode -10");
    }

    @Test
    void emptyRequestsIgnoreTheirBody() {
        JuteReader in = JuteReader.of(new byte[0]);
        assertThat(Requests.read(11, in)).isEqualTo(EmptyRequest.PING);
        assertThat(Requests.read(-11, in)).isEqualTo(EmptyRequest.CLOSE_SESSION);
        assertThat(Requests.read(107, in)).isEqualTo(EmptyRequest.WHO_AM_I);
    }

    /** Random frames for every opcode: decoding succeeds or fails with a MarshallingException, nothing else. */
    @Test
    void randomFramesOnlyEverFailAsMarshallingErrors() {
        Random random = new Random(42);
        List<Integer> opcodes = java.util.Arrays.stream(OpCode.values()).map(op -> op.code).toList();
        for (int i = 0; i < 20_000; i++) {
            byte[] frame = new byte[random.nextInt(64)];
            random.nextBytes(frame);
            // Bias lengths and counts towards small values so that decoding goes deep.
            for (int j = 0; j + 4 <= frame.length; j += 4) {
                if (random.nextInt(3) == 0) {
                    ByteBuffer.wrap(frame, j, 4).putInt(random.nextInt(12) - 2);
                }
            }
            int opcode = opcodes.get(random.nextInt(opcodes.size()));
            try {
                Requests.read(opcode, JuteReader.of(frame));
            } catch (MarshallingException expected) {
                // fine
            }
            try {
                MultiResponse.read(JuteReader.of(frame));
            } catch (MarshallingException expected) {
                // fine
            }
            try {
                ConnectRequest.read(JuteReader.of(frame));
            } catch (MarshallingException expected) {
                // fine
            }
        }
    }

    @Test
    void readOnlyByteIsReadOnlyWhenPresent() {
        byte[] without = new ConnectRequest(0, 1, 30000, 0, new byte[16], null).toBytes();
        assertThat(ConnectRequest.read(JuteReader.of(without)).readOnly()).isNull();
        byte[] with = new ConnectRequest(0, 1, 30000, 0, new byte[16], true).toBytes();
        assertThat(with).hasSize(without.length + 1);
        assertThat(ConnectRequest.read(JuteReader.of(with)).readOnly()).isTrue();
        // Bytes beyond the flag are left for the caller, as ZooKeeper does.
        JuteReader in = JuteReader.of(concat(with, new byte[] {5}));
        assertThat(ConnectRequest.read(in).readOnly()).isTrue();
        assertThat(in.remaining()).isEqualTo(1);
    }
}
