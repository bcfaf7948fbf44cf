package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class ExtendedTypesDisabledOnPaddockTest extends ExtendedTypesDisabledScenarios {
    @Override
    public Target target() {
        return Target.PADDOCK;
    }
}
