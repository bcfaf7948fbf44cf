package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class FourLetterWordOnZooKeeperTest extends FourLetterWordScenarios {
    @Override
    public Target target() {
        return Target.ZOOKEEPER;
    }
}
