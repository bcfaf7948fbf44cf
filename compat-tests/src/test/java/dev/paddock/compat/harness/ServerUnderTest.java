package dev.paddock.compat.harness;

/**
 * One running server, reference ZooKeeper or Paddock, seen only through its client port.
 */
public interface ServerUnderTest extends AutoCloseable {

    /** "127.0.0.1:port": always the IPv4 loopback so that ip ACLs see 127.0.0.1. */
    String connectString();

    int clientPort();

    /** "zookeeper" or "paddock", for messages. */
    String name();

    /**
     * Stops the server and starts it again on the same port and data directory. Sessions and
     * data survive as they do across a ZooKeeper restart.
     */
    void restart() throws Exception;

    @Override
    void close() throws Exception;
}
