package io.clstr.junit.check;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One HTTP request, as an immutable value: each {@code with...} returns a new request.
 *
 * <p>The path (with any query) is sent exactly as written: nothing is re-encoded or
 * normalised, so {@code /kv/} stays {@code /kv/}. It must be a valid request target
 * (write a space as {@code %20}); non-ASCII characters go out percent-encoded as UTF-8.
 * A body is sent as UTF-8, with {@code Content-Type: text/plain; charset=utf-8} unless
 * a {@code Content-Type} header is set.
 */
public final class Request {

    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE");
    private static final Set<String> CLIENT_HEADERS =
            Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final String method;
    private final String path;
    private final String body;
    private final Map<String, String> headers;
    private final Duration timeout;
    private final boolean followRedirects;

    private Request(
            String method,
            String path,
            String body,
            Map<String, String> headers,
            Duration timeout,
            boolean followRedirects) {
        this.method = method;
        this.path = path;
        this.body = body;
        this.headers = headers;
        this.timeout = timeout;
        this.followRedirects = followRedirects;
    }

    /** A request with any method, such as {@code of("PATCH", "/clear")}. */
    public static Request of(String method, String path) {
        return new Request(checkMethod(method), checkPath(path), null, Map.of(), null, false);
    }

    public static Request get(String path) {
        return of("GET", path);
    }

    public static Request put(String path, String body) {
        return of("PUT", path).withBody(body);
    }

    public static Request post(String path, String body) {
        return of("POST", path).withBody(body);
    }

    public static Request delete(String path) {
        return of("DELETE", path);
    }

    /** This request with a body (sent as UTF-8), or without one when {@code body} is null. */
    public Request withBody(String body) {
        return new Request(method, path, body, headers, timeout, followRedirects);
    }

    /** This request with a header added (or replaced); Host, Content-Length and the like are the client's. */
    public Request withHeader(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (CLIENT_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("the HTTP client sets the " + name + " header itself");
        }
        Map<String, String> copy = new LinkedHashMap<>();
        headers.forEach((k, v) -> {
            if (!k.equalsIgnoreCase(name)) {
                copy.put(k, v);
            }
        });
        copy.put(name, value);
        return new Request(method, path, body, Map.copyOf(copy), timeout, followRedirects);
    }

    /** This request with its own timeout for each exchange (overrides the stage's). */
    public Request withTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        return new Request(method, path, body, headers, timeout, followRedirects);
    }

    /**
     * This request following redirects (at most 5), and only to a node's {@code ADDR}:
     * the {@code Location}'s host and port are matched against the nodes' addresses and the
     * request goes to that node's URI. Off by default.
     */
    public Request withFollowRedirects(boolean follow) {
        return new Request(method, path, body, headers, timeout, follow);
    }

    public String method() {
        return method;
    }

    /** The path and query, exactly as they are sent. */
    public String path() {
        return path;
    }

    /** The body, or null when there is none. */
    public String body() {
        return body;
    }

    /** Headers set on this request (not those the client adds). */
    public Map<String, String> headers() {
        return headers;
    }

    /** The timeout of each exchange, or null to use the default of whoever sends it. */
    public Duration timeout() {
        return timeout;
    }

    public boolean followRedirects() {
        return followRedirects;
    }

    /** True for the methods RFC 9110 calls idempotent: sending one twice has the effect of sending it once. */
    public static boolean idempotent(String method) {
        return IDEMPOTENT.contains(method);
    }

    @Override
    public String toString() {
        return method + " " + path;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Request r
                && r.method.equals(method)
                && r.path.equals(path)
                && Objects.equals(r.body, body)
                && r.headers.equals(headers)
                && Objects.equals(r.timeout, timeout)
                && r.followRedirects == followRedirects;
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, path, body, headers, timeout, followRedirects);
    }

    private static String checkMethod(String method) {
        Objects.requireNonNull(method, "method");
        boolean token = !method.isEmpty();
        for (int i = 0; i < method.length() && token; i++) {
            char c = method.charAt(i);
            token = c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
        }
        if (!token) {
            throw new IllegalArgumentException("not an HTTP method: \"" + method + "\"");
        }
        return method;
    }

    /** Whether the path has only letters, digits and {@code - . _ ~ /}: a valid request target without parsing it. */
    private static boolean plain(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "-._~/".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String checkPath(String path) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /, was \"" + path + "\"");
        }
        if (plain(path)) {
            return path;
        }
        try {
            URI uri = new URI("http://node" + path);
            if (uri.getRawFragment() != null) {
                throw new IllegalArgumentException("path must not contain a fragment (#), was \"" + path + "\"");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "path is not a valid request target (percent-encode it, " + "e.g. a space as %20): \"" + path
                            + "\": " + e.getReason(),
                    e);
        }
        return path;
    }
}
