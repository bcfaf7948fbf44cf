package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class PathValidationOnPaddockTest extends PathValidationScenarios {
    @Override
    public Target target() {
        return Target.PADDOCK;
    }
}
