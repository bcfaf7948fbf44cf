package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class DigestOnZooKeeperTest extends DigestScenarios {
    @Override
    public Target target() {
        return Target.ZOOKEEPER;
    }
}
