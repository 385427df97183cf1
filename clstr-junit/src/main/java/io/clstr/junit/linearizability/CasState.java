package io.clstr.junit.linearizability;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The states one key of {@link Models#casRegister()} may be in. A write whose answer was lost
 * leaves its new revision unknown (only known to be higher); a swap on such a revision may or may
 * not have matched: the model keeps every state the history allows, and an operation is illegal
 * when it fits none of them.
 */
record CasState(Set<Candidate> possible) {

    /**
     * One possible state of a key.
     *
     * @param value    its value, null when absent
     * @param revision its revision when {@code exact}; otherwise a bound its revision is above
     * @param exact    whether the revision is known
     */
    record Candidate(String value, long revision, boolean exact) {}

    static final CasState INITIAL = new CasState(Set.of(new Candidate(null, 0, true)));

    /** The states after {@code in} with output {@code out} (null: unknown), or null when none fits. */
    CasState step(CasInput in, CasOutput out) {
        Set<Candidate> next = new HashSet<>();
        for (Candidate c : possible) {
            next.addAll(successors(c, in, out));
        }
        return next.isEmpty() ? null : new CasState(Set.copyOf(next));
    }

    private static List<Candidate> successors(Candidate c, CasInput in, CasOutput out) {
        List<Candidate> next = new ArrayList<>(2);
        switch (in.kind()) {
            case READ -> {
                if (out == null) {
                    next.add(c);
                } else if (out.applied() && same(out.value(), c.value())) {
                    if (out.revision() < 0) {
                        next.add(c);
                    } else if (c.exact() ? out.revision() == c.revision() : out.revision() > c.revision()) {
                        next.add(new Candidate(c.value(), out.revision(), true));
                    }
                }
            }
            case WRITE -> written(c, in.value(), out, next);
            case DELETE -> written(c, null, out, next);
            case CREATE -> {
                boolean absent = c.value() == null;
                if (out == null) {
                    next.add(absent ? new Candidate(in.value(), c.revision(), false) : c);
                } else if (out.applied() && absent) {
                    written(c, in.value(), out, next);
                } else if (!out.applied() && !absent) {
                    next.add(c);
                }
            }
            case SWAP -> {
                // an absent key never matches; an unknown revision may or may not be the expected one
                boolean present = c.value() != null;
                boolean mayMatch =
                        present && (c.exact() ? c.revision() == in.expected() : in.expected() > c.revision());
                boolean mayMiss = !present || !c.exact() || c.revision() != in.expected();
                if (out == null) {
                    if (mayMatch) {
                        next.add(new Candidate(in.value(), in.expected(), false));
                    }
                    if (mayMiss) {
                        next.add(c);
                    }
                } else if (out.applied()) {
                    if (mayMatch && (out.revision() < 0 || out.revision() > in.expected())) {
                        next.add(new Candidate(
                                in.value(), out.revision() < 0 ? in.expected() : out.revision(), out.revision() >= 0));
                    }
                } else if (mayMiss) {
                    next.add(c);
                }
            }
        }
        return next;
    }

    /** An unconditional write of {@code value} (null: a delete). */
    private static void written(Candidate c, String value, CasOutput out, List<Candidate> next) {
        if (out == null) {
            next.add(new Candidate(value, c.revision(), false));
        } else if (out.applied()) {
            if (out.revision() < 0) {
                next.add(new Candidate(value, c.revision(), false));
            } else if (out.revision() > c.revision()) {
                next.add(new Candidate(value, out.revision(), true));
            }
        }
    }

    private static boolean same(String a, String b) {
        return a == null ? b == null : a.equals(b);
    }
}
