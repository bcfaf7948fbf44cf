package dev.paddock.server.ensemble;

import dev.paddock.server.quorum.Zxid;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.TreeDigest;

/**
 * A periodic snapshot holds exactly the state at its zxid, although the member kept applying while the
 * background write ran (the copy-on-write capture of {@code TreeSnapshot}, decision 5): replay after it must
 * never re-apply an entry whose effect it already holds.
 */
final class SnapshotsAreExact implements GlueInvariant {
    private final TreeDigestAgreesAtEqualZxid digests;
    private final boolean extendedTypes;

    SnapshotsAreExact(TreeDigestAgreesAtEqualZxid digests, boolean extendedTypes) {
        this.digests = digests;
        this.extendedTypes = extendedTypes;
    }

    @Override
    public void snapshotWritten(SimNode node, long zxid, byte[] body) {
        StateMachine written = SimDisk.decode(body, zxid, extendedTypes);
        Long expected = digests.digestAt(zxid);
        if (expected == null || expected != TreeDigest.fingerprint(written)) {
            throw violation("member " + node.id + "'s snapshot at " + Zxid.hex(zxid) + " does not hold the state at "
                    + Zxid.hex(zxid));
        }
    }
}
