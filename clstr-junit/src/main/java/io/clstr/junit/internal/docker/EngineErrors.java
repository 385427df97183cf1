package io.clstr.junit.internal.docker;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Readable one-line messages from the engine's errors, which docker-java wraps as {@code Status 500: {"message":…}}. */
final class EngineErrors {
    private static final Pattern MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private EngineErrors() {}

    /** The engine's own message, without docker-java's wrapping; the throwable's type when it has none. */
    static String message(Throwable t) {
        return message(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
    }

    /** The engine's own message in {@code text}, or its first line. */
    static String message(String text) {
        Matcher m = MESSAGE.matcher(text);
        String message = m.find() ? m.group(1).replace("\\\"", "\"").replace("\\n", " ") : text.strip();
        return message.lines().findFirst().orElse(message).strip();
    }
}
