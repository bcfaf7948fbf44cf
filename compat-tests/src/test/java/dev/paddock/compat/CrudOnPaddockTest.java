package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class CrudOnPaddockTest extends CrudScenarios {
    @Override
    public Target target() {
        return Target.PADDOCK;
    }
}
