package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class MalformedFrameOnPaddockTest extends MalformedFrameScenarios {
    @Override
    public Target target() {
        return Target.PADDOCK;
    }
}
