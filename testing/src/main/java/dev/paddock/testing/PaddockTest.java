package dev.paddock.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that gets a Paddock server (or cluster) from {@link PaddockExtension}: declare a parameter
 * of type {@link TestingServer}, {@link TestingCluster} (when {@code members > 1}) or a {@code String}
 * annotated {@link ConnectString} on a test, {@code @BeforeEach} or {@code @BeforeAll} method.
 *
 * <pre>
 * &#64;PaddockTest
 * class MyTest {
 *     &#64;Test
 *     void works(&#64;ConnectString String connect) { ... new ZooKeeper(connect, ...) ... }
 * }
 * </pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(PaddockExtension.class)
public @interface PaddockTest {
    /** 1: one standalone server; more: a {@link TestingCluster} of that many voting members. */
    int members() default 1;

    /** Whether each test gets a fresh server (else the class's tests share one, started on first use). */
    boolean perTest() default false;
}
