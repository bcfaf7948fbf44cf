package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class MultiAndMiscOnZooKeeperTest extends MultiAndMiscScenarios {
    @Override
    public Target target() {
        return Target.ZOOKEEPER;
    }
}
