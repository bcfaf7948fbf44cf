package dev.paddock.dubbo;

/** The ZooKeeper-protocol server Dubbo talks to: Paddock, or the reference ZooKeeper 3.9.5. */
interface Coordinator extends AutoCloseable {
    /** host:port list without chroot. */
    String connectString();

    String name();

    /** Stops the server and starts it again on the same port and data directory. */
    void restart() throws Exception;

    @Override
    void close();
}
