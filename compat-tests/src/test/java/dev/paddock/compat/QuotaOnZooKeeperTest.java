package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class QuotaOnZooKeeperTest extends QuotaScenarios {
    @Override
    public Target target() {
        return Target.ZOOKEEPER;
    }
}
