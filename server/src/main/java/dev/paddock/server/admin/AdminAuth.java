package dev.paddock.server.admin;

import dev.paddock.server.auth.AclChecker;
import dev.paddock.server.auth.DigestAuth;
import dev.paddock.server.auth.IpMatcher;
import dev.paddock.server.tree.StateMachine;
import dev.paddock.wire.proto.Acl;
import dev.paddock.wire.proto.Id;
import java.util.ArrayList;
import java.util.List;

/**
 * Authentication and authorization of the AdminServer commands that need it (snapshot, restore), as
 * ZooKeeper 3.9.5 does them: the {@code Authorization} header is "scheme" or "scheme auth" (digest
 * "user:password", or ip, which takes the caller's address); the identities must hold every permission
 * (ALL) on "/". No header: 401 "Auth info is missing for the command"; a header that does not authenticate:
 * 401 "Not authenticated"; identities without the permissions: 403 "Not authorized". The super digest
 * (zookeeper.DigestAuthenticationProvider.superDigest) passes, as it does for clients. Request thread only.
 */
public final class AdminAuth {
    private static final String ROOT = "/";

    enum Verdict {
        ALLOWED(200, null),
        MISSING(AdminCommands.UNAUTHORIZED, "Auth info is missing for the command"),
        NOT_AUTHENTICATED(AdminCommands.UNAUTHORIZED, "Not authenticated"),
        NOT_AUTHORIZED(AdminCommands.FORBIDDEN, "Not authorized");

        private final int status;
        private final String message;

        Verdict(int status, String message) {
            this.status = status;
            this.message = message;
        }

        int status() {
            return status;
        }

        String message() {
            return message;
        }
    }

    private final StateMachine stateMachine;
    private final String superDigest;
    private final dev.paddock.server.tree.WritePolicy policy;

    /** @param policy {@code zookeeper.skipACL} passes the permission check (authentication is still needed) */
    public AdminAuth(StateMachine stateMachine, String superDigest, dev.paddock.server.tree.WritePolicy policy) {
        this.stateMachine = stateMachine;
        this.superDigest = superDigest;
        this.policy = policy;
    }

    Verdict check(String authorization, String remoteIp) {
        if (authorization == null) {
            return Verdict.MISSING;
        }
        List<Id> ids = authenticate(authorization, remoteIp);
        if (ids.isEmpty()) {
            return Verdict.NOT_AUTHENTICATED;
        }
        ids = policy.apply(ids);
        List<Acl> acl = stateMachine.tree().aclOf(ROOT);
        // ZooKeeper checks each permission bit of ALL on its own; all must pass.
        for (int bit = 1; bit <= Acl.ALL; bit <<= 1) {
            if ((Acl.ALL & bit) != 0 && !AclChecker.permitted(acl, bit, ids)) {
                return Verdict.NOT_AUTHORIZED;
            }
        }
        return Verdict.ALLOWED;
    }

    /** The identities the header proves; none when it proves nothing. */
    private List<Id> authenticate(String authorization, String remoteIp) {
        String[] parts = authorization.split(" ");
        if (parts.length != 1 && parts.length != 2) {
            return List.of();
        }
        List<Id> ids = new ArrayList<>();
        switch (parts[0]) {
            case DigestAuth.SCHEME -> {
                if (parts.length == 2 && parts[1].contains(":")) {
                    String digest = DigestAuth.digestOf(parts[1]);
                    if (digest.equals(superDigest)) {
                        ids.add(new Id(AclChecker.SUPER_SCHEME, ""));
                    }
                    ids.add(new Id(DigestAuth.SCHEME, digest));
                }
            }
            case IpMatcher.SCHEME -> {
                if (remoteIp != null) {
                    ids.add(new Id(IpMatcher.SCHEME, remoteIp));
                }
            }
            default -> { }
        }
        return ids;
    }
}
