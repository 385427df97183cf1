package io.clstr.junit.internal.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EngineErrorsTest {

    @Test
    void unwrapsTheEnginesMessage() {
        assertThat(EngineErrors.message("Status 409: {\"message\":\"Conflict. The container name \\\"/x\\\" is"
                        + " already in use\"}\n"))
                .isEqualTo("Conflict. The container name \"/x\" is already in use");
        assertThat(EngineErrors.message("plain failure\nsecond line")).isEqualTo("plain failure");
        assertThat(EngineErrors.message(new IllegalStateException())).isEqualTo("IllegalStateException");
    }
}
