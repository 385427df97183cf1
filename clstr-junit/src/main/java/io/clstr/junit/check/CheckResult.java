package io.clstr.junit.check;

import io.clstr.junit.Node;
import java.util.List;
import java.util.stream.Collectors;

/** What a passed check saw in its deciding attempt. */
public final class CheckResult {

    private final List<Response> responses;
    private final List<Response> passing;
    private final int attempts;

    CheckResult(Attempt attempt, int attempts) {
        this.responses = attempt.responses();
        this.passing = attempt.passing();
        this.attempts = attempts;
    }

    /** Every node's answer, in node order. */
    public List<Response> responses() {
        return responses;
    }

    /** The answers that met every expectation. */
    public List<Response> passing() {
        return passing;
    }

    /** The one node that met the expectations, as with {@code exactlyOne()} or {@code node(n)}. */
    public Node node() {
        return response().node();
    }

    /** The one answer that met the expectations. */
    public Response response() {
        if (passing.size() != 1) {
            throw new IllegalStateException("expected exactly one passing node but " + passing.size() + " passed"
                    + (passing.isEmpty()
                            ? ""
                            : " (" + passing.stream().map(r -> r.node().name()).collect(Collectors.joining(", ")) + ")")
                    + "; use passing()");
        }
        return passing.get(0);
    }

    /** How many attempts the check made (1 unless eventually or consistently). */
    public int attempts() {
        return attempts;
    }

    @Override
    public String toString() {
        return responses.stream().map(Response::toString).collect(Collectors.joining("\n"));
    }
}
