"""kazoo's server_version(), which parses the zookeeper.version line of the envi four-letter word.
Usage: python3 kazoo_version.py host:port"""
import sys

from kazoo.client import KazooClient

zk = KazooClient(hosts=sys.argv[1], timeout=30)
zk.start(timeout=15)
print("server_version", ".".join(str(d) for d in zk.server_version()))
zk.stop()
zk.close()
