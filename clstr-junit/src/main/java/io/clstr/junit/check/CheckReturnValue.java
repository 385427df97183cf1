package io.clstr.junit.check;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method whose result must be used: a check chain that never reaches
 * {@link HttpCheck#check()} sends nothing and asserts nothing.
 *
 * <p>Static analysers (Error Prone, SpotBugs, IntelliJ) recognise an annotation by this
 * simple name and flag call sites that drop the result, such as
 * {@code checks.get(all(), "/kv/a").status(200);} without {@code .check()}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.TYPE})
public @interface CheckReturnValue {}
