package io.clstr.junit.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading a body that may be absent, not JSON or of the wrong type, without exceptions. */
class ResponseAccessorsTest {

    private static final FakeNode N1 = new FakeNode("n1", "127.0.0.1:1", URI.create("http://127.0.0.1:1"));

    private static Response answer(String body) {
        return Response.answered(
                N1,
                N1,
                Request.get("/x"),
                N1.uri(),
                200,
                Map.of("Content-Type", List.of("text/plain")),
                body,
                Duration.ofMillis(1));
    }

    @Test
    void jsonValuesAreReadByType() {
        Response r = answer("{\"term\": 3, \"big\": 5000000000, \"role\": \"leader\", \"leader\": null, \"x\": 1.5}");
        assertThat(r.isJson()).isTrue();
        assertThat(r.jsonLong("term")).contains(3L);
        assertThat(r.jsonLong("big")).contains(5_000_000_000L);
        assertThat(r.jsonText("role")).contains("leader");
        assertThat(r.jsonText("leader")).isEmpty();
        assertThat(r.jsonValue("leader")).isEmpty();
        assertThat(r.jsonValue("missing")).isEmpty();
        assertThat(r.jsonLong("role")).isEmpty();
        assertThat(r.jsonLong("x")).isEmpty();
        assertThat(r.jsonText("term")).isEmpty();
    }

    @Test
    void aBodyThatIsNotJsonIsEmptyEverywhere() {
        Response r = answer("not json");
        assertThat(r.isJson()).isFalse();
        assertThat(r.jsonValue("term")).isEmpty();
        assertThat(r.jsonLong("term")).isEmpty();
        assertThatThrownBy(() -> r.json("term")).hasMessageContaining("body is not JSON");
    }

    @Test
    void noAnswerIsNotJson() {
        Response r = Response.failed(
                N1, N1, Request.get("/x"), N1.uri(), Duration.ofMillis(500), Response.NoAnswer.TIMED_OUT, "timed out");
        assertThat(r.isJson()).isFalse();
        assertThat(r.jsonText("role")).isEmpty();
    }
}
