package dev.paddock.bench;

/** The two servers every figure is taken against. */
public enum ServerKind {
    PADDOCK("Paddock"),
    ZOOKEEPER("ZooKeeper 3.9.5");

    public final String label;

    ServerKind(String label) {
        this.label = label;
    }
}
