package io.clstr.queue;

import io.clstr.junit.check.Failure;
import io.clstr.junit.check.Poll;
import io.clstr.junit.queue.QueueOutput.Delivery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The timing of one in-flight message: hidden, for certain, until the receive that delivered it
 * was called plus its visibility timeout ("never early", measured from the invoke time), and
 * visible again within an allowance after that ("late"). Polls with receives of one message.
 */
final class Redelivery {

    private static final Duration POLL = Duration.ofMillis(150);

    /** How close to the deadline the "never early" sampling stops, so that no poll straddles it. */
    private static final Duration MARGIN = Duration.ofMillis(300);

    private Redelivery() {}

    /**
     * Checks that {@code body}, delivered by a receive called at {@code invokedNanos} (from
     * {@link System#nanoTime()}) and hidden until then plus {@code hidden}, is not delivered again
     * before that deadline and is delivered again within {@code late} after it; returns the new
     * delivery. {@code again} is the visibility the polling receives ask for; {@code lateCauses}
     * are the likely causes the hint gives first when the message does not come back.
     */
    static Delivery hiddenThenBack(
            QueueApi api,
            String queue,
            String body,
            long invokedNanos,
            Duration hidden,
            Duration late,
            Duration again,
            String... lateCauses) {
        long deadline = invokedNanos + hidden.toNanos();
        Delivery[] back = {null};
        long window = deadline - MARGIN.toNanos() - System.nanoTime();
        if (window > 0) {
            Poll.every(POLL).sample(Duration.ofNanos(window), () -> {
                if (back[0] != null) {
                    return;
                }
                List<Delivery> got = api.receive(queue, 1, again, "POST /queues/{q}/receive must answer 200.");
                long returned = System.nanoTime();
                if (got.isEmpty()) {
                    return;
                }
                if (returned < deadline || !got.get(0).body().equals(body)) {
                    throw early(queue, body, hidden, invokedNanos, returned, got);
                }
                back[0] = got.get(0);
            });
        }
        if (back[0] != null) {
            return back[0];
        }
        Poll.Outcome<List<Delivery>> outcome = Poll.every(POLL)
                .eventually(
                        Duration.ofNanos(Math.max(0, deadline + late.toNanos() - System.nanoTime())),
                        () -> api.receive(queue, 1, again, "POST /queues/{q}/receive must answer 200."),
                        got -> !got.isEmpty());
        List<Delivery> got = outcome.last();
        if (!outcome.held() || !got.get(0).body().equals(body)) {
            throw Failure.of("POST /queues/" + queue + "/receive?max=1 every " + POLL.toMillis() + " ms until "
                            + seconds(hidden.plus(late)) + " after the first delivery")
                    .expected("\"" + body + "\" back once its visibility timeout (" + seconds(hidden)
                            + ") ran out, within " + seconds(late))
                    .found(outcome.held() ? got.toString() : "nothing: it stayed hidden")
                    .hint(
                            "An in-flight message whose visibility timeout ran out must be visible again.",
                            causes(lateCauses))
                    .error();
        }
        return got.get(0);
    }

    private static String[] causes(String... first) {
        List<String> causes = new ArrayList<>(List.of(first));
        causes.add("Use the visibility the receive asked for (?visibility=N, in seconds), not a default.");
        causes.add("Make expired messages visible: check deadlines on every receive, or with a timer.");
        return causes.toArray(String[]::new);
    }

    private static AssertionError early(
            String queue, String body, Duration hidden, long invoked, long returned, List<Delivery> got) {
        return Failure.of("POST /queues/" + queue + "/receive?max=1 while \"" + body + "\" was in flight")
                .expected("[] until " + seconds(hidden) + " after the receive that delivered \"" + body + "\"")
                .found(got + " after " + seconds(Duration.ofNanos(returned - invoked)))
                .hint(
                        "A message came back before its visibility timeout ran out.",
                        "The deadline is the delivery time plus ?visibility= seconds: check the unit.",
                        "Skip in-flight messages when you look for visible ones.")
                .error();
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
