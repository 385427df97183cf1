package io.clstr.junit;

import java.util.List;

/**
 * Something the user must fix before a stage can run: bad configuration, a missing
 * {@code run} command, no free ports, no Docker engine. The CLI exits with 2.
 *
 * <p>The message is one line saying what to fix; {@link #detail()} holds optional
 * lines that help (never a stack trace).
 */
public class SetupException extends RuntimeException {
    private final List<String> detail;

    public SetupException(String message) {
        this(message, List.of(), null);
    }

    public SetupException(String message, List<String> detail, Throwable cause) {
        super(message, cause);
        this.detail = List.copyOf(detail);
    }

    /** Lines shown under the message, such as the tail of a log; may be empty. */
    public List<String> detail() {
        return detail;
    }
}
