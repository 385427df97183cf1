package io.clstr.toxiproxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads request bodies into what the registry works with, running Toxiproxy's checks in Toxiproxy's order. Fields
 * that are absent or null keep their defaults; fields of the wrong JSON type make the body bad.
 */
final class Requests {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A proxy as POST /proxies and POST /populate describe it. */
    record NewProxy(String name, String listen, String upstream, boolean enabled) {}

    /** The configuration a proxy will have after POST /proxies/{name}. */
    record ProxyChange(String listen, String upstream, boolean enabled) {}

    private Requests() {}

    /** The body as JSON; an empty body is bad ({@code EOF}), JSON null counts as an empty object. */
    static JsonNode parse(byte[] body) throws ApiException {
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badBody(e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badBody(e.getMessage());
        }
        if (node == null || node.isMissingNode()) {
            throw ApiException.badBody("EOF");
        }
        return node.isNull() ? JsonNodeFactory.instance.objectNode() : node;
    }

    /** Checks in order: body, name, upstream. */
    static NewProxy newProxy(JsonNode body) throws ApiException {
        ObjectNode object = object(body, "proxy");
        NewProxy proxy = readProxy(object);
        if (proxy.name().isEmpty()) {
            throw ApiException.missingField("name");
        }
        if (proxy.upstream().isEmpty()) {
            throw ApiException.missingField("upstream");
        }
        return proxy;
    }

    /** Every proxy is checked before any is created. */
    static List<NewProxy> populate(JsonNode body) throws ApiException {
        if (!body.isArray()) {
            throw ApiException.badBody("expected a JSON array of proxies, got " + kind(body));
        }
        List<NewProxy> proxies = new ArrayList<>();
        for (JsonNode element : body) {
            proxies.add(readProxy(object(element, "proxy")));
        }
        for (int i = 0; i < proxies.size(); i++) {
            if (proxies.get(i).name().isEmpty()) {
                throw ApiException.missingField("name at proxy " + (i + 1));
            }
            if (proxies.get(i).upstream().isEmpty()) {
                throw ApiException.missingField("upstream at proxy " + (i + 1));
            }
        }
        return proxies;
    }

    /** The given fields merged into the current ones; a name in the body is ignored. */
    static ProxyChange proxyChange(JsonNode body, Proxy current) throws ApiException {
        ObjectNode object = object(body, "proxy");
        string(object, "name", "");
        return new ProxyChange(
                string(object, "listen", current.listen()),
                string(object, "upstream", current.upstream()),
                bool(object, "enabled", current.enabled()));
    }

    /** Checks in order: body, stream, type, name conflict, attributes. */
    static ToxicSpec newToxic(JsonNode body, Predicate<String> nameTaken) throws ApiException {
        ObjectNode object = object(body, "toxic");
        String name = string(object, "name", "");
        String typeName = string(object, "type", "");
        String streamName = string(object, "stream", "downstream");
        float toxicity = number(object, "toxicity", 1.0f);
        ObjectNode attributes = attributesObject(object);

        Direction stream = Direction.fromWire(streamName);
        if (stream == null) {
            throw ApiException.invalidStream();
        }
        ToxicType type = ToxicType.fromWire(typeName);
        if (type == null) {
            throw ApiException.invalidToxicType();
        }
        if (name.isEmpty()) {
            name = type.wireName() + "_" + stream.wireName();
        }
        if (nameTaken.test(name)) {
            throw ApiException.toxicExists();
        }
        return new ToxicSpec(name, type, stream, toxicity, attributeValues(attributes, type));
    }

    /** Attributes merged into the current ones, toxicity kept when absent; name, type and stream never change. */
    static ToxicSpec toxicChange(JsonNode body, ToxicSpec current) throws ApiException {
        ObjectNode object = object(body, "toxic");
        float toxicity = number(object, "toxicity", current.toxicity());
        return current.with(toxicity, attributeValues(attributesObject(object), current.type()));
    }

    private static NewProxy readProxy(ObjectNode object) throws ApiException {
        return new NewProxy(
                string(object, "name", ""),
                string(object, "listen", ""),
                string(object, "upstream", ""),
                bool(object, "enabled", true));
    }

    private static ObjectNode attributesObject(ObjectNode object) throws ApiException {
        JsonNode attributes = object.get("attributes");
        if (attributes == null || attributes.isNull()) {
            return null;
        }
        if (!attributes.isObject()) {
            throw ApiException.badBody("field attributes must be an object, got " + kind(attributes));
        }
        return (ObjectNode) attributes;
    }

    private static Map<String, Long> attributeValues(ObjectNode attributes, ToxicType type) throws ApiException {
        Map<String, Long> values = new LinkedHashMap<>();
        if (attributes == null) {
            return values;
        }
        for (String attribute : type.attributes()) {
            JsonNode value = attributes.get(attribute);
            if (value == null || value.isNull()) {
                continue;
            }
            if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                throw ApiException.badBody(
                        "attribute " + attribute + " of " + type.wireName() + " must be an integer, got " + value);
            }
            values.put(attribute, value.longValue());
        }
        return values;
    }

    private static ObjectNode object(JsonNode node, String what) throws ApiException {
        if (!node.isObject()) {
            throw ApiException.badBody("expected a JSON object for the " + what + ", got " + kind(node));
        }
        return (ObjectNode) node;
    }

    private static String string(ObjectNode object, String field, String fallback) throws ApiException {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isTextual()) {
            throw ApiException.badBody("field " + field + " must be a string, got " + kind(value));
        }
        return value.textValue();
    }

    private static boolean bool(ObjectNode object, String field, boolean fallback) throws ApiException {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw ApiException.badBody("field " + field + " must be a boolean, got " + kind(value));
        }
        return value.booleanValue();
    }

    private static float number(ObjectNode object, String field, float fallback) throws ApiException {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isNumber()) {
            throw ApiException.badBody("field " + field + " must be a number, got " + kind(value));
        }
        return value.floatValue();
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
