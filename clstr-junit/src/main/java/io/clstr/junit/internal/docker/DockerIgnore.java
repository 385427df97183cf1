package io.clstr.junit.internal.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A folder's {@code .dockerignore}, matched as the Docker engine's client matches it: {@code *} and {@code ?}
 * within one path element, {@code **} across any number of them, {@code !} re-includes, the last matching
 * line wins, and a pattern that matches a folder matches everything in it.
 */
final class DockerIgnore {
    /** One line: its compiled pattern and whether it re-includes ({@code !}). */
    private record Rule(Pattern pattern, boolean exception) {}

    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The rules of {@code folder/.dockerignore}; none when the file is missing. */
    static DockerIgnore read(Path folder) {
        Path file = folder.resolve(".dockerignore");
        if (!Files.isRegularFile(file)) {
            return new DockerIgnore(List.of());
        }
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The rules of these lines. */
    static DockerIgnore parse(List<String> lines) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean exception = line.startsWith("!");
            String pattern = clean(exception ? line.substring(1).strip() : line);
            if (!pattern.isEmpty()) {
                rules.add(new Rule(compile(pattern), exception));
            }
        }
        return new DockerIgnore(rules);
    }

    /** True when the file or folder at {@code path} (relative, {@code /}-separated) stays out of the context. */
    boolean excludes(String path) {
        boolean excluded = false;
        for (Rule rule : rules) {
            if (rule.exception() != excluded) {
                continue; // an exclusion cannot change an excluded path, nor an exception an included one
            }
            if (matchesOrParentMatches(rule.pattern(), path)) {
                excluded = !rule.exception();
            }
        }
        return excluded;
    }

    /** True when some line re-includes paths, so an excluded folder may still hold included files. */
    boolean hasExceptions() {
        return rules.stream().anyMatch(Rule::exception);
    }

    private static boolean matchesOrParentMatches(Pattern pattern, String path) {
        if (pattern.matcher(path).matches()) {
            return true;
        }
        for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
            if (pattern.matcher(path.substring(0, slash)).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Like Go's filepath.Clean for relative patterns: no leading {@code /} or {@code ./}, no empty elements. */
    private static String clean(String pattern) {
        List<String> elements = new ArrayList<>();
        for (String element : pattern.split("/")) {
            if (element.isEmpty() || element.equals(".")) {
                continue;
            }
            if (element.equals("..") && !elements.isEmpty()) {
                elements.remove(elements.size() - 1);
            } else if (!element.equals("..")) {
                elements.add(element);
            }
        }
        return String.join("/", elements);
    }

    private static Pattern compile(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                i++;
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '/') {
                    i++;
                }
                regex.append(i + 1 == pattern.length() ? ".*" : "(.*/)?");
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else if (c == '[') {
                int end = pattern.indexOf(']', i + 1);
                if (end < 0) {
                    regex.append("\\[");
                } else {
                    String set = pattern.substring(i + 1, end);
                    regex.append('[')
                            .append(set.startsWith("^") || set.startsWith("!") ? "^" + set.substring(1) : set)
                            .append(']');
                    i = end;
                }
            } else if (c == '\\' && i + 1 < pattern.length()) {
                regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
