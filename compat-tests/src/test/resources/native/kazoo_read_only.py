"""kazoo's read-only behaviour against a member cut off from its quorum (driven by LocalSessionsAndReadOnlyModeTest).

argv: connect string. Prints one line per step; waits for a line on stdin ("quorum back") before the second half.
"""
import sys
import threading
import time

from kazoo.client import KazooClient
from kazoo.exceptions import NotReadOnlyCallError
from kazoo.protocol.states import KeeperState

states = []
seen = threading.Condition()


def listener(state):
    with seen:
        states.append(state)
        seen.notify_all()


def await_keeper_state(client, wanted, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if client.client_state == wanted:
            return True
        time.sleep(0.05)
    return False


client = KazooClient(hosts=sys.argv[1], read_only=True, timeout=10.0)
client.add_listener(listener)
client.start(timeout=60)
print("connected read-only", await_keeper_state(client, KeeperState.CONNECTED_RO, 30), flush=True)
data, stat = client.get("/ro")
print("read", data.decode(), flush=True)
try:
    client.create("/kazoo-ro", b"x")
    print("write accepted", flush=True)
except NotReadOnlyCallError:
    print("write NotReadOnlyCallError", flush=True)

sys.stdin.readline()  # the test has restarted the other members
print("connected read-write", await_keeper_state(client, KeeperState.CONNECTED, 90), flush=True)
deadline = time.time() + 60
while True:
    try:
        client.create("/kazoo-after", b"x")
        print("write after", client.exists("/kazoo-after") is not None, flush=True)
        break
    except Exception as e:  # the read-write session may still be on its way
        if time.time() > deadline:
            print("write after failed", type(e).__name__, flush=True)
            break
        time.sleep(0.2)
client.stop()
client.close()
print("done", flush=True)
