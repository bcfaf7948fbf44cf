package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class ContainerAndTtlOnPaddockTest extends ContainerAndTtlScenarios {
    @Override
    protected Target target() {
        return Target.PADDOCK;
    }
}
