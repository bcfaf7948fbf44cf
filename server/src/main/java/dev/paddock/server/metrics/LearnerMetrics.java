package dev.paddock.server.metrics;

import dev.paddock.server.admin.LearnerLag;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.function.Supplier;

/**
 * Paddock's own metrics (ZooKeeper has none like them): what a leader knows of each learner, labelled by the
 * learner's server id. {@code paddock_learner_lag} is how many zxids of the leader's log the learner has not
 * acknowledged (observers acknowledge only their sync, so theirs grows with every write and is better read
 * from ensemble_status); {@code paddock_learner_synced} is 1 once it is synced. Only a leader exports them,
 * and only while it has learners, so a standalone server's and a follower's scrapes hold ZooKeeper's names
 * alone.
 */
final class LearnerMetrics implements MultiCollector {
    private final Supplier<List<LearnerLag>> learners;

    /** @param learners the leader's view, taken on the request thread (null when it did not answer in time) */
    LearnerMetrics(Supplier<List<LearnerLag>> learners) {
        this.learners = learners;
    }

    @Override
    public MetricSnapshots collect() {
        List<LearnerLag> all = learners.get();
        if (all == null || all.isEmpty()) {
            return new MetricSnapshots();
        }
        GaugeSnapshot.Builder lag = GaugeSnapshot.builder().name("paddock_learner_lag")
                .help("zxids of the leader's log a learner has not acknowledged (-1 before its first acknowledgement)");
        GaugeSnapshot.Builder synced = GaugeSnapshot.builder().name("paddock_learner_synced")
                .help("1 once the learner is synced with this leader");
        for (LearnerLag l : all) {
            Labels labels = Labels.of("server_id", Integer.toString(l.id()), "observer", Boolean.toString(l.observer()));
            lag.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(l.lag()).build());
            synced.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels)
                    .value(l.synced() ? 1 : 0).build());
        }
        List<MetricSnapshot> out = List.of(lag.build(), synced.build());
        return new MetricSnapshots(out);
    }
}
