package dev.paddock.it;

/**
 * The ZooKeeper-protocol server the applications under test (Kafka brokers, Dubbo applications) talk to:
 * Paddock, or the reference ZooKeeper 3.9.5.
 */
public interface Coordinator extends AutoCloseable {
    /** host:port list without chroot. */
    String connectString();

    String name();

    /** Stops the server and starts it again on the same port and data directory. */
    void restart() throws Exception;

    @Override
    void close();
}
