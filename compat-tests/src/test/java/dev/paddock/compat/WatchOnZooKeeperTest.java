package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class WatchOnZooKeeperTest extends WatchScenarios {
    @Override
    public Target target() {
        return Target.ZOOKEEPER;
    }
}
