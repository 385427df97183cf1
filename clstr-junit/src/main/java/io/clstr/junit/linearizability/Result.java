package io.clstr.junit.linearizability;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A check's verdict; for a violation, the smallest failing part of the history (the shortest
 * failing prefix of the smallest failing partition, operations still running at the cut shown open)
 * and the longest partial linearization found in it.
 */
public record Result<I, O>(
    Verdict verdict,
    List<Operation<I, O>> failingPart,
    List<Operation<I, O>> longestPartialLinearization,
    long elapsedNanos) {

  /** Whether the history was shown linearizable (UNKNOWN is not). */
  public boolean isLinearizable() {
    return verdict == Verdict.LINEARIZABLE;
  }

  /** A multi-line report of the verdict and, for a violation, its evidence. */
  public String report(Model<?, I, O> model) {
    StringBuilder out = new StringBuilder(verdict.toString());
    out.append(String.format(" (%.1f ms)", elapsedNanos / 1e6));
    if (verdict == Verdict.UNKNOWN) {
      out.append(": time limit reached, nothing proven");
    }
    if (verdict == Verdict.NOT_LINEARIZABLE) {
      out.append("\nsmallest failing part (").append(failingPart.size()).append(" operations):\n");
      out.append(failingPart.stream().map(op -> "  " + line(model, op)).collect(Collectors.joining("\n")));
      out.append("\nlongest partial linearization (").append(longestPartialLinearization.size())
          .append(" operations):\n");
      out.append(longestPartialLinearization.stream().map(op -> "  " + line(model, op))
          .collect(Collectors.joining("\n")));
    }
    return out.toString();
  }

  private static <I, O> String line(Model<?, I, O> model, Operation<I, O> op) {
    String ret = op.isOpen() ? "open" : Long.toString(op.returnNanos());
    return "client " + op.clientId() + " [" + op.callNanos() + ", " + ret + "] "
        + model.describe(op.input(), op.output());
  }
}
