package dev.paddock.server.tree;

import dev.paddock.server.auth.AclChecker;
import dev.paddock.wire.proto.Id;
import java.util.ArrayList;
import java.util.List;

/**
 * Server settings that change how a write is applied ({@code zookeeper.enforceQuota},
 * {@code zookeeper.skipACL}). ZooKeeper reads them where its leader prepares a transaction; Paddock applies
 * writes on every member, so the member that takes the request writes them into the entry, as marker
 * identities beside the requester's (the log format is unchanged): every member and every replay then
 * applies the entry the same way, whatever its own settings (decision 1).
 *
 * <p>The markers cannot match an ACL: their scheme is none that ACL validation accepts, and only digest,
 * sasl and x509 identities take part in the "auth" scheme. skipACL is written as the {@code super}
 * identity, which passes every permission check exactly as skipping the check does.
 */
public record WritePolicy(boolean enforceQuota, boolean skipAcl) {
    /** The scheme of the marker identities; not a scheme an ACL can hold. */
    static final String SCHEME = "paddock:policy";
    static final Id ENFORCE_QUOTA = new Id(SCHEME, "enforceQuota");
    private static final Id SKIP_ACL = new Id(AclChecker.SUPER_SCHEME, "");

    public static final WritePolicy DEFAULT = new WritePolicy(false, false);

    /** ZooKeeper's reading of the two system properties (skipACL only for "yes"). */
    public static WritePolicy of(String enforceQuota, String skipAcl) {
        return new WritePolicy(Boolean.parseBoolean(enforceQuota), "yes".equals(skipAcl));
    }

    /** The identities to check a request with (reads) or to write into its entry (writes). */
    public List<Id> apply(List<Id> identities) {
        if (!enforceQuota && !skipAcl) {
            return identities;
        }
        List<Id> ids = new ArrayList<>(identities.size() + 2);
        ids.addAll(identities);
        if (skipAcl) {
            ids.add(SKIP_ACL);
        }
        if (enforceQuota) {
            ids.add(ENFORCE_QUOTA);
        }
        return ids;
    }

    /** Whether the member that took this entry's request enforced quotas. */
    static boolean enforcesQuota(List<Id> identities) {
        for (Id id : identities) {
            if (SCHEME.equals(id.scheme()) && ENFORCE_QUOTA.id().equals(id.id())) {
                return true;
            }
        }
        return false;
    }
}
