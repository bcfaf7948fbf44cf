package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class HostileClientOnZooKeeperTest extends HostileClientScenarios {
    @Override
    public Target target() {
        return Target.ZOOKEEPER;
    }
}
