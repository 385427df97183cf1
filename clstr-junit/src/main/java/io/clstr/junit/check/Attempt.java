package io.clstr.junit.check;

import java.util.ArrayList;
import java.util.List;

/** One round of a check: the answers of every requested node, judged against the expectations. */
record Attempt(List<Verdict> verdicts, boolean passed) {

    /** One node's answer and the expectations it failed (none when it met them all). */
    record Verdict(Response response, List<String> failed) {
        boolean met() {
            return response.error() == null && failed.isEmpty();
        }
    }

    static Attempt judge(Selector selector, List<Expectation> expectations, List<Response> responses) {
        List<Verdict> verdicts = new ArrayList<>();
        int met = 0;
        for (Response r : responses) {
            List<String> failed = new ArrayList<>();
            if (r.error() == null) {
                for (Expectation e : expectations) {
                    String mismatch = e.mismatch(r);
                    if (mismatch != null) {
                        failed.add(mismatch);
                    }
                }
            }
            Verdict v = new Verdict(r, List.copyOf(failed));
            verdicts.add(v);
            met += v.met() ? 1 : 0;
        }
        return new Attempt(List.copyOf(verdicts), selector.accepts(met, responses.size()));
    }

    List<Response> responses() {
        return verdicts.stream().map(Verdict::response).toList();
    }

    List<Response> passing() {
        return verdicts.stream().filter(Verdict::met).map(Verdict::response).toList();
    }
}
