package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class SaslOnZooKeeperTest extends SaslScenarios {
    @Override
    public Target target() {
        return Target.ZOOKEEPER;
    }
}
