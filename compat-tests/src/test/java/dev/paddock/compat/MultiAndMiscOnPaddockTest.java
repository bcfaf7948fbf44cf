package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class MultiAndMiscOnPaddockTest extends MultiAndMiscScenarios {
    @Override
    public Target target() {
        return Target.PADDOCK;
    }
}
