package dev.paddock.testing;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit 5 extension behind {@link PaddockTest}: resolves {@link TestingServer}, {@link TestingCluster} and
 * {@link ConnectString} parameters. The server starts when a parameter first asks for it and is closed (its
 * data deleted) when its scope ends: the test class (shared by its tests and nested classes), or each test
 * with {@code perTest = true}. Usable on its own with {@code @ExtendWith(PaddockExtension.class)}: one
 * server per class then.
 */
public class PaddockExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PaddockExtension.class);
    private static final String KEY = "paddock";

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == String.class) {
            return parameter.isAnnotated(ConnectString.class);
        }
        int members = settings(context).map(PaddockTest::members).orElse(1);
        return type == TestingServer.class && members == 1 || type == TestingCluster.class && members > 1;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext scope = scope(context);
        // Keyed by the scope: a store also sees its parents' values, and a nested class may want its own.
        Started started = scope.getStore(NAMESPACE)
                .getOrComputeIfAbsent(KEY + scope.getUniqueId(), k -> start(settings(context).map(PaddockTest::members).orElse(1)),
                        Started.class);
        Class<?> type = parameter.getParameter().getType();
        if (type == String.class) {
            return started.connectString();
        }
        if (!type.isInstance(started.server)) {
            throw new ParameterResolutionException("this scope's Paddock is a " + started.server.getClass().getSimpleName()
                    + ", not a " + type.getSimpleName());
        }
        return started.server;
    }

    /**
     * The context whose end closes the server: the test's own with perTest; else the class that carries the
     * deciding {@link PaddockTest} (a nested class with its own gets its own server); else the outermost class.
     */
    private static ExtensionContext scope(ExtensionContext context) {
        Optional<ExtensionContext> annotated = annotatedClass(context);
        boolean perTest = annotated.map(c -> annotation(c).orElseThrow().perTest()).orElse(false);
        if (perTest && context.getTestMethod().isPresent()) {
            return context;
        }
        if (annotated.isPresent()) {
            return annotated.get();
        }
        ExtensionContext c = context;
        while (c.getTestMethod().isPresent() || c.getParent().flatMap(ExtensionContext::getTestClass).isPresent()) {
            c = c.getParent().orElseThrow();
        }
        return c;
    }

    /** The nearest {@link PaddockTest}: on the test class, or on a class enclosing a nested one. */
    private static Optional<PaddockTest> settings(ExtensionContext context) {
        return annotatedClass(context).flatMap(PaddockExtension::annotation);
    }

    /** The nearest class context (this one or a parent) whose class carries {@link PaddockTest}. */
    private static Optional<ExtensionContext> annotatedClass(ExtensionContext context) {
        Optional<ExtensionContext> c = Optional.of(context);
        while (c.isPresent()) {
            if (c.get().getTestMethod().isEmpty() && annotation(c.get()).isPresent()) {
                return c;
            }
            c = c.get().getParent();
        }
        return Optional.empty();
    }

    private static Optional<PaddockTest> annotation(ExtensionContext context) {
        return context.getTestClass().flatMap(k -> AnnotationSupport.findAnnotation(k, PaddockTest.class));
    }

    private static Started start(int members) {
        try {
            if (members == 1) {
                return new Started(new TestingServer());
            }
            TestingCluster cluster = new TestingCluster(members);
            try {
                cluster.start();
            } catch (Exception e) {
                cluster.close();
                throw e;
            }
            return new Started(cluster);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("Paddock did not start: " + e.getMessage(), e);
        }
    }

    /**
     * What the store holds: closed by JUnit when the scope's context ends (JUnit 5.13 and later close it as an
     * AutoCloseable, earlier releases as a CloseableResource).
     */
    @SuppressWarnings("deprecation")
    private record Started(Closeable server) implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        String connectString() {
            return server instanceof TestingServer s ? s.getConnectString() : ((TestingCluster) server).getConnectString();
        }

        @Override
        public void close() throws Exception {
            server.close();
        }
    }
}
