package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class NativeClientOnPaddockTest extends NativeClientScenarios {
    @Override
    public Target target() {
        return Target.PADDOCK;
    }
}
