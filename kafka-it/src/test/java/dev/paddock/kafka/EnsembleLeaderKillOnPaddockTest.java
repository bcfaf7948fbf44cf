package dev.paddock.kafka;

import dev.paddock.it.Ensemble;

/** The ensemble leader's SIGKILL under running brokers, on a 3-member Paddock ensemble (about 40–65 s: runs in CI). */
class EnsembleLeaderKillOnPaddockTest extends EnsembleLeaderKillSuite {
    @Override
    Ensemble.Kind kind() {
        return Ensemble.Kind.PADDOCK;
    }
}
