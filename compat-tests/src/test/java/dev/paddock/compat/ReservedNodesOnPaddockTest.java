package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class ReservedNodesOnPaddockTest extends ReservedNodesScenarios {
    @Override
    public Target target() {
        return Target.PADDOCK;
    }
}
