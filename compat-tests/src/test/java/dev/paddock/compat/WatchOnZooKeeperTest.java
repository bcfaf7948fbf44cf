package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class WatchOnZooKeeperTest extends WatchScenarios {
    @Override
    protected Target target() {
        return Target.ZOOKEEPER;
    }
}
