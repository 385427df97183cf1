package io.clstr.toxiproxy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.Map;

/** The JSON shapes the API answers with. */
final class Views {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Views() {}

    /** {@code {"name", "listen", "upstream", "enabled", "toxics": [...]}}. */
    static ObjectNode proxy(Proxy proxy) {
        ObjectNode node = NODES.objectNode();
        node.put("name", proxy.name());
        node.put("listen", proxy.listen());
        node.put("upstream", proxy.upstream());
        node.put("enabled", proxy.enabled());
        ArrayNode toxics = node.putArray("toxics");
        for (ToxicSpec spec : proxy.reportedToxics()) {
            toxics.add(toxic(spec));
        }
        return node;
    }

    /** Proxies keyed by name, in the order given (the registry's, sorted by name). */
    static ObjectNode proxyIndex(Collection<Proxy> proxies) {
        ObjectNode node = NODES.objectNode();
        for (Proxy proxy : proxies) {
            node.set(proxy.name(), proxy(proxy));
        }
        return node;
    }

    static ArrayNode proxyList(Collection<Proxy> proxies) {
        ArrayNode array = NODES.arrayNode();
        for (Proxy proxy : proxies) {
            array.add(proxy(proxy));
        }
        return array;
    }

    /** {@code {"name", "type", "stream", "toxicity", "attributes": {...}}} with every attribute of the type. */
    static ObjectNode toxic(ToxicSpec spec) {
        ObjectNode node = NODES.objectNode();
        node.put("name", spec.name());
        node.put("type", spec.type().wireName());
        node.put("stream", spec.stream().wireName());
        node.put("toxicity", spec.toxicity());
        ObjectNode attributes = node.putObject("attributes");
        for (Map.Entry<String, Long> attribute : spec.attributes().entrySet()) {
            attributes.put(attribute.getKey(), attribute.getValue());
        }
        return node;
    }

    static ArrayNode toxics(Collection<ToxicSpec> specs) {
        ArrayNode array = NODES.arrayNode();
        for (ToxicSpec spec : specs) {
            array.add(toxic(spec));
        }
        return array;
    }

    /** {@code {"error": "...", "status": N}}. */
    static ObjectNode error(int status, String message) {
        ObjectNode node = NODES.objectNode();
        node.put("error", message);
        node.put("status", status);
        return node;
    }

    static ObjectNode version(String version) {
        ObjectNode node = NODES.objectNode();
        node.put("version", version);
        return node;
    }
}
