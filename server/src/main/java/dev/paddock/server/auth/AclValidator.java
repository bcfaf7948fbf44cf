package dev.paddock.server.auth;

import dev.paddock.wire.ErrorCode;
import dev.paddock.wire.proto.Acl;
import dev.paddock.wire.proto.Id;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks an ACL list given to create or setACL and expands the "auth" scheme into the requester's
 * authenticated identities, as ZooKeeper's fixupACL does, entry by entry in the order given, the first bad
 * entry deciding the error.
 */
public final class AclValidator {
    private AclValidator() {
    }

    /** The list as it is to be stored, or the error that rejects it (then {@code acl} is null). */
    public record Fixed(List<Acl> acl, ErrorCode error) {
        static Fixed error(ErrorCode error) {
            return new Fixed(null, error);
        }
    }

    /**
     * InvalidACL for an empty or null list or a bad entry, the first bad entry (after duplicates are
     * dropped) deciding. A null scheme or id that ZooKeeper dereferences is MarshallingError instead: when it
     * compares an entry with an earlier one of the same permissions (the entry's scheme, then, for the same
     * scheme, its id), and when it reads the id of a world, digest or ip entry; "auth" never reads the id
     * and an unknown scheme is rejected before its id is looked at.
     */
    public static Fixed fixup(List<Acl> acl, List<Id> identities) {
        if (acl == null || acl.isEmpty()) {
            return Fixed.error(ErrorCode.INVALID_ACL);
        }
        List<Acl> unique = new ArrayList<>(acl.size());
        for (Acl entry : acl) {
            boolean duplicate = false;
            for (Acl kept : unique) {
                if (entry.perms() != kept.perms() || entry.id() == null || kept.id() == null) {
                    continue;
                }
                Id mine = entry.id();
                if (mine.scheme() == null) {
                    return Fixed.error(ErrorCode.MARSHALLING_ERROR);
                }
                if (!mine.scheme().equals(kept.id().scheme())) {
                    continue;
                }
                if (mine.id() == null) {
                    return Fixed.error(ErrorCode.MARSHALLING_ERROR);
                }
                if (mine.id().equals(kept.id().id())) {
                    duplicate = true;
                    break;
                }
            }
            if (!duplicate) {
                unique.add(entry);
            }
        }
        List<Acl> result = new ArrayList<>(unique.size());
        for (Acl entry : unique) {
            Id id = entry.id();
            if (id == null || id.scheme() == null) {
                return Fixed.error(ErrorCode.INVALID_ACL);
            }
            if (id.id() == null && !"auth".equals(id.scheme())) {
                return Fixed.error(switch (id.scheme()) {
                    case "world", DigestAuth.SCHEME, IpMatcher.SCHEME -> ErrorCode.MARSHALLING_ERROR;
                    default -> ErrorCode.INVALID_ACL;
                });
            }
            switch (id.scheme()) {
                case "world" -> {
                    if (!"anyone".equals(id.id())) {
                        return Fixed.error(ErrorCode.INVALID_ACL);
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
                        return Fixed.error(ErrorCode.INVALID_ACL);
                    }
                }
                case DigestAuth.SCHEME -> {
                    if (!DigestAuth.isValidId(id.id())) {
                        return Fixed.error(ErrorCode.INVALID_ACL);
                    }
                    result.add(entry);
                }
                case X509Scheme.SCHEME -> {
                    if (!X509Scheme.isValidId(id.id())) {
                        return Fixed.error(ErrorCode.INVALID_ACL);
                    }
                    result.add(entry);
                }
                case SaslScheme.SCHEME -> {
                    if (!SaslScheme.isValidId(id.id())) {
                        return Fixed.error(ErrorCode.INVALID_ACL);
                    }
                    result.add(entry);
                }
                case IpMatcher.SCHEME -> {
                    if (!IpMatcher.isValidId(id.id())) {
                        return Fixed.error(ErrorCode.INVALID_ACL);
                    }
                    result.add(entry);
                }
                default -> {
                    return Fixed.error(ErrorCode.INVALID_ACL);
                }
            }
        }
        return new Fixed(result, null);
    }

    /** Schemes whose identities stand for an authenticated user (the ip scheme does not). */
    private static boolean isAuthenticatedScheme(String scheme) {
        return DigestAuth.SCHEME.equals(scheme) || SaslScheme.SCHEME.equals(scheme) || X509Scheme.SCHEME.equals(scheme);
    }
}
