package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class MalformedFrameOnZooKeeperTest extends MalformedFrameScenarios {
    @Override
    protected Target target() {
        return Target.ZOOKEEPER;
    }
}
