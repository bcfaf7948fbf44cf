package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class CuratorRecipeOnZooKeeperTest extends CuratorRecipeScenarios {
    @Override
    public Target target() {
        return Target.ZOOKEEPER;
    }
}
