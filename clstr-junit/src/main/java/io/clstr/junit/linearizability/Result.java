package io.clstr.junit.linearizability;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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

  /** How many operations the report shows at the end of the partial linearization, and after it. */
  static final int SHOWN = 8;

  /**
   * A multi-line report of the verdict and, for a violation, its evidence: the size and time span
   * of the smallest failing part, the last operations the checker could order, and the first
   * operations (by call time) of which none could come next. Times are milliseconds since the
   * history started.
   */
  public String report(Model<?, I, O> model) {
    StringBuilder out = new StringBuilder(verdict.toString());
    out.append(String.format(Locale.ROOT, " (%.1f ms)", elapsedNanos / 1e6));
    if (verdict == Verdict.UNKNOWN) {
      out.append(": time limit reached, nothing proven");
    }
    if (verdict == Verdict.NOT_LINEARIZABLE) {
      out.append("\nsmallest failing part: ").append(failingPart.size()).append(" operations called from ")
          .append(ms(failingPart.stream().mapToLong(Operation::callNanos).min().orElse(0))).append(" to ")
          .append(ms(failingPart.stream().mapToLong(Operation::callNanos).max().orElse(0)))
          .append("; no order of them explains every result");
      List<Operation<I, O>> ordered = longestPartialLinearization;
      out.append("\nlongest partial linearization: ").append(ordered.size()).append(" operations");
      if (ordered.size() > SHOWN) {
        out.append(", the last ").append(SHOWN);
      }
      out.append(":\n").append(lines(model, ordered.subList(Math.max(0, ordered.size() - SHOWN), ordered.size())));
      Set<Operation<I, O>> placed = new HashSet<>(ordered);
      List<Operation<I, O>> left = failingPart.stream().filter(op -> !placed.contains(op))
          .sorted(Comparator.comparingLong(Operation::callNanos)).toList();
      out.append("\nnone of the remaining ").append(left.size()).append(" could come next; the first by call time:\n")
          .append(lines(model, left.subList(0, Math.min(SHOWN, left.size()))));
    }
    return out.toString();
  }

  private static <I, O> String lines(Model<?, I, O> model, List<Operation<I, O>> ops) {
    return ops.stream().map(op -> "  " + line(model, op)).collect(Collectors.joining("\n"));
  }

  private static <I, O> String line(Model<?, I, O> model, Operation<I, O> op) {
    return "client " + op.clientId() + " [" + ms(op.callNanos()) + " - " + (op.isOpen() ? "open" : ms(op.returnNanos()))
        + "] " + model.describe(op.input(), op.output());
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
  }
}
