package io.clstr.junit.internal.check;

import io.clstr.junit.check.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the requests of a {@code concurrently} got, counted by kind: answers by status class, and
 * the ways of getting none (a connection not accepted, no answer in time, refused, closed). A
 * summary counts what it says: five operations that all got 500 are "5× 5xx", not "0 errors".
 */
final class AnswerTally {

    private final AtomicInteger[] statusClasses = new AtomicInteger[6];
    private final AtomicInteger notAccepted = new AtomicInteger();
    private final AtomicInteger timedOut = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger otherErrors = new AtomicInteger();

    AnswerTally() {
        for (int i = 0; i < statusClasses.length; i++) {
            statusClasses[i] = new AtomicInteger();
        }
    }

    void count(Response response) {
        if (response.noAnswer() == null) {
            int statusClass = response.status() / 100;
            statusClasses[statusClass >= 1 && statusClass <= 5 ? statusClass : 0].incrementAndGet();
            return;
        }
        switch (response.noAnswer()) {
            case NOT_ACCEPTED -> notAccepted.incrementAndGet();
            case TIMED_OUT -> timedOut.incrementAndGet();
            case REFUSED -> refused.incrementAndGet();
            default -> otherErrors.incrementAndGet();
        }
    }

    /** How many requests got no answer or an answer other than 2xx. */
    int problems() {
        int sum = notAccepted.get() + timedOut.get() + refused.get() + otherErrors.get();
        for (int i = 0; i < statusClasses.length; i++) {
            if (i != 2) {
                sum += statusClasses[i].get();
            }
        }
        return sum;
    }

    /** Whether any connection was not accepted in time. */
    boolean anyNotAccepted() {
        return notAccepted.get() > 0;
    }

    /** {@code 100 requests: 95× 2xx, 5× connection not accepted}; empty when no request was sent. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            if (statusClasses[i].get() > 0) {
                parts.add(statusClasses[i].get() + "× " + i + "xx");
            }
        }
        add(parts, statusClasses[0].get(), "other status");
        add(parts, notAccepted.get(), Http.CONNECT_TIMEOUT);
        add(parts, timedOut.get(), Http.NO_ANSWER + " in time");
        add(parts, refused.get(), "connection refused");
        add(parts, otherErrors.get(), "other network error");
        int total = problems() + statusClasses[2].get();
        return total == 0 ? "" : total + (total == 1 ? " request: " : " requests: ") + String.join(", ", parts);
    }

    private static void add(List<String> parts, int count, String what) {
        if (count > 0) {
            parts.add(count + "× " + what);
        }
    }
}
