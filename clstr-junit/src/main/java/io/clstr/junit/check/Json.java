package io.clstr.junit.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * JSON for checks: parsing bodies, reading a dotted path such as {@code entries[0].term},
 * turning values into plain Java (Integer, Long, Double, String, Boolean, List, Map, null)
 * and comparing numbers as numbers.
 */
final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {}

    /** The parsed body, or null when the body is not JSON. */
    static JsonNode parse(String body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            return node == null || node.isMissingNode() ? null : node;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /**
     * Splits a path into keys (String) and indexes (Integer): {@code "entries[0].term"} is
     * {@code ["entries", 0, "term"]}. Keys may contain anything but '.', '[' and ']'.
     */
    static List<Object> steps(String path) {
        Objects.requireNonNull(path, "path");
        List<Object> steps = new ArrayList<>();
        String bad = "not a JSON path (keys separated by '.', indexes as [0]): \"" + path + "\"";
        if (path.isEmpty()) {
            throw new IllegalArgumentException(bad);
        }
        for (String segment : path.split("\\.", -1)) {
            int bracket = segment.indexOf('[');
            String key = bracket < 0 ? segment : segment.substring(0, bracket);
            if (key.contains("]") || (key.isEmpty() && (bracket != 0 || !steps.isEmpty()))) {
                throw new IllegalArgumentException(bad);
            }
            if (!key.isEmpty()) {
                steps.add(key);
            }
            String rest = bracket < 0 ? "" : segment.substring(bracket);
            while (!rest.isEmpty()) {
                int close = rest.indexOf(']');
                if (!rest.startsWith("[")
                        || close < 2
                        || !rest.substring(1, close).chars().allMatch(Character::isDigit)) {
                    throw new IllegalArgumentException(bad);
                }
                steps.add(Integer.parseInt(rest.substring(1, close)));
                rest = rest.substring(close + 1);
            }
        }
        return List.copyOf(steps);
    }

    /** The value at the path, or a MissingNode when any step is absent. */
    static JsonNode at(JsonNode root, List<Object> steps) {
        JsonNode node = root;
        for (Object step : steps) {
            node = step instanceof Integer i ? node.path(i) : node.path((String) step);
        }
        return node;
    }

    /** Plain Java for a JSON value: integers as Integer when they fit, else Long or BigInteger; floats as Double. */
    static Object toJava(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            BigInteger big = node.bigIntegerValue();
            if (big.bitLength() < 32) {
                return big.intValue();
            }
            return big.bitLength() < 64 ? (Object) big.longValue() : big;
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(e -> list.add(toJava(e)));
            return list;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                map.put(e.getKey(), toJava(e.getValue()));
            }
            return map;
        }
        return node.asText();
    }

    /** Deep equality where numbers compare by value: 2, 2L and 2.0 are the same. */
    static boolean sameValue(Object expected, Object actual) {
        if (expected instanceof Number e && actual instanceof Number a) {
            BigDecimal be = decimal(e);
            BigDecimal ba = decimal(a);
            return be != null && ba != null ? be.compareTo(ba) == 0 : e.equals(a);
        }
        if (expected instanceof List<?> e && actual instanceof List<?> a) {
            if (e.size() != a.size()) {
                return false;
            }
            for (int i = 0; i < e.size(); i++) {
                if (!sameValue(e.get(i), a.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (expected instanceof Map<?, ?> e && actual instanceof Map<?, ?> a) {
            return e.size() == a.size()
                    && e.entrySet().stream()
                            .allMatch(x -> a.containsKey(x.getKey()) && sameValue(x.getValue(), a.get(x.getKey())));
        }
        return Objects.equals(expected, actual);
    }

    /** A value as it reads in a message: JSON text, or "missing". */
    static String render(JsonNode node) {
        return node == null || node.isMissingNode() ? "missing" : node.toString();
    }

    /** An expected value as JSON text (strings quoted), falling back to toString. */
    static String render(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    static JsonNode missing() {
        return MissingNode.getInstance();
    }

    private static BigDecimal decimal(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? new BigDecimal(n.toString()) : null;
        }
        return BigDecimal.valueOf(n.longValue());
    }
}
