package dev.paddock.kafka;

import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaServer;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.utils.Time;
import scala.Option;

/** A Kafka broker in ZooKeeper mode, in this JVM. */
final class InProcessBroker implements AutoCloseable {
    private final Properties config;
    private final KafkaServer server;

    private InProcessBroker(Properties config, KafkaServer server) {
        this.config = config;
        this.server = server;
    }

    static InProcessBroker start(Properties config) {
        KafkaServer server = new KafkaServer(KafkaConfig.fromProps(config), Time.SYSTEM, Option.<String>apply(null), false);
        try {
            server.startup();
        } catch (RuntimeException e) {
            server.shutdown();
            throw e;
        }
        return new InProcessBroker(config, server);
    }

    /** Starts the same broker (same id, log directory and listener port) again after {@link #close()}. */
    InProcessBroker restart() {
        close();
        Properties again = new Properties();
        again.putAll(config);
        again.setProperty("listeners", "SASL_PLAINTEXT://127.0.0.1:" + port());
        return start(again);
    }

    KafkaServer server() {
        return server;
    }

    int port() {
        return server.boundPort(ListenerName.forSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT));
    }

    String bootstrap() {
        return "127.0.0.1:" + port();
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
