package dev.paddock.server.ensemble;

import dev.paddock.server.quorum.Entry;
import dev.paddock.server.quorum.Message;
import dev.paddock.server.quorum.Snapshot;
import dev.paddock.server.session.SessionTracker;
import dev.paddock.server.storage.RecoveryException;
import dev.paddock.server.time.ManualClock;
import dev.paddock.server.tree.ApplyResult;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.watch.WatchManager;
import dev.paddock.wire.proto.EmptyRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One member's machine in the glue simulation: a disk and a clock that outlive crashes, and a process that
 * does not. Each start builds the real server parts afresh, as {@code PaddockServer.start} wires them: a
 * {@link StateMachine}, {@link WatchManager} and {@link SessionTracker}, and an {@link EnsembleMember} opened
 * from the disk, whose request thread, network and storage are simulated. The request thread's periodic
 * work (tick, election tick, session expiry as {@code SessionHandler.expireDue} does it) are events too.
 */
final class SimNode {
    /** One process lifetime: everything it scheduled dies with it. */
    final class Process {
        private final int number;
        private boolean alive = true;
        private MemberNetwork.Receiver receiver;
        private final RequestThread requestThread = new RequestThread() {
            @Override
            public void execute(Runnable task) {
                if (alive) {
                    sim.scheduler().after(0, null, () -> {
                        if (alive) {
                            task.run();
                        }
                    });
                }
            }

            @Override
            public boolean tryExecute(Runnable task) {
                if (!alive || sim.random().nextDouble() < sim.faults().queueFullRate()) {
                    return false;
                }
                execute(task);
                return true;
            }
        };

        Process(int number) {
            this.number = number;
        }

        boolean alive() {
            return alive;
        }

        RequestThread requestThread() {
            return requestThread;
        }
    }

    final int id;
    private final GlueSimulation sim;
    final SimDisk disk;
    final ManualClock clock;
    private Process process;
    private int starts;
    StateMachine stateMachine;
    WatchManager watches;
    SessionTracker tracker;
    EnsembleMember member;

    SimNode(int id, GlueSimulation sim, SimDisk disk, ManualClock clock) {
        this.id = id;
        this.sim = sim;
        this.disk = disk;
        this.clock = clock;
    }

    boolean up() {
        return process != null && process.alive;
    }

    /** Which process lifetime this is, so a client can tell that the server it talked to was restarted. */
    int incarnation() {
        return process == null ? 0 : process.number;
    }

    boolean serving() {
        return up() && member.serving();
    }

    /** Starts a process from what is on the disk, exactly as a server starts. */
    void start() {
        Process p = new Process(++starts);
        process = p;
        stateMachine = new StateMachine(GlueSimulation.EXTENDED_TYPES);
        watches = new WatchManager();
        tracker = new SessionTracker(clock, (int) GlueSimulation.TICK_MS, id);
        EnsembleMember.Parts parts = new EnsembleMember.Parts(
                wake -> disk.open(p, wake, sim.snapCount(), sim.maxTailBytes(), GlueSimulation.EXTENDED_TYPES),
                network(p), p.requestThread(), clock, new SplittableRandom(sim.random().nextLong()),
                sim.counterLimit(), observer());
        try {
            member = EnsembleMember.open(sim.membership(id), sim.config(), stateMachine, watches, tracker, parts);
            sim.invariants().forEach(i -> i.started(this));
            member.start(() -> sim.clients().serverStoppedServing(this));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RecoveryException e) {
            throw new GlueInvariant.Violation("StartUpReadsTheDisk", e.getMessage());
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        every(p, GlueSimulation.TICK_MS, "tick", member::tick);
        every(p, GlueSimulation.ELECTION_TICK_MS, null, member::electionTick);
        every(p, GlueSimulation.TICK_MS, null, this::expireDue);
    }

    /** The process dies: nothing it queued runs, the disk keeps only what was durable. */
    void crash() {
        process.alive = false;
        disk.crash();
    }

    private void every(Process p, long periodMs, String what, Runnable task) {
        Object label = what == null ? null : "member " + id + " " + what;
        Runnable[] loop = new Runnable[1];
        loop[0] = () -> {
            if (p.alive) {
                task.run();
                sim.scheduler().after(periodMs, label, loop[0]);
            }
        };
        sim.scheduler().after(1 + sim.random().nextLong(periodMs), label, loop[0]);
    }

    /** As {@code SessionHandler.expireDue}: the leader closes every session past its deadline, through the log. */
    private void expireDue() {
        if (!member.decidesExpiry()) {
            return;
        }
        for (long sessionId : tracker.expired()) {
            sim.scheduler().note("member " + id + " expires session 0x" + Long.toHexString(sessionId));
            tracker.remove(sessionId);
            member.submit(sessionId, List.of(), EmptyRequest.CLOSE_SESSION, null);
        }
    }

    /** Messages from the simulated network, for this process only. */
    void receive(int from, Message message) {
        if (up() && process.receiver != null) {
            process.receiver.receive(from, message);
        }
    }

    void peerDisconnected(int peer) {
        if (up() && process.receiver != null) {
            process.receiver.peerDisconnected(peer);
        }
    }

    private MemberNetwork network(Process p) {
        return new MemberNetwork() {
            @Override
            public void start(Receiver receiver) {
                p.receiver = receiver;
            }

            @Override
            public void send(int to, Message message) {
                sim.network().send(id, to, message);
            }

            @Override
            public void close() {
            }
        };
    }

    private MemberObserver observer() {
        return new MemberObserver() {
            @Override
            public void applied(Entry entry, ApplyResult result) {
                sim.invariants().forEach(i -> i.applied(SimNode.this, entry, result));
            }

            @Override
            public void installed(Snapshot snapshot) {
                sim.coverage().installs++;
                if (disk.snapshotBeingWritten()) {
                    sim.coverage().installsDuringSnapshotWrite++;
                }
                sim.invariants().forEach(i -> i.installed(SimNode.this, snapshot));
            }
        };
    }

    @Override
    public String toString() {
        if (!up()) {
            return "member " + id + " down (disk: epochs " + disk.acceptedEpoch() + "/" + disk.currentEpoch()
                    + ", last durable 0x" + Long.toHexString(disk.lastDurableZxid()) + ")";
        }
        return "member " + id + " " + member.mode() + " applied 0x" + Long.toHexString(stateMachine.lastZxid())
                + " epochs " + disk.acceptedEpoch() + "/" + disk.currentEpoch() + " last durable 0x"
                + Long.toHexString(disk.lastDurableZxid()) + " sessions " + stateMachine.sessions().size();
    }
}
