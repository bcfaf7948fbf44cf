package dev.paddock.server.tree;

import dev.paddock.wire.proto.Acl;
import dev.paddock.wire.proto.Id;
import java.util.List;

/** The common ACL lists, shared by every node that uses them. */
public final class AclLists {
    public static final Id ANYONE = new Id("world", "anyone");
    public static final List<Acl> OPEN = List.of(new Acl(Acl.ALL, ANYONE));
    public static final List<Acl> READ_ONLY = List.of(new Acl(Acl.READ, ANYONE));

    private AclLists() {
    }

    /** Returns the shared instance when the list equals one, so a million open nodes hold one list. */
    public static List<Acl> share(List<Acl> acl) {
        if (OPEN.equals(acl)) {
            return OPEN;
        }
        if (READ_ONLY.equals(acl)) {
            return READ_ONLY;
        }
        return List.copyOf(acl);
    }
}
