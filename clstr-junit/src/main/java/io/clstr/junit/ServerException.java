package io.clstr.junit;

import java.util.List;

/**
 * The learner's server failed outside a check: its build command failed, a node
 * never became healthy, or a node died. The CLI exits with 1.
 *
 * <p>The message is one line saying what happened and what to look at;
 * {@link #detail()} holds the tail of the build output or of the node's log.
 */
public class ServerException extends RuntimeException {
    private final List<String> detail;

    public ServerException(String message, List<String> detail) {
        this(message, detail, null);
    }

    public ServerException(String message, List<String> detail, Throwable cause) {
        super(message, cause);
        this.detail = List.copyOf(detail);
    }

    /** The tail of the relevant output, oldest line first; may be empty. */
    public List<String> detail() {
        return detail;
    }
}
