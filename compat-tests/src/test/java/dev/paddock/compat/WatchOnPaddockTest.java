package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class WatchOnPaddockTest extends WatchScenarios {
    @Override
    public Target target() {
        return Target.PADDOCK;
    }
}
