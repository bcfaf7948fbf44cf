package dev.paddock.server.auth;

import dev.paddock.wire.proto.Acl;
import dev.paddock.wire.proto.Id;
import java.util.List;

/** Decides whether a set of identities holds a permission under an ACL, as ZooKeeper's checkACL does. */
public final class AclChecker {
    public static final String SUPER_SCHEME = "super";

    private AclChecker() {
    }

    public static boolean permitted(List<Acl> acl, int perm, List<Id> identities) {
        for (Id id : identities) {
            if (SUPER_SCHEME.equals(id.scheme())) {
                return true;
            }
        }
        if (acl == null || acl.isEmpty()) {
            return true;
        }
        for (Acl entry : acl) {
            if ((entry.perms() & perm) == 0) {
                continue;
            }
            Id aclId = entry.id();
            if ("world".equals(aclId.scheme()) && "anyone".equals(aclId.id())) {
                return true;
            }
            for (Id id : identities) {
                if (!id.scheme().equals(aclId.scheme())) {
                    continue;
                }
                boolean match = switch (id.scheme()) {
                    case IpMatcher.SCHEME -> IpMatcher.matches(aclId.id(), id.id());
                    case SaslScheme.SCHEME -> SaslScheme.matches(id.id(), aclId.id());
                    default -> id.id().equals(aclId.id());
                };
                if (match) {
                    return true;
                }
            }
        }
        return false;
    }
}
