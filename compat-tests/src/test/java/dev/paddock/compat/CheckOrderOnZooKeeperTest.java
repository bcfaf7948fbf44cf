package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class CheckOrderOnZooKeeperTest extends CheckOrderScenarios {
    @Override
    public Target target() {
        return Target.ZOOKEEPER;
    }
}
