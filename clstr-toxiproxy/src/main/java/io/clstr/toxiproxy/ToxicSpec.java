package io.clstr.toxiproxy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A toxic as configured through the API: immutable, replaced as a whole when it is updated. */
record ToxicSpec(String name, ToxicType type, Direction stream, float toxicity, Map<String, Long> attributes) {

    ToxicSpec {
        Map<String, Long> complete = new LinkedHashMap<>();
        for (String attribute : type.attributes()) {
            complete.put(attribute, attributes.getOrDefault(attribute, 0L));
        }
        attributes = Collections.unmodifiableMap(complete);
    }

    /** The value of one of the type's attributes (0 when it was never set). */
    long attribute(String attribute) {
        Long value = attributes.get(attribute);
        return value == null ? 0 : value;
    }

    /** This toxic with another toxicity and some attributes changed. */
    ToxicSpec with(float newToxicity, Map<String, Long> changedAttributes) {
        Map<String, Long> merged = new LinkedHashMap<>(attributes);
        merged.putAll(changedAttributes);
        return new ToxicSpec(name, type, stream, newToxicity, merged);
    }
}
