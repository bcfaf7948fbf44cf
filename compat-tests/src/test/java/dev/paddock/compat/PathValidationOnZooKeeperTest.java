package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class PathValidationOnZooKeeperTest extends PathValidationScenarios {
    @Override
    public Target target() {
        return Target.ZOOKEEPER;
    }
}
