package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class TlsOnPaddockTest extends TlsScenarios {
    @Override
    public Target target() {
        return Target.PADDOCK;
    }
}
