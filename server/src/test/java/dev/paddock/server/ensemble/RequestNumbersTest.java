package dev.paddock.server.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.config.ServerConfig;
import dev.paddock.server.quorum.Entry;
import dev.paddock.server.quorum.Message;
import dev.paddock.server.quorum.ReplicaStorage;
import dev.paddock.server.quorum.Role;
import dev.paddock.server.quorum.Zxid;
import dev.paddock.server.request.WritePath;
import dev.paddock.server.session.SessionTracker;
import dev.paddock.server.storage.MemoryEpochs;
import dev.paddock.server.storage.LogDevice;
import dev.paddock.server.storage.MemberStorage;
import dev.paddock.server.storage.ReplicaLog;
import dev.paddock.server.time.ManualClock;
import dev.paddock.server.tree.AclLists;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.watch.WatchManager;
import dev.paddock.wire.OpCode;
import dev.paddock.wire.proto.CreateRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A member answers its clients by matching the origin and request number in each applied entry to the
 * requests it is waiting on. An entry forwarded by an earlier process of the same member can still commit
 * after a restart; the new process must not take it for one of its own requests. Scripted here, with this
 * test playing leader 2 of a three-member ensemble to follower 1, because the glue simulation's crashes
 * rarely land in the window (the old entry must commit only after the new process serves and has a request
 * waiting under the same number).
 */
class RequestNumbersTest {
    private static final int LEADER = 2;

    /** The follower's disk: what was written survives the process. */
    /** The process's disk: its epochs and the log records it holds. */
    private static final class Disk extends MemoryEpochs {
        final List<Entry> entries = new ArrayList<>();
    }

    /** One process of follower 1, with its request thread, network and disk queue in the test's hands. */
    private static final class Process implements LogDevice {
        final Disk disk;
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        final List<Message> sent = new ArrayList<>();
        final List<Op> queued = new ArrayList<>();
        Durable durable;
        BooleanSupplier wake;
        MemberNetwork.Receiver receiver;
        EnsembleMember member;
        long link;
        long leaderSeq;

        Process(Disk disk, long seed) throws Exception {
            this.disk = disk;
            long last = disk.entries.isEmpty() ? 0 : disk.entries.get(disk.entries.size() - 1).zxid();
            this.durable = new Durable(0, last);
            ManualClock clock = new ManualClock(1_700_000_000_000L);
            StateMachine sm = new StateMachine(false);
            RequestThread thread = new RequestThread() {
                @Override
                public void execute(Runnable task) {
                    tasks.add(task);
                }

                @Override
                public boolean tryExecute(Runnable task) {
                    return tasks.add(task);
                }
            };
            EnsembleMember.Parts parts = new EnsembleMember.Parts(this::open, network(), thread, clock,
                    new SplittableRandom(seed), EnsembleMember.DEFAULT_COUNTER_LIMIT, MemberObserver.NONE);
            member = EnsembleMember.open(new Membership(1, Set.of(1, 2, 3), Set.of(), Map.of(), null, null, false),
                    config(), sm, new WatchManager(), new SessionTracker(clock, 100, 1), parts);
            member.start(() -> { });
            run();
        }

        private MemberStorage open(BooleanSupplier wake) {
            this.wake = wake;
            ReplicaLog log = new ReplicaLog(0, new ArrayList<>(disk.entries), disk, this);
            return new MemberStorage() {
                @Override
                public StateMachine recoveredState() {
                    return new StateMachine(false);
                }

                @Override
                public ReplicaStorage log() {
                    return log;
                }

                @Override
                public void applied(StateMachine stateMachine) {
                }

                @Override
                public String snapshotNow(StateMachine stateMachine) {
                    return "";
                }

                @Override
                public void close() {
                }
            };
        }

        private MemberNetwork network() {
            return new MemberNetwork() {
                @Override
                public void start(Receiver r) {
                    receiver = r;
                }

                @Override
                public void send(int to, Message message) {
                    sent.add(message);
                }

                @Override
                public void close() {
                }
            };
        }

