package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class MalformedFrameOnZooKeeperTest extends MalformedFrameScenarios {
    @Override
    public Target target() {
        return Target.ZOOKEEPER;
    }
}
