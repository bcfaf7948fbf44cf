package dev.paddock.compat.harness;

/** Which server a concrete scenario class runs against. */
public enum Target {
    ZOOKEEPER {
        @Override
        public ServerUnderTest start(ServerSettings settings) throws Exception {
            return ReferenceZooKeeper.start(settings);
        }
    },
    PADDOCK {
        @Override
        public ServerUnderTest start(ServerSettings settings) throws Exception {
            return PaddockUnderTest.start(settings);
        }
    };

    public abstract ServerUnderTest start(ServerSettings settings) throws Exception;
}
