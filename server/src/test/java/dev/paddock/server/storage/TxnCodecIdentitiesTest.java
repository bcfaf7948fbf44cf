package dev.paddock.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.tree.AclLists;
import dev.paddock.server.tree.Txn;
import dev.paddock.wire.OpCode;
import dev.paddock.wire.proto.CreateRequest;
import dev.paddock.wire.proto.Id;
import dev.paddock.wire.proto.SetDataRequest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The decoder reuses the identities list of the entry before when the bytes are the same: every entry must
 * still decode to exactly what was encoded, whatever came before it, at any offset of its buffer.
 */
class TxnCodecIdentitiesTest {
    private static final List<Id> IP = List.of(new Id("ip", "127.0.0.1"));
    private static final List<Id> IP_AND_DIGEST = List.of(new Id("ip", "127.0.0.1"), new Id("digest", "alice:x"));
    private static final List<Id> OTHER_IP = List.of(new Id("ip", "127.0.0.2"));

    @Test
    void everyEntryDecodesToItsOwnIdentitiesWhateverCameBefore() {
        List<List<Id>> order = List.of(IP, IP, IP_AND_DIGEST, IP, OTHER_IP, List.of(), List.of(), IP, IP_AND_DIGEST,
                IP_AND_DIGEST, OTHER_IP);
        List<Txn> txns = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            long zxid = i + 1;
            var request = i % 2 == 0
                    ? new CreateRequest(OpCode.CREATE, "/n" + i, new byte[] {(byte) i}, AclLists.OPEN, 0)
                    : new SetDataRequest("/n" + (i - 1), new byte[] {1, 2, (byte) i}, -1);
            txns.add(new Txn(zxid, 1_700_000_000_000L + i, 0x10 + i, order.get(i), request));
        }
        for (Txn txn : txns) {
            byte[] payload = TxnCodec.encode(txn);
            assertThat(TxnCodec.read(txn.zxid(), ByteBuffer.wrap(payload))).isEqualTo(txn);
            // The same bytes in the middle of a larger buffer (as a segment's mapping hands them over).
            ByteBuffer framed = ByteBuffer.allocate(payload.length + 40);
            framed.position(17);
            framed.put(payload);
            framed.position(17).limit(17 + payload.length);
            assertThat(TxnCodec.read(txn.zxid(), framed.slice())).isEqualTo(txn);
            assertThat(TxnCodec.read(txn.zxid(), framed)).isEqualTo(txn);
        }
    }

    @Test
    void aRequestThatStartsWithTheRememberedBytesIsNotTakenForThem() {
        // A payload shorter than the remembered identities after its opcode must not match them.
        Txn withTwo = new Txn(1, 1, 1, IP_AND_DIGEST, new SetDataRequest("/a", new byte[0], -1));
        Txn withNone = new Txn(2, 2, 2, List.of(), new SetDataRequest("/a", new byte[0], -1));
        assertThat(TxnCodec.read(1, ByteBuffer.wrap(TxnCodec.encode(withTwo)))).isEqualTo(withTwo);
        assertThat(TxnCodec.read(2, ByteBuffer.wrap(TxnCodec.encode(withNone)))).isEqualTo(withNone);
        assertThat(TxnCodec.read(1, ByteBuffer.wrap(TxnCodec.encode(withTwo)))).isEqualTo(withTwo);
    }
}
