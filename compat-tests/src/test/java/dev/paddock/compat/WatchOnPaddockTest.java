package dev.paddock.compat;

import dev.paddock.compat.harness.Target;

class WatchOnPaddockTest extends WatchScenarios {
    @Override
    protected Target target() {
        return Target.PADDOCK;
    }
}
