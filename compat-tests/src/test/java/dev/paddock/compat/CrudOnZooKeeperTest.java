package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class CrudOnZooKeeperTest extends CrudScenarios {
    @Override
    public Target target() {
        return Target.ZOOKEEPER;
    }
}
