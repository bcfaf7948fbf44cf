package dev.paddock.server.auth;

import dev.paddock.wire.proto.Id;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The identities a connection holds (its ip, then whatever addauth, SASL or a client certificate added),
 * each once, in the order ZooKeeper 3.9 lists them. ZooKeeper keeps them in a set backed by a
 * {@link ConcurrentHashMap} and iterates that set wherever the order shows: whoAmI's answer, and the
 * entries an "auth" ACL expands into (so the stored ACL's order too). That order is the map's bucket order
 * under the jute record's hash of an id, so this holds the same kind of set with the same hash, and lists
 * it as ZooKeeper would. Not thread-safe beyond what the map gives: the request thread owns it.
 */
public final class AuthInfo {
    private final Set<Key> ids = ConcurrentHashMap.newKeySet();
    private List<Id> listed = List.of();

    /** Adds an identity unless it is held already; true when added. */
    public boolean add(Id id) {
        if (!ids.add(new Key(id))) {
            return false;
        }
        listed = ids.stream().map(Key::id).toList();
        return true;
    }

    /** The identities in ZooKeeper's order; an immutable snapshot. */
    public List<Id> list() {
        return listed;
    }

    /** An id compared and hashed as ZooKeeper's generated {@code org.apache.zookeeper.data.Id} is. */
    private record Key(Id id) {
        @Override
        public int hashCode() {
            int result = 17;
            result = 37 * result + Objects.hashCode(id.scheme());
            return 37 * result + Objects.hashCode(id.id());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && Objects.equals(id.scheme(), other.id.scheme())
                    && Objects.equals(id.id(), other.id.id());
        }
    }
}
