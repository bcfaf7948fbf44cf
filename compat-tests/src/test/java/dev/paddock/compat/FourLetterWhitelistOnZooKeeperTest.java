package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class FourLetterWhitelistOnZooKeeperTest extends FourLetterWhitelistScenarios {
    @Override
    public Target target() {
        return Target.ZOOKEEPER;
    }
}
