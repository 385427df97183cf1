package io.clstr.junit;

import io.clstr.junit.internal.SourceOrder;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Marks a class as one stage of a challenge. Its tests run in the order they are
 * written in the source, on one cluster, and the stage stops at its first failing test.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@TestMethodOrder(SourceOrder.class)
public @interface Stage {

    /** The stage's key as learners type it, such as {@code leader-election}. */
    String key();

    /** The stage's title, such as {@code Cluster Elects and Maintains Leader}. */
    String title();
}
