package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class FourLetterWordOnZooKeeperTest extends FourLetterWordScenarios {
    @Override
    protected Target target() {
        return Target.ZOOKEEPER;
    }
}
