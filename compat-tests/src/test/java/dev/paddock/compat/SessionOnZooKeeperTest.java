package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class SessionOnZooKeeperTest extends SessionScenarios {
    @Override
    public Target target() {
        return Target.ZOOKEEPER;
    }
}
