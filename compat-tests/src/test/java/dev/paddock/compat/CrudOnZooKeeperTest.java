package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class CrudOnZooKeeperTest extends CrudScenarios {
    @Override
    protected Target target() {
        return Target.ZOOKEEPER;
    }
}
