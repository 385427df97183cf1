package io.clstr.junit.internal;

import io.clstr.junit.DependsOn;
import io.clstr.junit.SetupException;
import io.clstr.junit.StageInfo;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * One test of a stage run alone ({@code --only "<name>"}): the test named and, before it, every
 * earlier test it names with {@link DependsOn}, transitively. A name that is not a test of the
 * stage, or a dependency that is not an earlier test, is a {@link SetupException} listing the
 * stage's tests.
 */
public final class OnlySelection {

    private OnlySelection() {}

    /** The stage's tests, display name → method, in source order. */
    public static Map<String, Method> tests(Class<?> stage) {
        Map<String, Method> tests = new LinkedHashMap<>();
        for (Method m : SourceOrder.methods(stage)) {
            if (m.isAnnotationPresent(Test.class)) {
                DisplayName name = m.getAnnotation(DisplayName.class);
                tests.put(name == null ? m.getName() : name.value(), m);
            }
        }
        return tests;
    }

    /** The methods to run for {@code only}, in source order. */
    public static List<Method> methods(Class<?> stage, String only) {
        Map<String, Method> tests = tests(stage);
        List<String> order = List.copyOf(tests.keySet());
        if (!tests.containsKey(only)) {
            throw new SetupException(
                    "`" + only + "` is not a test of " + StageInfo.of(stage).key() + ": its tests are "
                            + order.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(", ")));
        }
        Set<String> needed = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(only));
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (!needed.add(name)) {
                continue;
            }
            DependsOn deps = tests.get(name).getAnnotation(DependsOn.class);
            for (String dep : deps == null ? new String[0] : deps.value()) {
                if (!tests.containsKey(dep) || order.indexOf(dep) >= order.indexOf(name)) {
                    throw new SetupException(
                            "\"" + name + "\" of " + StageInfo.of(stage).key() + " depends on \"" + dep
                                    + "\", which is not an earlier test of the stage");
                }
                todo.push(dep);
            }
        }
        return order.stream().filter(needed::contains).map(tests::get).toList();
    }
}
