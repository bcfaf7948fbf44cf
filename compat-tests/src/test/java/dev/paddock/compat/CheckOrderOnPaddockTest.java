package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class CheckOrderOnPaddockTest extends CheckOrderScenarios {
    @Override
    public Target target() {
        return Target.PADDOCK;
    }
}
