/*
 * The C client (Debian's libzookeeper-mt) driven through one scenario: session, CRUD with its
 * errors, null data, watches fired by a second handle, multi. Prints one line per observation;
 * the Java test compares the lines. Usage: zkclient host:port /base
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#define THREADED
#include <zookeeper/zookeeper.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char events[64][512];
static int nevents = 0;
static int connected = 0;

static const char *type_name(int type) {
    if (type == ZOO_CREATED_EVENT) return "NodeCreated";
    if (type == ZOO_DELETED_EVENT) return "NodeDeleted";
    if (type == ZOO_CHANGED_EVENT) return "NodeDataChanged";
    if (type == ZOO_CHILD_EVENT) return "NodeChildrenChanged";
    if (type == ZOO_SESSION_EVENT) return "Session";
    return "Other";
}

static void watcher(zhandle_t *zh, int type, int state, const char *path, void *ctx) {
    pthread_mutex_lock(&lock);
    if (type == ZOO_SESSION_EVENT) {
        if (state == ZOO_CONNECTED_STATE) connected++;
    } else if (nevents < 64) {
        snprintf(events[nevents++], 512, "%s %s", type_name(type), path);
    }
    pthread_mutex_unlock(&lock);
}

static zhandle_t *open_handle(const char *hosts) {
    int before;
    pthread_mutex_lock(&lock);
    before = connected;
    pthread_mutex_unlock(&lock);
    zhandle_t *zh = zookeeper_init(hosts, watcher, 30000, 0, 0, 0);
    if (!zh) { printf("init failed\n"); exit(2); }
    for (int i = 0; i < 1500; i++) {   /* at most 15 s */
        pthread_mutex_lock(&lock);
        int now = connected;
        pthread_mutex_unlock(&lock);
        if (now > before) return zh;
        usleep(10000);
    }
    printf("not connected\n");
    exit(3);
}

/* Prints the next n events, waiting at most 10 s for them. */
static void print_events(int *seen, int n) {
    for (int i = 0; i < 1000; i++) {
        pthread_mutex_lock(&lock);
        int have = nevents;
        pthread_mutex_unlock(&lock);
        if (have >= *seen + n) break;
        usleep(10000);
    }
    pthread_mutex_lock(&lock);
    for (int k = 0; k < n && *seen < nevents; k++) printf("event %s\n", events[(*seen)++]);
    pthread_mutex_unlock(&lock);
}

