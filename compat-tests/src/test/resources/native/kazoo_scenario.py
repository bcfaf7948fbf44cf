"""Python's kazoo (Debian's python3-kazoo) through one scenario: session, CRUD with its errors,
watches fired by a second client, a transaction, and the Lock and Election recipes under
contention. Prints one line per observation; the Java test compares the lines.
Usage: python3 kazoo_scenario.py host:port /base"""
import sys
import threading
import time

from kazoo.client import KazooClient
from kazoo.exceptions import BadVersionError, NoNodeError, NodeExistsError, NotEmptyError

hosts, base = sys.argv[1], sys.argv[2]
WAIT = 15


def client():
    c = KazooClient(hosts=hosts, timeout=30)
    c.start(timeout=WAIT)
    return c


def name(e):
    return type(e).__name__


zk, other = client(), client()
print("session", "nonzero" if zk.client_id[0] else "zero")
p = base + "/k"
print("create", zk.create(p, b"hello"))
for call in (lambda: zk.create(p, b"x"), lambda: zk.create(base + "/missing/x"),
             lambda: zk.set(p, b"w", version=7), lambda: zk.delete(base)):
    try:
        call()
        print("no error")
    except (NodeExistsError, NoNodeError, BadVersionError, NotEmptyError) as e:
        print("error", name(e))
data, stat = zk.get(p)
print("get", data.decode(), "version", stat.version, "length", stat.data_length)
zk.create(base + "/n")
print("default data", repr(zk.get(base + "/n")[0]))
print("ensure_path", zk.ensure_path(base + "/a/b/c"))
seq = zk.create(base + "/e-", ephemeral=True, sequence=True)
print("sequential ephemeral", seq, zk.exists(seq).ephemeralOwner == zk.client_id[0])

events = []
cond = threading.Condition()


def record(event):
    with cond:
        events.append("%s %s" % (event.type, event.path))
        cond.notify_all()


def await_events(n):
    with cond:
        cond.wait_for(lambda: len(events) >= n, timeout=10)
        return sorted(events[:n]) if n > 1 else events[:n]


zk.get(p, watch=record)
zk.exists(base + "/later", watch=record)
zk.get_children(base, watch=record)
other.set(p, b"bye")
print("watch", await_events(1))
other.create(base + "/later")
print("watch", await_events(3))
zk.exists(p, watch=record)
other.delete(p)
print("watch", await_events(4))

t = zk.transaction()
t.create(base + "/t1", b"a")
t.check(base + "/t1", 0)
t.set_data(base + "/t1", b"b")
t.delete(base + "/later")
print("transaction", [r if isinstance(r, (str, bool)) else type(r).__name__ for r in t.commit()])
t = zk.transaction()
t.create(base + "/t2")
t.check(base + "/t1", 0)
print("failed transaction", [type(r).__name__ for r in t.commit()], zk.exists(base + "/t2") is None)

# Lock: 2 clients x 3 threads, never two holders
inside, max_inside, done = [0], [0], [0]
guard = threading.Lock()


def work(c, who):
    lock = c.Lock(base + "/lock", who)
    for _ in range(3):
        if not lock.acquire(timeout=WAIT):
            raise SystemExit("lock timeout")
        try:
            with guard:
                inside[0] += 1
                max_inside[0] = max(max_inside[0], inside[0])
            time.sleep(0.005)
            with guard:
                inside[0] -= 1
                done[0] += 1
        finally:
            lock.release()


threads = [threading.Thread(target=work, args=(c, "w%d" % i)) for i, c in enumerate([zk, other, zk, other, zk, other])]
[t.start() for t in threads]
[t.join(60) for t in threads]
print("lock max holders", max_inside[0], "acquisitions", done[0])

# Election: 3 clients, each leads once in turn, never two at a time
leaders, max_leaders, led = [0], [0], []
third = client()


def lead(who):
    with guard:
        leaders[0] += 1
        max_leaders[0] = max(max_leaders[0], leaders[0])
        led.append(who)
    time.sleep(0.05)
    with guard:
        leaders[0] -= 1


threads = [threading.Thread(target=c.Election(base + "/election", "c%d" % i).run, args=(lead, "c%d" % i))
           for i, c in enumerate([zk, other, third])]
[t.start() for t in threads]
[t.join(60) for t in threads]
print("election max leaders", max_leaders[0], "leaders", sorted(led))

zk.stop()
zk.close()
print("ephemeral after close", other.exists(seq) is None)
other.stop()
third.stop()
print("done")
