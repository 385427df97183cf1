package io.clstr.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that a test of a stage needs the cluster as earlier tests of the same stage leave it,
 * naming them by display name: running the test alone ({@code clstr test <stage> --only "<name>"},
 * or {@code -Dclstr.only=<name>} under {@code mvn test}) runs them first, on the same fresh
 * cluster. The named tests must come earlier in the stage.
 *
 * <pre>{@code
 * @Test
 * @DisplayName("Leaderless Nodes Return 503")
 * @DependsOn("Partition Enforces Quorum") // it checks the minority that test leaves cut off
 * void leaderlessNodesReturn503(Cluster cluster) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface DependsOn {

    /** The display names of the earlier tests this one needs. */
    String[] value();
}
