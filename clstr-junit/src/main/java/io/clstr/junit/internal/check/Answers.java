package io.clstr.junit.internal.check;

import io.clstr.junit.check.Request;
import io.clstr.junit.check.Response;
import io.clstr.junit.internal.Deadline;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Waits for the answers of requests sent at once, in the order they were sent. */
public final class Answers {

    private Answers() {}

    /**
     * Every answer, in order. The HTTP client turns network errors into responses, so this only
     * throws when sending itself failed, or (by the interrupt rule of {@link Deadline}) when
     * interrupted, after cancelling what is still in flight.
     */
    public static List<Response> join(List<CompletableFuture<Response>> answers, Request sent) {
        List<Response> responses = new ArrayList<>(answers.size());
        try {
            for (CompletableFuture<Response> answer : answers) {
                responses.add(answer.get());
            }
        } catch (InterruptedException e) {
            answers.forEach(a -> a.cancel(true));
            throw Deadline.interrupted("the answers to " + sent);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("sending " + sent + " failed", e.getCause());
        }
        return responses;
    }
}
