package dev.paddock.server.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Histories that are linearizable by construction: processes invoke random operations on a few keys, and
 * each operation takes effect on a sequential model (the truth) at a random moment between its invocation
 * and its return, so concurrent operations overlap at random. With faults, some operations fail (they never
 * take effect) or end unknown, and an unknown one may still take effect at any later moment, or never.
 * Every write writes data no other operation writes, so a read names the write it saw.
 */
final class RandomHistories {
    /** A generated history and the keys' states before it. */
    record Generated(History history, Map<String, ZnodeState> initial) {
        HistoryChecker checker() {
            HistoryChecker c = new HistoryChecker();
            initial.forEach(c::initially);
            return c;
        }
    }

    private enum Phase { IDLE, INVOKED, APPLIED }

    private static final class Proc {
        Phase phase = Phase.IDLE;
        int id;
        Operation op;
        Outcome outcome;
    }

    private final Random random;
    private final boolean faults;
    private final List<String> keys = new ArrayList<>();
    private final Map<String, ZnodeState> truth = new HashMap<>();
    private final Map<String, Long> czxids = new HashMap<>();
    private final List<Operation> zombies = new ArrayList<>();
    private long zxid;
    private int written;

    private RandomHistories(long seed, int keyCount, boolean faults) {
        this.random = new Random(seed);
        this.faults = faults;
        for (int k = 0; k < keyCount; k++) {
            String key = "/k" + k;
            keys.add(key);
            // The first key exists from the start; the others begin absent.
            truth.put(key, k == 0 ? ZnodeState.of("init", 0) : ZnodeState.ABSENT);
            czxids.put(key, k == 0 ? ++zxid : -1L);
        }
    }

    static Generated generate(long seed, int processes, int opCount, int keyCount, boolean faults) {
        RandomHistories g = new RandomHistories(seed, keyCount, faults);
        Map<String, ZnodeState> initial = Map.copyOf(g.truth);
        return new Generated(g.run(processes, opCount), initial);
    }

    private History run(int processes, int opCount) {
        History h = new History();
        Proc[] procs = new Proc[processes];
        for (int p = 0; p < processes; p++) {
            procs[p] = new Proc();
        }
        int invoked = 0;
        while (invoked < opCount || busy(procs)) {
            if (!zombies.isEmpty() && random.nextInt(8) == 0) {
                apply(zombies.remove(random.nextInt(zombies.size())));
            }
            int p = random.nextInt(processes);
            Proc proc = procs[p];
            if (proc.phase == Phase.IDLE && invoked < opCount) {
                proc.op = randomOp(p);
                proc.id = h.invoke(p, proc.op);
                proc.phase = Phase.INVOKED;
                invoked++;
            } else if (proc.phase == Phase.INVOKED) {
                step(h, proc);
            } else if (proc.phase == Phase.APPLIED) {
                if (faults && random.nextInt(100) < 4) {
                    h.unknown(proc.id);
                } else {
                    h.ok(proc.id, proc.outcome);
                }
                proc.phase = Phase.IDLE;
            }
        }
        return h;
    }

    /** An invoked operation fails, goes unknown (and may happen later), or takes effect now. */
    private void step(History h, Proc proc) {
        int roll = random.nextInt(100);
        if (faults && roll < 3) {
            h.fail(proc.id);
            proc.phase = Phase.IDLE;
        } else if (faults && roll < 8) {
            h.unknown(proc.id);
            if (random.nextBoolean()) {
                zombies.add(proc.op);
            }
            proc.phase = Phase.IDLE;
        } else {
            proc.outcome = apply(proc.op);
            proc.phase = Phase.APPLIED;
        }
    }

    private static boolean busy(Proc[] procs) {
        for (Proc p : procs) {
            if (p.phase != Phase.IDLE) {
                return true;
            }
        }
        return false;
    }

    /** Applies an operation to the truth and returns the answer a client would get, with the czxid. */
    private Outcome apply(Operation op) {
        String key = op.key();
        ZnodeModel.Transition t = ZnodeModel.apply(truth.get(key), op);
        truth.put(key, t.next());
        Outcome a = t.answer();
        if (a.code() != Outcome.Code.OK) {
            return a;
        }
        zxid++;
        if (op.kind() == Operation.Kind.CREATE) {
            czxids.put(key, zxid);
        }
        long czxid = czxids.get(key);
        return switch (op.kind()) {
            case READ, SYNCED_READ -> Outcome.read(a.data(), a.version(), czxid);
            case SET -> Outcome.written(a.version(), czxid);
            case CREATE -> Outcome.created(czxid);
            case DELETE -> a;
        };
    }

    private Operation randomOp(int process) {
        String key = keys.get(random.nextInt(keys.size()));
        String data = "p" + process + "w" + (++written);
        ZnodeState now = truth.get(key);
        int roll = random.nextInt(100);
        if (roll < 20) {
            return Operation.read(key);
        } else if (roll < 45) {
            return Operation.syncedRead(key);
        } else if (roll < 70) {
            // Mostly the current version, as a client that just read would send, sometimes a stale one.
            int v = Math.max(0, now.version() - (random.nextInt(3) == 0 ? random.nextInt(3) : 0));
            return Operation.cas(key, v, data);
        } else if (roll < 80) {
            return Operation.write(key, data);
        } else if (roll < 92) {
            return Operation.create(key, data);
        }
        return Operation.delete(key, random.nextBoolean() ? -1 : Math.max(0, now.version()));
    }
}
