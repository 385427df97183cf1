package io.clstr.cli;

import static org.assertj.core.api.Assertions.assertThat;

/** The assertion every error case shares: a one-line reason first, exit code, and no stack trace. */
final class NoStackTrace {

    private NoStackTrace() {}

    static void assertClean(Cli.Result result) {
        assertThat(result.all()).doesNotContain("\tat ", "at io.", "at java.", "Exception", "Caused by");
    }
}
