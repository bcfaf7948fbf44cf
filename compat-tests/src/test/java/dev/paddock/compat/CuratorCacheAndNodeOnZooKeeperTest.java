package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class CuratorCacheAndNodeOnZooKeeperTest extends CuratorCacheAndNodeScenarios {
    @Override
    public Target target() {
        return Target.ZOOKEEPER;
    }
}
