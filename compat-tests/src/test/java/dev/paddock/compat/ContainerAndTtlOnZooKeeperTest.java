package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class ContainerAndTtlOnZooKeeperTest extends ContainerAndTtlScenarios {
    @Override
    public Target target() {
        return Target.ZOOKEEPER;
    }
}
