package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class NativeClientOnZooKeeperTest extends NativeClientScenarios {
    @Override
    public Target target() {
        return Target.ZOOKEEPER;
    }
}
