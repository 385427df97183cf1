package io.clstr.junit.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestTest {

    @Test
    void factories() {
        assertThat(Request.get("/kv/a")).hasToString("GET /kv/a");
        assertThat(Request.put("/kv/a", "1").body()).isEqualTo("1");
        assertThat(Request.post("/q", "m").method()).isEqualTo("POST");
        assertThat(Request.delete("/kv/a").body()).isNull();
        assertThat(Request.of("PATCH", "/clear").method()).isEqualTo("PATCH");
    }

    @Test
    void withersReturnNewRequests() {
        Request base = Request.get("/kv/a");
        Request changed = base.withHeader("Accept", "text/plain")
                .withTimeout(Duration.ofMillis(500))
                .withFollowRedirects(true)
                .withBody("x");
        assertThat(base.headers()).isEmpty();
        assertThat(base.timeout()).isNull();
        assertThat(base.followRedirects()).isFalse();
        assertThat(changed.headers()).isEqualTo(Map.of("Accept", "text/plain"));
        assertThat(changed.timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(changed.followRedirects()).isTrue();
        assertThat(changed.withHeader("accept", "application/json").headers())
                .isEqualTo(Map.of("accept", "application/json"));
        assertThat(Request.get("/a")).isEqualTo(Request.get("/a")).hasSameHashCodeAs(Request.get("/a"));
    }

    @Test
    void pathsOfPlainCharactersAndOthersAreCheckedAlike() {
        assertThat(Request.get("/kv/a-b_c.d~e/F9").path()).isEqualTo("/kv/a-b_c.d~e/F9");
        assertThat(Request.get("/kv/x?y=1&z=%2F").path()).isEqualTo("/kv/x?y=1&z=%2F");
        assertThatThrownBy(() -> Request.get("/kv/%zz")).hasMessageStartingWith("path is not a valid request target");
        assertThatThrownBy(() -> Request.get("/kv/a\\b")).hasMessageStartingWith("path is not a valid request target");
        assertThatThrownBy(() -> Request.of("PÄTCH", "/")).hasMessage("not an HTTP method: \"PÄTCH\"");
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> Request.of("GET /x", "/")).hasMessage("not an HTTP method: \"GET /x\"");
        assertThatThrownBy(() -> Request.of("", "/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Request.get("/").withTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Request.get("/").withHeader("content-length", "3"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
