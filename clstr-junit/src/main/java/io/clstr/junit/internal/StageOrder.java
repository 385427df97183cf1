package io.clstr.junit.internal;

import io.clstr.junit.Challenge;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * Runs stage classes in the order of their challenge's stages (challenges by key); other test
 * classes keep their order and run after them. Set it for {@code mvn test} with the
 * configuration parameter {@code junit.jupiter.testclass.order.default=io.clstr.junit.internal.StageOrder}.
 */
public final class StageOrder implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        Map<String, Integer> rank = ranks(Challenge.all());
        context.getClassDescriptors()
                .sort(Comparator.comparingInt(
                        d -> rank.getOrDefault(d.getTestClass().getName(), Integer.MAX_VALUE)));
    }

    private static Map<String, Integer> ranks(List<Challenge> challenges) {
        Map<String, Integer> rank = new HashMap<>();
        for (Challenge challenge : challenges) {
            for (Class<?> stage : challenge.stages()) {
                rank.putIfAbsent(stage.getName(), rank.size());
            }
        }
        return rank;
    }
}
