package dev.paddock.wire.proto;

import static dev.paddock.wire.proto.Reference.acls;
import static dev.paddock.wire.proto.Reference.stat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paddock.wire.OpCode;
import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.jute.JuteRecord;
import dev.paddock.wire.jute.JuteWriter;
import dev.paddock.wire.jute.MarshallingException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.jute.Record;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.MultiOperationRecord;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooDefs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every record against the reference client's own jute classes: our bytes equal the reference's for the
 * same field values, our reader decodes the reference's bytes to an equal record, the reference reads our
 * bytes back to the same bytes, and every strict prefix of the bytes is a {@link MarshallingException}.
 */
class RecordCompatibilityTest {
    static final Stat STAT = new Stat(0x100000001L, 0x200000005L, 1700000000000L, 1700000001234L, 3, -2, 7,
            0x1234567890abL, 42, 5, 0x300000009L);
    static final Stat STAT2 = new Stat(1, 2, 3, 4, 0, 0, 0, 0, 0, 0, 2);
    static final String PATH = "/app/ünï/路径-0000000001";
    static final byte[] DATA = {'h', (byte) 0xc3, (byte) 0xa9, 0, -1, 127, -128};
    static final byte[] PASSWORD = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, -16};
    static final List<Acl> ACLS = List.of(new Acl(Acl.ALL, new Id("world", "anyone")),
            new Acl(Acl.READ | Acl.ADMIN, new Id("digest", "bob:KXM8Vc4BTvPc0dtgD9i0X2tYmSs=")));
    static final List<String> NAMES = List.of("a", "ü-节点", "", "node-0000000007");

    /** One table row: our record, the reference bytes for the same values, how we read them back. */
    record Case(String name, JuteRecord ours, byte[] refBytes, Class<? extends Record> refType,
                Function<JuteReader, JuteRecord> reader) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case c(String name, JuteRecord ours, Record ref, Function<JuteReader, JuteRecord> reader) {
        return new Case(name, ours, Reference.serialize(ref), ref.getClass(), reader);
    }

    /** A row without a reference class: the expected bytes are given. */
    static Case raw(String name, JuteRecord ours, byte[] expected, Function<JuteReader, JuteRecord> reader) {
        return new Case(name, ours, expected, null, reader);
    }

    static Stream<Case> cases() {
        List<Case> t = new ArrayList<>();
        // The handshake.
        t.add(c("ConnectRequest readOnly=false",
                new ConnectRequest(0, 0x500000007L, 30000, 0x1234L, PASSWORD, false),
                new org.apache.zookeeper.proto.ConnectRequest(0, 0x500000007L, 30000, 0x1234L, PASSWORD, false),
                ConnectRequest::read));
        t.add(c("ConnectRequest readOnly=true new session",
                new ConnectRequest(0, 0, 40000, 0, new byte[16], true),
                new org.apache.zookeeper.proto.ConnectRequest(0, 0, 40000, 0, new byte[16], true),
                ConnectRequest::read));
        byte[] withFlag = Reference.serialize(
                new org.apache.zookeeper.proto.ConnectRequest(0, -1L, 10000, Long.MIN_VALUE, PASSWORD, false));
        t.add(raw("ConnectRequest without readOnly byte",
                new ConnectRequest(0, -1L, 10000, Long.MIN_VALUE, PASSWORD, null),
                Arrays.copyOf(withFlag, withFlag.length - 1), ConnectRequest::read));
        t.add(c("ConnectResponse readOnly=false",
                new ConnectResponse(0, 40000, 0x1000000abcdL, PASSWORD, false),
                new org.apache.zookeeper.proto.ConnectResponse(0, 40000, 0x1000000abcdL, PASSWORD, false),
                ConnectResponse::read));
        t.add(c("ConnectResponse expired readOnly=true",
                new ConnectResponse(0, 0, 0, new byte[16], true),
                new org.apache.zookeeper.proto.ConnectResponse(0, 0, 0, new byte[16], true),
                ConnectResponse::read));
        byte[] respWithFlag = Reference.serialize(
                new org.apache.zookeeper.proto.ConnectResponse(0, 40000, 7, null, false));
        t.add(raw("ConnectResponse without readOnly byte, null password",
                new ConnectResponse(0, 40000, 7, null, null),
                Arrays.copyOf(respWithFlag, respWithFlag.length - 1), ConnectResponse::read));

        // Headers and primitives that were already there.
        t.add(c("RequestHeader", new RequestHeader(17, OpCode.CREATE2.code),
                new org.apache.zookeeper.proto.RequestHeader(17, ZooDefs.OpCode.create2), RequestHeader::read));
        t.add(c("ReplyHeader", new ReplyHeader(-1, 0x700000001L, -101),
                new org.apache.zookeeper.proto.ReplyHeader(-1, 0x700000001L, -101), ReplyHeader::read));
        t.add(c("Stat", STAT, stat(STAT), Stat::read));
        t.add(c("Id", new Id("ip", "10.0.0.0/8"), new org.apache.zookeeper.data.Id("ip", "10.0.0.0/8"), Id::read));
        t.add(c("Id nulls", new Id(null, null), new org.apache.zookeeper.data.Id(null, null), Id::read));
        t.add(c("Acl", ACLS.get(1), Reference.acl(ACLS.get(1)), Acl::read));
        t.add(c("MultiHeader op", new MultiHeader(1, false, -1),
                new org.apache.zookeeper.proto.MultiHeader(1, false, -1), MultiHeader::read));
        t.add(c("MultiHeader end", MultiHeader.END,
                new org.apache.zookeeper.proto.MultiHeader(-1, true, -1), MultiHeader::read));

        // Requests.
        for (OpCode op : List.of(OpCode.CREATE, OpCode.CREATE2, OpCode.CREATE_CONTAINER)) {
            t.add(c("CreateRequest " + op, new CreateRequest(op, PATH, DATA, ACLS, op == OpCode.CREATE_CONTAINER ? 4 : 3),
                    new org.apache.zookeeper.proto.CreateRequest(PATH, DATA, acls(ACLS),
                            op == OpCode.CREATE_CONTAINER ? 4 : 3),
                    in -> CreateRequest.read(op, in)));
        }
        t.add(c("CreateRequest null data, empty acl", new CreateRequest(OpCode.CREATE, "/a", null, List.of(), 0),
                new org.apache.zookeeper.proto.CreateRequest("/a", null, List.of(), 0),
                in -> CreateRequest.read(OpCode.CREATE, in)));
        t.add(c("CreateTtlRequest", new CreateTtlRequest(PATH, DATA, ACLS, 5, 60000L),
                new org.apache.zookeeper.proto.CreateTTLRequest(PATH, DATA, acls(ACLS), 5, 60000L),
                CreateTtlRequest::read));
        t.add(c("CreateTtlRequest empty", new CreateTtlRequest("/t", new byte[0], List.of(), 6, Long.MAX_VALUE),
                new org.apache.zookeeper.proto.CreateTTLRequest("/t", new byte[0], List.of(), 6, Long.MAX_VALUE),
                CreateTtlRequest::read));
        t.add(c("PathVersionRequest delete", new PathVersionRequest(OpCode.DELETE, PATH, 3),
                new org.apache.zookeeper.proto.DeleteRequest(PATH, 3), in -> PathVersionRequest.read(OpCode.DELETE, in)));
        t.add(c("PathVersionRequest check", new PathVersionRequest(OpCode.CHECK, PATH, -1),
                new org.apache.zookeeper.proto.CheckVersionRequest(PATH, -1),
                in -> PathVersionRequest.read(OpCode.CHECK, in)));
        t.add(c("PathWatchRequest exists", new PathWatchRequest(OpCode.EXISTS, PATH, true),
                new org.apache.zookeeper.proto.ExistsRequest(PATH, true),
                in -> PathWatchRequest.read(OpCode.EXISTS, in)));
        t.add(c("PathWatchRequest getData", new PathWatchRequest(OpCode.GET_DATA, PATH, false),
                new org.apache.zookeeper.proto.GetDataRequest(PATH, false),
                in -> PathWatchRequest.read(OpCode.GET_DATA, in)));
        t.add(c("PathWatchRequest getChildren", new PathWatchRequest(OpCode.GET_CHILDREN, "/", true),
                new org.apache.zookeeper.proto.GetChildrenRequest("/", true),
                in -> PathWatchRequest.read(OpCode.GET_CHILDREN, in)));
        t.add(c("PathWatchRequest getChildren2", new PathWatchRequest(OpCode.GET_CHILDREN2, PATH, true),
                new org.apache.zookeeper.proto.GetChildren2Request(PATH, true),
                in -> PathWatchRequest.read(OpCode.GET_CHILDREN2, in)));
        t.add(c("SetDataRequest", new SetDataRequest(PATH, DATA, -1),
                new org.apache.zookeeper.proto.SetDataRequest(PATH, DATA, -1), SetDataRequest::read));
        t.add(c("SetDataRequest null data", new SetDataRequest("/x", null, 12),
                new org.apache.zookeeper.proto.SetDataRequest("/x", null, 12), SetDataRequest::read));
        t.add(c("PathRequest sync", new PathRequest(OpCode.SYNC, PATH),
                new org.apache.zookeeper.proto.SyncRequest(PATH), in -> PathRequest.read(OpCode.SYNC, in)));
        t.add(c("PathRequest getACL", new PathRequest(OpCode.GET_ACL, PATH),
                new org.apache.zookeeper.proto.GetACLRequest(PATH), in -> PathRequest.read(OpCode.GET_ACL, in)));
        t.add(c("PathRequest getEphemerals", new PathRequest(OpCode.GET_EPHEMERALS, "/"),
                new org.apache.zookeeper.proto.GetEphemeralsRequest("/"),
                in -> PathRequest.read(OpCode.GET_EPHEMERALS, in)));
        t.add(c("PathRequest getAllChildrenNumber", new PathRequest(OpCode.GET_ALL_CHILDREN_NUMBER, PATH),
                new org.apache.zookeeper.proto.GetAllChildrenNumberRequest(PATH),
                in -> PathRequest.read(OpCode.GET_ALL_CHILDREN_NUMBER, in)));
        t.add(c("SetAclRequest", new SetAclRequest(PATH, ACLS, 2),
                new org.apache.zookeeper.proto.SetACLRequest(PATH, acls(ACLS), 2), SetAclRequest::read));
        t.add(c("ReconfigRequest incremental", new ReconfigRequest("server.4=h4:2888:3888:participant;2181", "2,3", null, -1),
                new org.apache.zookeeper.proto.ReconfigRequest("server.4=h4:2888:3888:participant;2181", "2,3", null, -1),
                ReconfigRequest::read));
        t.add(c("ReconfigRequest non-incremental",
                new ReconfigRequest(null, null, "server.1=a:1:2;3,server.2=b:1:2;3", 0x100000000L),
                new org.apache.zookeeper.proto.ReconfigRequest(null, null, "server.1=a:1:2;3,server.2=b:1:2;3",
                        0x100000000L),
                ReconfigRequest::read));
        t.add(c("WatchModeRequest checkWatches", new WatchModeRequest(OpCode.CHECK_WATCHES, PATH, 2),
                new org.apache.zookeeper.proto.CheckWatchesRequest(PATH, 2),
                in -> WatchModeRequest.read(OpCode.CHECK_WATCHES, in)));
        t.add(c("WatchModeRequest removeWatches", new WatchModeRequest(OpCode.REMOVE_WATCHES, PATH, 3),
                new org.apache.zookeeper.proto.RemoveWatchesRequest(PATH, 3),
                in -> WatchModeRequest.read(OpCode.REMOVE_WATCHES, in)));
        t.add(c("WatchModeRequest addWatch", new WatchModeRequest(OpCode.ADD_WATCH, PATH, 1),
                new org.apache.zookeeper.proto.AddWatchRequest(PATH, 1),
                in -> WatchModeRequest.read(OpCode.ADD_WATCH, in)));
        byte[] cred = "bob:secret".getBytes(StandardCharsets.UTF_8);
        t.add(c("AuthPacket", new AuthPacket(0, "digest", cred),
                new org.apache.zookeeper.proto.AuthPacket(0, "digest", cred), AuthPacket::read));
        t.add(c("SetWatchesRequest", new SetWatchesRequest(0x800000003L, List.of(PATH), List.of("/e1", "/e2"), List.of()),
                new org.apache.zookeeper.proto.SetWatches(0x800000003L, List.of(PATH), List.of("/e1", "/e2"), List.of()),
                SetWatchesRequest::read));
        t.add(c("SetWatches2Request",
                new SetWatches2Request(5, List.of(), List.of("/e"), List.of(PATH, "/"), List.of("/p"), List.of("/r", "/r2")),
                new org.apache.zookeeper.proto.SetWatches2(5, List.of(), List.of("/e"), List.of(PATH, "/"), List.of("/p"),
                        List.of("/r", "/r2")),
                SetWatches2Request::read));
        t.add(c("SaslRequest", new SaslRequest(DATA), new org.apache.zookeeper.proto.GetSASLRequest(DATA),
                SaslRequest::read));
        t.add(c("SaslRequest empty token", new SaslRequest(new byte[0]),
                new org.apache.zookeeper.proto.GetSASLRequest(new byte[0]), SaslRequest::read));
        for (EmptyRequest e : List.of(EmptyRequest.PING, EmptyRequest.CLOSE_SESSION, EmptyRequest.WHO_AM_I)) {
            t.add(raw("EmptyRequest " + e.opCode(), e, new byte[0], in -> new EmptyRequest(e.opCode())));
        }
        t.add(c("MultiRequest multi", multi(), multiReference(), in -> MultiRequest.read(OpCode.MULTI, in)));
        t.add(c("MultiRequest multiRead",
                new MultiRequest(OpCode.MULTI_READ, List.of(new PathWatchRequest(OpCode.GET_CHILDREN, PATH, false),
                        new PathWatchRequest(OpCode.GET_DATA, "/d", false))),
                new MultiOperationRecord(List.of(Op.getChildren(PATH), Op.getData("/d"))),
                in -> MultiRequest.read(OpCode.MULTI_READ, in)));
        t.add(c("MultiRequest empty", new MultiRequest(OpCode.MULTI, List.of()), new MultiOperationRecord(),
                in -> MultiRequest.read(OpCode.MULTI, in)));

        // Responses.
        t.add(c("WatcherEvent", new WatcherEvent(3, 3, PATH), new org.apache.zookeeper.proto.WatcherEvent(3, 3, PATH),
                WatcherEvent::read));
        t.add(c("WatcherEvent null path", new WatcherEvent(-1, -112, null),
                new org.apache.zookeeper.proto.WatcherEvent(-1, -112, null), WatcherEvent::read));
        t.add(c("ErrorResponse", new ErrorResponse(-101), new org.apache.zookeeper.proto.ErrorResponse(-101),
                ErrorResponse::read));
        t.add(c("PathResponse create", new PathResponse(PATH), new org.apache.zookeeper.proto.CreateResponse(PATH),
                PathResponse::read));
        t.add(c("PathResponse sync", new PathResponse("/"), new org.apache.zookeeper.proto.SyncResponse("/"),
                PathResponse::read));
        t.add(c("Create2Response", new Create2Response(PATH, STAT),
                new org.apache.zookeeper.proto.Create2Response(PATH, stat(STAT)), Create2Response::read));
        t.add(c("StatResponse exists", new StatResponse(STAT), new org.apache.zookeeper.proto.ExistsResponse(stat(STAT)),
                StatResponse::read));
        t.add(c("StatResponse setData", new StatResponse(STAT2),
                new org.apache.zookeeper.proto.SetDataResponse(stat(STAT2)), StatResponse::read));
        t.add(c("StatResponse setACL", new StatResponse(STAT), new org.apache.zookeeper.proto.SetACLResponse(stat(STAT)),
                StatResponse::read));
        t.add(c("GetDataResponse", new GetDataResponse(DATA, STAT),
                new org.apache.zookeeper.proto.GetDataResponse(DATA, stat(STAT)), GetDataResponse::read));
        t.add(c("GetDataResponse null data", new GetDataResponse(null, STAT2),
                new org.apache.zookeeper.proto.GetDataResponse(null, stat(STAT2)), GetDataResponse::read));
        t.add(c("GetAclResponse", new GetAclResponse(ACLS, STAT),
                new org.apache.zookeeper.proto.GetACLResponse(acls(ACLS), stat(STAT)), GetAclResponse::read));
        t.add(c("StringListResponse getChildren", new StringListResponse(NAMES),
                new org.apache.zookeeper.proto.GetChildrenResponse(NAMES), StringListResponse::read));
        t.add(c("StringListResponse getChildren empty", new StringListResponse(List.of()),
                new org.apache.zookeeper.proto.GetChildrenResponse(List.of()), StringListResponse::read));
        t.add(c("StringListResponse getEphemerals", new StringListResponse(List.of(PATH, "/e")),
                new org.apache.zookeeper.proto.GetEphemeralsResponse(List.of(PATH, "/e")), StringListResponse::read));
        t.add(c("GetChildren2Response", new GetChildren2Response(NAMES, STAT),
                new org.apache.zookeeper.proto.GetChildren2Response(NAMES, stat(STAT)), GetChildren2Response::read));
        t.add(c("IntResponse", new IntResponse(123456),
                new org.apache.zookeeper.proto.GetAllChildrenNumberResponse(123456), IntResponse::read));
        t.add(c("SaslResponse", new SaslResponse(DATA), new org.apache.zookeeper.proto.SetSASLResponse(DATA),
                SaslResponse::read));
        t.add(c("SaslResponse null token", new SaslResponse(null), new org.apache.zookeeper.proto.SetSASLResponse(null),
                SaslResponse::read));
        t.add(c("ClientInfo", new ClientInfo("digest", "bob"), new org.apache.zookeeper.data.ClientInfo("digest", "bob"),
                ClientInfo::read));
        t.add(c("WhoAmIResponse",
                new WhoAmIResponse(List.of(new ClientInfo("ip", "127.0.0.1"), new ClientInfo("digest", "bob"))),
                new org.apache.zookeeper.proto.WhoAmIResponse(List.of(
                        new org.apache.zookeeper.data.ClientInfo("ip", "127.0.0.1"),
                        new org.apache.zookeeper.data.ClientInfo("digest", "bob"))),
                WhoAmIResponse::read));
        t.add(c("MultiResponse multi", multiResponse(), multiResponseReference(), MultiResponse::read));
        t.add(c("MultiResponse multiRead", readResponse(), readResponseReference(), MultiResponse::read));
        t.add(c("MultiResponse failed", failedResponse(), failedResponseReference(), MultiResponse::read));
        t.add(c("MultiResponse empty", new MultiResponse(List.of()), new org.apache.zookeeper.MultiResponse(),
                MultiResponse::read));
        return t.stream();
    }

    static MultiRequest multi() {
        return new MultiRequest(OpCode.MULTI, List.of(
                new CreateRequest(OpCode.CREATE, PATH, DATA, ACLS, 0),
                new CreateRequest(OpCode.CREATE_CONTAINER, "/c", null, ACLS, 4),
                new CreateTtlRequest("/ttl", DATA, ACLS, 5, 1000),
                new PathVersionRequest(OpCode.CHECK, "/", 7),
                new SetDataRequest(PATH, DATA, 1),
                new PathVersionRequest(OpCode.DELETE, PATH, -1)));
    }

    static MultiOperationRecord multiReference() {
        return new MultiOperationRecord(List.of(
                Op.create(PATH, DATA, acls(ACLS), CreateMode.PERSISTENT),
                Op.create("/c", null, acls(ACLS), CreateMode.CONTAINER),
                Op.create("/ttl", DATA, acls(ACLS), CreateMode.PERSISTENT_WITH_TTL, 1000),
                Op.check("/", 7),
                Op.setData(PATH, DATA, 1),
                Op.delete(PATH, -1)));
    }

    static MultiResponse multiResponse() {
        return new MultiResponse(List.of(
                MultiResult.ok(OpCode.CREATE, new PathResponse(PATH + "0000000001")),
                MultiResult.ok(OpCode.CREATE2, new Create2Response("/c2", STAT)),
                MultiResult.ok(OpCode.CHECK, null),
                MultiResult.ok(OpCode.SET_DATA, new StatResponse(STAT2)),
                MultiResult.ok(OpCode.DELETE, null)));
    }

    static org.apache.zookeeper.MultiResponse multiResponseReference() {
        org.apache.zookeeper.MultiResponse r = new org.apache.zookeeper.MultiResponse();
        r.add(new OpResult.CreateResult(PATH + "0000000001"));
        r.add(new OpResult.CreateResult("/c2", stat(STAT)));
        r.add(new OpResult.CheckResult());
        r.add(new OpResult.SetDataResult(stat(STAT2)));
        r.add(new OpResult.DeleteResult());
        return r;
    }

    static MultiResponse readResponse() {
        return new MultiResponse(List.of(
                MultiResult.ok(OpCode.GET_CHILDREN, new StringListResponse(NAMES)),
                MultiResult.ok(OpCode.GET_DATA, new GetDataResponse(DATA, STAT)),
                MultiResult.error(-101)));
    }

    static org.apache.zookeeper.MultiResponse readResponseReference() {
        org.apache.zookeeper.MultiResponse r = new org.apache.zookeeper.MultiResponse();
        r.add(new OpResult.GetChildrenResult(NAMES));
        r.add(new OpResult.GetDataResult(DATA, stat(STAT)));
        r.add(new OpResult.ErrorResult(-101));
        return r;
    }

    static MultiResponse failedResponse() {
        return new MultiResponse(List.of(MultiResult.error(0), MultiResult.error(-110), MultiResult.error(-2)));
    }

    static org.apache.zookeeper.MultiResponse failedResponseReference() {
        org.apache.zookeeper.MultiResponse r = new org.apache.zookeeper.MultiResponse();
        r.add(new OpResult.ErrorResult(0));
        r.add(new OpResult.ErrorResult(-110));
        r.add(new OpResult.ErrorResult(-2));
        return r;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void writesTheReferenceBytes(Case c) {
        assertThat(c.ours().toBytes()).as("bytes").isEqualTo(c.refBytes());
        assertThat(c.ours().size()).isEqualTo(c.refBytes().length);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void readsTheReferenceBytes(Case c) {
        JuteReader in = JuteReader.of(c.refBytes());
        JuteRecord read = c.reader().apply(in);
        assertThat(read).isEqualTo(c.ours());
        assertThat(read.hashCode()).isEqualTo(c.ours().hashCode());
        assertThat(in.remaining()).as("bytes left unread").isZero();
        // Round trip through our own codec, from a direct buffer too.
        ByteBuffer direct = ByteBuffer.allocateDirect(c.refBytes().length + 3);
        direct.put(new byte[] {9, 9, 9}).put(c.ours().toBytes()).flip().position(3);
        assertThat(c.reader().apply(JuteReader.of(direct))).isEqualTo(c.ours());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void referenceReadsOurBytes(Case c) throws Exception {
        if (c.refType() != null) {
            Record ref = Reference.deserialize(c.refType(), c.ours().toBytes());
            assertThat(Reference.serialize(ref)).isEqualTo(c.refBytes());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void requestsDecodesByOpcode(Case c) {
        if (c.ours() instanceof Request request) {
            JuteReader in = JuteReader.of(c.refBytes());
            assertThat(Requests.read(request.opCode().code, in)).isEqualTo(request);
            assertThat(in.remaining()).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyTruncationIsAMarshallingException(Case c) {
        byte[] bytes = c.refBytes();
        boolean optionalTail = c.ours() instanceof ConnectRequest r && r.readOnly() != null
                || c.ours() instanceof ConnectResponse s && s.readOnly() != null;
        for (int len = 0; len < bytes.length; len++) {
            JuteReader in = JuteReader.of(bytes, 0, len);
            if (optionalTail && len == bytes.length - 1) {
                c.reader().apply(in); // the optional readOnly byte
                continue;
            }
            int prefix = len;
            assertThatThrownBy(() -> c.reader().apply(in)).as("prefix of %d bytes", prefix)
                    .isInstanceOf(MarshallingException.class);
        }
    }

    /** Paddock's compact form (its log and member traffic) of every request and record reads back as written. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theCompactFormReadsBackAndEveryTruncationIsRefused(Case c) {
        int size = JuteWriter.compactSize(c.ours());
        ByteBuffer out = ByteBuffer.allocate(size + 2);
        out.put((byte) 7);
        JuteWriter.compact(out).writeRecord(c.ours());
        assertThat(out.position()).as("compactSize").isEqualTo(1 + size);
        ByteBuffer framed = out.flip().position(1);
        JuteReader in = JuteReader.compact(framed);
        assertThat(c.reader().apply(in)).isEqualTo(c.ours());
        assertThat(in.remaining()).as("bytes left unread").isZero();
        if (c.ours() instanceof Request request) {
            assertThat(size).as("never larger than jute here").isLessThanOrEqualTo(request.size());
            assertThat(Requests.read(request.opCode().code, JuteReader.compact(framed))).isEqualTo(request);
            for (int len = 0; len < size; len++) {
                JuteReader prefix = JuteReader.compact(framed.duplicate().limit(1 + len));
                int bytes = len;
                assertThatThrownBy(() -> Requests.read(request.opCode().code, prefix)).as("prefix of %d bytes", bytes)
                        .isInstanceOf(MarshallingException.class);
            }
        }
    }

    @Test
    void everyClientOpcodeIsCovered() {
        List<Integer> covered = cases().map(Case::ours).filter(r -> r instanceof Request)
                .map(r -> ((Request) r).opCode().code).distinct().sorted().toList();
        assertThat(covered).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19,
                21, 22, 100, 101, 102, 103, 104, 105, 106, 107, -11);
    }

    @Test
    void byteArraysCompareByContent() {
        assertThat(new ConnectRequest(0, 1, 2, 3, new byte[] {1}, null))
                .isEqualTo(new ConnectRequest(0, 1, 2, 3, new byte[] {1}, null))
                .isNotEqualTo(new ConnectRequest(0, 1, 2, 3, new byte[] {2}, null))
                .isNotEqualTo(new ConnectRequest(0, 1, 2, 3, new byte[] {1}, false));
        assertThat(new ConnectRequest(0, 1, 2, 3, PASSWORD, true).toString()).doesNotContain("-16").contains("byte[16]");
    }

    /**
     * Deliberate difference: outside the Basic Multilingual Plane the reference writer encodes each UTF-16
     * surrogate as its own 3 bytes (6 bytes for U+1F600), which no UTF-8 decoder, including the reference's
     * own reader, turns back into the character. Paddock writes standard UTF-8 (4 bytes), so C and Python
     * clients get back the bytes they sent. Both sides read with the same standard decoder.
     */
    @Test
    void charactersOutsideTheBmpAreStandardUtf8() {
        String smile = "/\uD83D\uDE00";
        byte[] ours = new PathResponse(smile).toBytes();
        assertThat(ours).containsExactly(0, 0, 0, 5, '/', 0xF0, 0x9F, 0x98, 0x80);
        assertThat(PathResponse.read(JuteReader.of(ours)).path()).isEqualTo(smile);
        byte[] reference = Reference.serialize(new org.apache.zookeeper.proto.CreateResponse(smile));
        assertThat(reference).hasSize(4 + 7);
        assertThat(PathResponse.read(JuteReader.of(reference)).path()).isNotEqualTo(smile);
        // An unpaired surrogate cannot be encoded; it becomes '?' and size() agrees with write().
        assertThat(new PathResponse("/\uD800x").toBytes()).containsExactly(0, 0, 0, 3, '/', '?', 'x');
    }
}
