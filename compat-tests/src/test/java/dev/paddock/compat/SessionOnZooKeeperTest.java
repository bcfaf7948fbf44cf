package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class SessionOnZooKeeperTest extends SessionScenarios {
    @Override
    protected Target target() {
        return Target.ZOOKEEPER;
    }
}
