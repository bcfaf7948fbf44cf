package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class NullPathOnPaddockTest extends NullPathScenarios {
    @Override
    public Target target() {
        return Target.PADDOCK;
    }
}