static const char *rc(int r) {
    switch (r) {
        case ZOK: return "ok";
        case ZNONODE: return "NONODE";
        case ZNODEEXISTS: return "NODEEXISTS";
        case ZBADVERSION: return "BADVERSION";
        case ZNOTEMPTY: return "NOTEMPTY";
        case ZRUNTIMEINCONSISTENCY: return "RUNTIMEINCONSISTENCY";
        default: return zerror(r);
    }
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: zkclient host:port /base\n"); return 1; }
    const char *hosts = argv[1];
    const char *base = argv[2];
    char p[512], q[512], out[512], buf[64];
    int len, seen = 0;
    struct Stat st;
    zoo_set_debug_level(ZOO_LOG_LEVEL_ERROR);

    zhandle_t *zh = open_handle(hosts);
    zhandle_t *other = open_handle(hosts);
    const clientid_t *id = zoo_client_id(zh);
    printf("session %s\n", id->client_id != 0 ? "nonzero" : "zero");

    snprintf(p, sizeof p, "%s/c", base);
    printf("create %s\n", rc(zoo_create(zh, p, "hello", 5, &ZOO_OPEN_ACL_UNSAFE, 0, out, sizeof out)));
    printf("path %s\n", out);
    printf("create again %s\n", rc(zoo_create(zh, p, "x", 1, &ZOO_OPEN_ACL_UNSAFE, 0, out, sizeof out)));
    snprintf(q, sizeof q, "%s/missing/x", base);
    printf("create under missing %s\n", rc(zoo_create(zh, q, "x", 1, &ZOO_OPEN_ACL_UNSAFE, 0, out, sizeof out)));
    len = sizeof buf;
    printf("get %s ", rc(zoo_wget(zh, p, watcher, 0, buf, &len, &st)));
    printf("%.*s version=%d length=%d\n", len, buf, st.version, st.dataLength);
    printf("set badversion %s\n", rc(zoo_set(zh, p, "w", 1, 7)));

    snprintf(q, sizeof q, "%s/n", base);
    zoo_create(zh, q, NULL, -1, &ZOO_OPEN_ACL_UNSAFE, 0, out, sizeof out);
    len = sizeof buf;
    zoo_get(zh, q, 0, buf, &len, &st);
    printf("null data len=%d\n", len);

    snprintf(q, sizeof q, "%s/later", base);
    printf("exists missing %s\n", rc(zoo_wexists(zh, q, watcher, 0, &st)));
    struct String_vector kids;
    printf("children %s", rc(zoo_wget_children(zh, base, watcher, 0, &kids)));
    for (int i = 0; i < kids.count; i++) printf(" %s", kids.data[i]);
    printf("\n");
    deallocate_String_vector(&kids);

    printf("other set %s\n", rc(zoo_set(other, p, "bye", 3, 0)));
    print_events(&seen, 1);
    printf("other create %s\n", rc(zoo_create(other, q, NULL, -1, &ZOO_OPEN_ACL_UNSAFE, 0, out, sizeof out)));
    print_events(&seen, 2);

    snprintf(q, sizeof q, "%s/e-", base);
    printf("ephemeral sequential %s\n",
           rc(zoo_create(zh, q, "", 0, &ZOO_OPEN_ACL_UNSAFE, ZOO_EPHEMERAL | ZOO_SEQUENCE, out, sizeof out)));
    printf("path %s\n", out);
    zoo_exists(zh, out, 0, &st);
    printf("ephemeral owner is session %s\n", st.ephemeralOwner == id->client_id ? "yes" : "no");

    printf("delete nonempty %s\n", rc(zoo_delete(zh, base, -1)));
    printf("delete badversion %s\n", rc(zoo_delete(zh, p, 0)));
    zoo_wexists(zh, p, watcher, 0, &st);
    printf("delete %s\n", rc(zoo_delete(other, p, 1)));
    print_events(&seen, 1);

    zoo_op_t ops[3];
    zoo_op_result_t results[3];
    char m1[512], m2[512], o1[512], o2[512];
    snprintf(m1, sizeof m1, "%s/m1", base);
    snprintf(m2, sizeof m2, "%s/m2", base);
    zoo_create_op_init(&ops[0], m1, "a", 1, &ZOO_OPEN_ACL_UNSAFE, 0, o1, sizeof o1);
    zoo_create_op_init(&ops[1], m2, NULL, -1, &ZOO_OPEN_ACL_UNSAFE, 0, o2, sizeof o2);
    zoo_check_op_init(&ops[2], m1, 0);
    printf("multi %s", rc(zoo_multi(zh, 3, ops, results)));
    for (int i = 0; i < 3; i++) printf(" %s", rc(results[i].err));
    printf(" %s %s\n", o1, o2);
    zoo_create_op_init(&ops[0], p, NULL, -1, &ZOO_OPEN_ACL_UNSAFE, 0, o1, sizeof o1);
    zoo_check_op_init(&ops[1], m1, 5);
    zoo_delete_op_init(&ops[2], m2, -1);
    printf("bad multi %s", rc(zoo_multi(zh, 3, ops, results)));
    for (int i = 0; i < 3; i++) printf(" %s", rc(results[i].err));
    printf("\n");
    printf("after bad multi %s\n", rc(zoo_exists(zh, p, 0, &st)));

    zookeeper_close(zh);
    printf("ephemeral after close %s\n", rc(zoo_exists(other, out, 0, &st)));
    zookeeper_close(other);
    return 0;
}
