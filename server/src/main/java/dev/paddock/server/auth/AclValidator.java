package dev.paddock.server.auth;

import dev.paddock.wire.proto.Acl;
import dev.paddock.wire.proto.Id;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Checks an ACL list given to create or setACL and expands the "auth" scheme into the requester's
 * authenticated identities, as ZooKeeper's fixupACL does. Returns null when the list is invalid.
 */
public final class AclValidator {
    private AclValidator() {
    }

    public static List<Acl> fixup(List<Acl> acl, List<Id> identities) {
        if (acl == null || acl.isEmpty()) {
            return null;
        }
        List<Acl> result = new ArrayList<>(acl.size());
        for (Acl entry : new LinkedHashSet<>(acl)) {
            Id id = entry.id();
            if (id == null || id.scheme() == null || id.id() == null) {
                return null;
            }
            switch (id.scheme()) {
                case "world" -> {
                    if (!"anyone".equals(id.id())) {
                        return null;
                    }
                    result.add(entry);
                }
                case "auth" -> {
                    boolean any = false;
                    for (Id mine : identities) {
                        if (isAuthenticatedScheme(mine.scheme())) {
                            result.add(new Acl(entry.perms(), mine));
                            any = true;
                        }
                    }
                    if (!any) {
                        return null;
                    }
                }
                case DigestAuth.SCHEME -> {
                    if (!DigestAuth.isValidId(id.id())) {
                        return null;
                    }
                    result.add(entry);
                }
                case IpMatcher.SCHEME -> {
                    if (!IpMatcher.isValidId(id.id())) {
                        return null;
                    }
                    result.add(entry);
                }
                default -> {
                    return null;
                }
            }
        }
        return result;
    }

    /** Schemes whose identities stand for an authenticated user (the ip scheme does not). */
    private static boolean isAuthenticatedScheme(String scheme) {
        return DigestAuth.SCHEME.equals(scheme);
    }
}
