package io.clstr.junit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * A challenge as the CLI and the stage filter find it: registered by its module in
 * {@code META-INF/services/io.clstr.junit.Challenge}.
 */
public interface Challenge {

    /** The key learners type, such as {@code kv-store}. */
    String key();

    /** The display name, such as {@code Distributed Key-Value Store}. */
    String name();

    /** One sentence on what the learner builds. */
    String summary();

    /** The stage classes in the order learners take them; each carries {@link Stage}. */
    List<Class<?>> stages();

    /**
     * Whether learners can take it: a challenge with no stages yet is listed but refused (it could
     * never fail, so it must never pass).
     */
    default boolean available() {
        return !stages().isEmpty();
    }

    /** The error for asking for a challenge that is not {@link #available()}. */
    default SetupException notAvailable() {
        String others =
                all().stream().filter(Challenge::available).map(Challenge::key).collect(Collectors.joining(", "));
        return new SetupException("the " + key() + " challenge is not available yet: this version of clstr has no "
                + "stages for it" + (others.isEmpty() ? "" : " (available: " + others + ")"));
    }

    /** The stage keys in order. */
    default List<String> stageKeys() {
        return stages().stream().map(c -> StageInfo.of(c).key()).toList();
    }

    /** The stage with this key. */
    default Optional<StageInfo> stage(String key) {
        return stages().stream()
                .map(StageInfo::of)
                .filter(s -> s.key().equals(key))
                .findFirst();
    }

    /**
     * The stage's guide in Markdown, read from the resource
     * {@code /guides/<challenge key>/<stage key>.md} of the challenge's module.
     */
    default Optional<String> guide(String stageKey) {
        String path = "/guides/" + key() + "/" + stageKey + ".md";
        try (InputStream in = getClass().getResourceAsStream(path)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read guide " + path, e);
        }
    }

    /** Every registered challenge, sorted by key. */
    static List<Challenge> all() {
        List<Challenge> all = new ArrayList<>();
        ServiceLoader.load(Challenge.class).forEach(all::add);
        all.sort(Comparator.comparing(Challenge::key));
        return all;
    }

    /** The registered challenge with this key. */
    static Optional<Challenge> find(String key) {
        return all().stream().filter(c -> c.key().equals(key)).findFirst();
    }
}
