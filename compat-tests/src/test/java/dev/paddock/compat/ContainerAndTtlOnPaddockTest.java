package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class ContainerAndTtlOnPaddockTest extends ContainerAndTtlScenarios {
    @Override
    public Target target() {
        return Target.PADDOCK;
    }
}
