package dev.paddock.server.quorum;

import dev.paddock.server.quorum.Message.Notification;
import dev.paddock.server.quorum.Message.Vote;

/**
 * What a {@link Member} says and hears about elections: its vote announced to the election's audience while
 * looking, the notifications it takes in then, and the answer to a looking peer once it has a role (who leads,
 * so the peer can join without a new election). Every notification carries the configurations the member
 * knows, so looking peers learn them.
 */
final class ElectionMessages {
    private final int myId;
    private final Election election;
    private final MemberConfigs configs;
    private final Host host;
    private final ReplicaStorage storage;

    ElectionMessages(int myId, Election election, MemberConfigs configs, Host host, ReplicaStorage storage) {
        this.myId = myId;
        this.election = election;
        this.configs = configs;
        this.host = host;
        this.storage = storage;
    }

    /** Sends this member's current vote (or a blank one before it has one) to every other member it tells. */
    void announce() {
        Vote v = election.proposal();
        Vote shown = v != null ? v : new Vote(-1, storage.lastZxid(), storage.currentEpoch());
        for (int peer : election.audience()) {
            if (peer != myId) {
                host.send(peer, notification(shown, election.round(), Role.LOOKING));
            }
        }
    }

    /** A notification heard while looking: the election takes it in, and a changed vote is announced. */
    void heardWhileLooking(int from, Notification n) {
        configs.heardWhileLooking(n);
        if (election.receive(from, n)) {
            announce();
        }
    }

    /** A notification heard in {@code role}: a looking sender is told who leads. */
    void heardInRole(int from, Notification n, Role role, int leaderId) {
        if (n.senderRole() == Role.LOOKING) {
            host.send(from, notification(new Vote(leaderId, storage.lastZxid(), storage.currentEpoch()), n.round(), role));
        }
    }

    private Notification notification(Vote vote, long round, Role senderRole) {
        return new Notification(vote, round, senderRole, configs.version(), host.configText(), configs.inForce().voters(),
                configs.newestLoggedVersion(), configs.newestLoggedVoters());
    }
}