        void run() {
            while (!tasks.isEmpty()) {
                tasks.poll().run();
            }
        }

        @Override
        public List<Entry> read(long fromExclusive, long toInclusive, int count) {
            return disk.entries.stream().filter(e -> e.zxid() > fromExclusive && e.zxid() <= toInclusive)
                    .limit(count).toList();
        }

        /** The disk writes everything queued, and the member hears of it. */
        void fsync() {
            for (Op op : queued) {
                if (op instanceof Append a) {
                    disk.entries.add(a.entry());
                    durable = new Durable(a.generation(), a.entry().zxid());
                }
            }
            queued.clear();
            wake.getAsBoolean();
            run();
        }

        @Override
        public void submit(Op op) {
            queued.add(op);
        }

        @Override
        public Durable durable() {
            return durable;
        }

        @Override
        public long fsyncCount() {
            return 0;
        }

        @Override
        public void close() {
        }

        void fromLeader(Message.Body body) {
            receiver.receive(LEADER, new Message.Linked(link, leaderSeq++, body));
            run();
        }

        /** Elects leader 2 (3 follows it), then joins it in {@code epoch}, synced with {@code entries}. */
        void join(long epoch, List<Entry> entries) {
            receiver.receive(LEADER, new Message.Notification(new Message.Vote(LEADER, 0, 0), 1, Role.LEADING));
            receiver.receive(3, new Message.Notification(new Message.Vote(LEADER, 0, 0), 1, Role.FOLLOWING));
            run();
            tasks.add(member::electionTick);
            run();
            Message.Linked opening = (Message.Linked) sent.stream()
                    .filter(m -> m instanceof Message.Linked l && l.body() instanceof Message.LearnerInfo)
                    .findFirst().orElseThrow();
            link = opening.link();
            fromLeader(new Message.LeaderInfo(epoch));
            fromLeader(new Message.Sync(-1, null, entries));
            long last = entries.isEmpty() ? 0 : entries.get(entries.size() - 1).zxid();
            fromLeader(new Message.NewLeader(epoch, last));
            fsync();
            fromLeader(new Message.UpToDate(0));
            assertThat(member.serving()).isTrue();
        }

        byte[] forwarded() {
            for (Message m : sent) {
                if (m instanceof Message.Linked l && l.body() instanceof Message.Forward f) {
                    return f.payload();
                }
            }
            throw new AssertionError("nothing was forwarded");
        }
    }

    private static ServerConfig config() throws Exception {
        Properties p = new Properties();
        p.setProperty("tickTime", "100");
        p.setProperty("dataDir", "/nonexistent/request-numbers");
        return ServerConfig.fromProperties(p);
    }

    private static CreateRequest create(String path) {
        return new CreateRequest(OpCode.CREATE, path, new byte[0], AclLists.OPEN, 0);
    }

    @Test
    void anEntryForwardedBeforeARestartDoesNotAnswerARequestAfterIt() throws Exception {
        Disk disk = new Disk();
        Process first = new Process(disk, 1);
        first.join(1, List.of());
        first.member.submit(0, List.of(), create("/before-restart"), c -> { });
        first.run();
        byte[] forwarded = first.forwarded();

        // The follower crashes; its forward lives on in the leader's log, not yet committed.
        Process second = new Process(disk, 2);
        long zxid = Zxid.of(1, 1);
        second.join(1, List.of(new Entry(zxid, forwarded)));
        List<WritePath.Committed> answers = new ArrayList<>();
        second.member.submit(0, List.of(), create("/after-restart"), answers::add);
        second.run();
        second.fromLeader(new Message.Commit(zxid));

        assertThat(second.member.serving()).isTrue();
        assertThat(answers).as("the restarted member answered its new request with the old process's entry")
                .isEmpty();
    }
}
