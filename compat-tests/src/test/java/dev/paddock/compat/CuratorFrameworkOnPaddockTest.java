package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class CuratorFrameworkOnPaddockTest extends CuratorFrameworkScenarios {
    @Override
    public Target target() {
        return Target.PADDOCK;
    }
}
