package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class ContainerAndTtlOnZooKeeperTest extends ContainerAndTtlScenarios {
    @Override
    protected Target target() {
        return Target.ZOOKEEPER;
    }
}
