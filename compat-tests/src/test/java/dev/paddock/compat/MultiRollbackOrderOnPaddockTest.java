package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class MultiRollbackOrderOnPaddockTest extends MultiRollbackOrderScenarios {
    @Override
    public Target target() {
        return Target.PADDOCK;
    }
}
