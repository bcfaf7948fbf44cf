package dev.paddock.wire.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.paddock.wire.OpCode;
import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.MarshallingException;
import dev.paddock.wire.proto.ConnectRequest;
import dev.paddock.wire.proto.Request;
import dev.paddock.wire.proto.RequestHeader;
import dev.paddock.wire.proto.Requests;

/**
 * Coverage-guided fuzzing (Jazzer) of the decoder of everything a client sends: the connect request, the
 * request header and every request body, from arbitrary bytes. The decoder may refuse input only with a
 * {@link MarshallingException} (never another exception, never an allocation the input did not pay for);
 * what it accepts must encode to exactly {@code size()} bytes and decode again to the same encoding.
 *
 * <p>In {@code mvn verify} Jazzer runs in regression mode (the inputs under
 * {@code src/test/resources/.../RequestDecodingFuzzerInputs}) unless {@code JAZZER_FUZZ=1} is set; the
 * {@code fuzz} profile sets it and fuzzes for {@code jazzer.max_duration}.
 */
class RequestDecodingFuzzer {
    private static final OpCode[] OPS = OpCode.values();

    @FuzzTest(maxDuration = "${jazzer.max_duration:30s}")
    void decodesOrRefusesCleanly(FuzzedDataProvider data) {
        int what = data.consumeInt(0, OPS.length + 1);
        byte[] body = data.consumeRemainingAsBytes();
        if (what == OPS.length) {
            roundTrip(() -> ConnectRequest.read(JuteReader.of(body)), b -> ConnectRequest.read(JuteReader.of(b)));
        } else if (what == OPS.length + 1) {
            roundTrip(() -> RequestHeader.read(JuteReader.of(body)), b -> RequestHeader.read(JuteReader.of(b)));
        } else {
            int op = OPS[what].code;
            roundTrip(() -> Requests.read(op, JuteReader.of(body)), b -> Requests.read(op, JuteReader.of(b)));
        }
    }

    private interface Decode<T> {
        T from(byte[] bytes);
    }

    private interface First<T> {
        T decode();
    }

    private static <T extends dev.paddock.wire.jute.JuteRecord> void roundTrip(First<T> first, Decode<T> again) {
        T record;
        try {
            record = first.decode();
        } catch (MarshallingException refused) {
            return;
        }
        byte[] encoded = record.toBytes();
        T decoded = again.from(encoded);
        assertThat(decoded.toBytes()).as("%s decodes to what it encodes", record).isEqualTo(encoded);
        if (record instanceof Request r) {
            assertThat(r.size()).isEqualTo(encoded.length);
        }
    }
}
