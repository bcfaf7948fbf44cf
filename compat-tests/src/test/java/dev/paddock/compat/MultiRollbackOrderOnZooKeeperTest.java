package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class MultiRollbackOrderOnZooKeeperTest extends MultiRollbackOrderScenarios {
    @Override
    public Target target() {
        return Target.ZOOKEEPER;
    }
}
