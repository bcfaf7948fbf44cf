package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class AclOnZooKeeperTest extends AclScenarios {
    @Override
    public Target target() {
        return Target.ZOOKEEPER;
    }
}
