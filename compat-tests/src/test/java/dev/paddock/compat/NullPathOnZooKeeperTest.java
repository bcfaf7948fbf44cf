package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class NullPathOnZooKeeperTest extends NullPathScenarios {
    @Override
    public Target target() {
        return Target.ZOOKEEPER;
    }
}
