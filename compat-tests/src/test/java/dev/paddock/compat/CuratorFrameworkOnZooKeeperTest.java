package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class CuratorFrameworkOnZooKeeperTest extends CuratorFrameworkScenarios {
    @Override
    public Target target() {
        return Target.ZOOKEEPER;
    }
}
