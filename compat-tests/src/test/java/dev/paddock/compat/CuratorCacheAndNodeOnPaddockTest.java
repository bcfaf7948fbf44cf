package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class CuratorCacheAndNodeOnPaddockTest extends CuratorCacheAndNodeScenarios {
    @Override
    public Target target() {
        return Target.PADDOCK;
    }
}
