package dev.paddock.server.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.tree.AclLists;
import dev.paddock.server.tree.Change;
import dev.paddock.wire.proto.Acl;
import dev.paddock.wire.jute.JuteReader;
import dev.paddock.wire.proto.Id;
import dev.paddock.wire.proto.ReplyHeader;
import dev.paddock.wire.proto.WatcherEvent;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatchManagerTest {
    private final WatchManager watches = new WatchManager();

    private static class Recorder implements Watcher {
        final List<String> events = new ArrayList<>();

        @Override
        public void sendEvent(EventType type, String path, long zxid) {
            events.add(type + " " + path);
        }
    }

    private static List<Change> created(String path, String parent) {
        return List.of(new Change(Change.Kind.CREATED, path), new Change(Change.Kind.CHILDREN_CHANGED, parent));
    }

    private static List<Change> deleted(String path, String parent) {
        return List.of(new Change(Change.Kind.DELETED, path), new Change(Change.Kind.CHILDREN_CHANGED, parent));
    }

    @Test
    void aWatcherThatMayNotReadTheNodeGetsNoEventAndItsWatchIsUsedUp() {
        List<Acl> secret = List.of(new Acl(Acl.WRITE, new Id("world", "anyone")));
        List<List<Acl>> asked = new ArrayList<>();
        Recorder w = new Recorder() {
            @Override
            public boolean mayRead(List<Acl> acl) {
                asked.add(acl);
                return acl != secret;
            }
        };
        watches.addDataWatch("/a", w);
        watches.fire(List.of(new Change(Change.Kind.DATA_CHANGED, "/a", secret)), 1);
        watches.fire(List.of(new Change(Change.Kind.DATA_CHANGED, "/a", AclLists.OPEN)), 2);
        assertThat(w.events).isEmpty();
        assertThat(asked).containsExactly(secret);
        watches.addPersistentWatch("/", w, WatchManager.MODE_PERSISTENT_RECURSIVE);
        watches.fire(List.of(new Change(Change.Kind.CREATED, "/a/b", secret),
                new Change(Change.Kind.CREATED, "/a/c", AclLists.OPEN)), 3);
        assertThat(w.events).containsExactly("NODE_CREATED /a/c");
    }

    @Test
    void aChangeSeenByAThousandWatchersIsOneEventEncodedOnce() {
        List<WatchEvent> received = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            watches.addDataWatch("/fan", new Recorder() {
                @Override
                public void sendEvent(WatchEvent event) {
                    received.add(event);
                }
            });
        }
        watches.fire(List.of(new Change(Change.Kind.DATA_CHANGED, "/fan")), 7);
        assertThat(received).hasSize(1000);
        WatchEvent first = received.get(0);
        assertThat(received).allSatisfy(e -> assertThat(e).isSameAs(first));
        byte[] frame = first.frame();
        assertThat(first.frame()).isSameAs(frame);
    }

    @Test
    void theSharedFrameIsTheEventAsAReplyWouldEncodeIt() {
        WatchEvent e = new WatchEvent(EventType.NODE_DELETED, "/a/b", 0x100000005L);
        byte[] frame = e.frame();
        JuteReader in = JuteReader.of(ByteBuffer.wrap(frame));
        assertThat(in.readInt()).isEqualTo(frame.length - 4).isEqualTo(e.size());
        assertThat(ReplyHeader.read(in)).isEqualTo(new ReplyHeader(-1, 0x100000005L, 0));
        assertThat(WatcherEvent.read(in)).isEqualTo(new WatcherEvent(2, 3, "/a/b"));
        assertThat(in.remaining()).isZero();
    }

    @Test
    void oneShotWatchesFireOnce() {
        Recorder w = new Recorder();
        watches.addDataWatch("/a", w);
        watches.fire(List.of(new Change(Change.Kind.DATA_CHANGED, "/a")), 1);
        watches.fire(List.of(new Change(Change.Kind.DATA_CHANGED, "/a")), 2);
        assertThat(w.events).containsExactly("NODE_DATA_CHANGED /a");
    }

    @Test
    void deletionSendsOneEventToAWatcherWithDataAndChildWatches() {
        Recorder w = new Recorder();
        watches.addDataWatch("/a/b", w);
        watches.addChildWatch("/a/b", w);
        watches.addChildWatch("/a", w);
        watches.fire(deleted("/a/b", "/a"), 3);
        assertThat(w.events).containsExactly("NODE_DELETED /a/b", "NODE_CHILDREN_CHANGED /a");
        assertThat(watches.watchCount()).isZero();
    }

    @Test
    void recursiveWatchesSeeTheSubtreeButNeverChildrenChanged() {
        Recorder w = new Recorder();
        watches.addPersistentWatch("/a", w, WatchManager.MODE_PERSISTENT_RECURSIVE);
        watches.fire(created("/a/b", "/a"), 1);
        watches.fire(created("/a/b/c", "/a/b"), 2);
        watches.fire(List.of(new Change(Change.Kind.DATA_CHANGED, "/a/b/c")), 3);
        watches.fire(created("/other", "/"), 4);
        assertThat(w.events).containsExactly("NODE_CREATED /a/b", "NODE_CREATED /a/b/c", "NODE_DATA_CHANGED /a/b/c");
    }

    @Test
    void persistentWatchesStayAndSeeChildren() {
        Recorder w = new Recorder();
        watches.addPersistentWatch("/a", w, WatchManager.MODE_PERSISTENT);
        watches.fire(created("/a/x", "/a"), 1);
        watches.fire(deleted("/a/x", "/a"), 2);
        watches.fire(List.of(new Change(Change.Kind.DATA_CHANGED, "/a")), 3);
        assertThat(w.events).containsExactly("NODE_CHILDREN_CHANGED /a", "NODE_CHILDREN_CHANGED /a",
                "NODE_DATA_CHANGED /a");
    }

    @Test
    void removeAndCheckByWatcherType() {
        Recorder w = new Recorder();
        watches.addDataWatch("/a", w);
        watches.addChildWatch("/a", w);
        assertThat(watches.contains("/a", w, WatchManager.TYPE_CHILDREN)).isTrue();
        assertThat(watches.remove("/a", w, WatchManager.TYPE_CHILDREN)).isTrue();
        assertThat(watches.remove("/a", w, WatchManager.TYPE_CHILDREN)).isFalse();
        assertThat(watches.contains("/a", w, WatchManager.TYPE_DATA)).isTrue();
        assertThat(watches.remove("/a", w, WatchManager.TYPE_ANY)).isTrue();
        assertThat(watches.contains("/a", w, WatchManager.TYPE_ANY)).isFalse();
    }

    @Test
    void removeAllForgetsAClosedConnection() {
        Recorder w = new Recorder();
        watches.addDataWatch("/a", w);
        watches.addPersistentWatch("/", w, WatchManager.MODE_PERSISTENT_RECURSIVE);
        watches.removeAll(w);
        watches.fire(created("/a", "/"), 1);
        assertThat(w.events).isEmpty();
        assertThat(watches.watchCount()).isZero();
    }
}
