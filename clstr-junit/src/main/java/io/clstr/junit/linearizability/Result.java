package io.clstr.junit.linearizability;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A check's verdict; for a violation, the smallest failing part of the history (the shortest
 * failing prefix of the smallest failing partition, operations still running at the cut shown open)
 * and the longest partial linearization found in it. The failing part is shrunk the first time it
 * or the partial linearization is asked for, not by the check itself.
 */
public final class Result<I, O> {

    /** A violation's evidence: the failing part and the longest partial linearization found in it. */
    record Evidence<I, O>(List<Operation<I, O>> failingPart, List<Operation<I, O>> partial) {}

    /** {@link #undecided()} when the search outgrew its memo, the memory it may use. */
    public static final String MEMO_FULL = "memo limit reached";

    private final Verdict verdict;
    private final long elapsedNanos;
    private final Supplier<Evidence<I, O>> shrink;
    /** Why there is no verdict (UNKNOWN only): "time limit reached", "memo limit reached"... */
    private final String undecided;

    private Evidence<I, O> evidence;

    private Result(Verdict verdict, long elapsedNanos, Supplier<Evidence<I, O>> shrink, String undecided) {
        this.verdict = verdict;
        this.elapsedNanos = elapsedNanos;
        this.shrink = shrink;
        this.undecided = undecided;
    }

    /** A linearizable verdict, reached in {@code elapsedNanos}. */
    static <I, O> Result<I, O> linearizable(long elapsedNanos) {
        return new Result<>(Verdict.LINEARIZABLE, elapsedNanos, new NoEvidence<>(), "");
    }

    /** No verdict, after {@code elapsedNanos}, for the reason {@code why} (as the report shows it). */
    static <I, O> Result<I, O> unknown(long elapsedNanos, String why) {
        return new Result<>(Verdict.UNKNOWN, elapsedNanos, new NoEvidence<>(), why);
    }

    /** A violation found in {@code elapsedNanos}, whose evidence {@code shrink} computes when first asked for. */
    static <I, O> Result<I, O> violation(long elapsedNanos, Supplier<Evidence<I, O>> shrink) {
        return new Result<>(Verdict.NOT_LINEARIZABLE, elapsedNanos, shrink, "");
    }

    /**
     * Why there is no verdict, for an UNKNOWN one ("time limit reached", "memo limit reached",
     * "interrupted"); empty for a violation.
     */
    public String undecided() {
        return undecided;
    }

    /** No evidence (a class, not a method reference: no bootstrap on a cold start). */
    private static final class NoEvidence<I, O> implements Supplier<Evidence<I, O>> {
        @Override
        public Evidence<I, O> get() {
            return new Evidence<>(List.of(), List.of());
        }
    }

    /** The verdict. */
    public Verdict verdict() {
        return verdict;
    }

    /** How long the check took to reach its verdict (shrinking excluded). */
    public long elapsedNanos() {
        return elapsedNanos;
    }

    /** For a violation, the smallest failing part found; empty otherwise. */
    public List<Operation<I, O>> failingPart() {
        return evidence().failingPart();
    }

    /** For a violation, the longest partial linearization of the failing part; empty otherwise. */
    public List<Operation<I, O>> longestPartialLinearization() {
        return evidence().partial();
    }

    private synchronized Evidence<I, O> evidence() {
        if (evidence == null) {
            evidence = shrink.get();
        }
        return evidence;
    }

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
            out.append(": ").append(undecided).append(", nothing proven");
        }
        if (verdict == Verdict.NOT_LINEARIZABLE) {
            List<Operation<I, O>> part = failingPart();
            out.append("\nsmallest failing part: ")
                    .append(part.size())
                    .append(" operations called from ")
                    .append(ms(
                            part.stream().mapToLong(Operation::callNanos).min().orElse(0)))
                    .append(" to ")
                    .append(ms(
                            part.stream().mapToLong(Operation::callNanos).max().orElse(0)))
                    .append("; no order of them explains every result");
            List<Operation<I, O>> ordered = longestPartialLinearization();
            out.append("\nlongest partial linearization: ")
                    .append(ordered.size())
                    .append(" operations");
            if (ordered.size() > SHOWN) {
                out.append(", the last ").append(SHOWN);
            }
            out.append(":\n")
                    .append(lines(model, ordered.subList(Math.max(0, ordered.size() - SHOWN), ordered.size())));
            int left = part.size() - ordered.size();
            out.append("\nnone of the remaining ")
                    .append(left)
                    .append(" could come next; the first by call time:\n")
                    .append(lines(model, stuck()));
        }
        return out.toString();
    }

    /**
     * For a violation, the first operations (by call time, at most {@value #SHOWN}) of the failing
     * part that the longest partial linearization does not hold: none of them could come next, so
     * one of them is where what clients saw stops making sense. Empty otherwise.
     */
    public List<Operation<I, O>> stuck() {
        Set<Operation<I, O>> placed = new HashSet<>(longestPartialLinearization());
        return failingPart().stream()
                .filter(op -> !placed.contains(op))
                .sorted(Comparator.comparingLong(Operation::callNanos))
                .limit(SHOWN)
                .toList();
    }

    private static <I, O> String lines(Model<?, I, O> model, List<Operation<I, O>> ops) {
        return ops.stream().map(op -> "  " + line(model, op)).collect(Collectors.joining("\n"));
    }

    private static <I, O> String line(Model<?, I, O> model, Operation<I, O> op) {
        return "client " + op.clientId() + " [" + ms(op.callNanos()) + " - "
                + (op.isOpen() ? "open" : ms(op.returnNanos())) + "] " + model.describe(op.input(), op.output());
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
}
