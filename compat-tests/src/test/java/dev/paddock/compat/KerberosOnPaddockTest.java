package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class KerberosOnPaddockTest extends KerberosScenarios {
    @Override
    public Target target() {
        return Target.PADDOCK;
    }
}
