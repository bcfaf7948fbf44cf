package dev.paddock.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paddock.server.tree.StateMachine;
import dev.paddock.server.tree.Txn;
import dev.paddock.server.tree.WritePolicy;
import dev.paddock.wire.ErrorCode;
import dev.paddock.wire.OpCode;
import dev.paddock.wire.proto.Acl;
import dev.paddock.wire.proto.Id;
import dev.paddock.wire.proto.SetAclRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The AdminServer's snapshot/restore check with {@code zookeeper.skipACL}: authenticated is enough, as in ZooKeeper. */
class AdminAuthSkipAclTest {
    @Test
    void skipAclPassesThePermissionCheckButNotTheAuthentication() {
        StateMachine sm = new StateMachine(false);
        List<Acl> onlyAlice = List.of(new Acl(Acl.ALL, new Id("digest", "alice:AAAAAAAAAAAAAAAAAAAAAAAAAAA=")));
        assertThat(sm.apply(new Txn(1, 1, 1, List.of(), new SetAclRequest("/", onlyAlice, -1))).error())
                .isEqualTo(ErrorCode.OK);
        AdminAuth checked = new AdminAuth(sm, null, WritePolicy.DEFAULT);
        AdminAuth skipping = new AdminAuth(sm, null, WritePolicy.of("false", "yes"));
        assertThat(checked.check("digest bob:secret", null)).isEqualTo(AdminAuth.Verdict.NOT_AUTHORIZED);
        assertThat(skipping.check("digest bob:secret", null)).isEqualTo(AdminAuth.Verdict.ALLOWED);
        assertThat(skipping.check("nonsense", null)).isEqualTo(AdminAuth.Verdict.NOT_AUTHENTICATED);
    }
}
