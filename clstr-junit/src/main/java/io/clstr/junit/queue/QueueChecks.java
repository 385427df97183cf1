package io.clstr.junit.queue;

import io.clstr.junit.history.Completion;
import io.clstr.junit.history.Entry;
import io.clstr.junit.history.HistoryCheck;
import io.clstr.junit.history.Violation;
import io.clstr.junit.queue.QueueInput.ChangeVisibility;
import io.clstr.junit.queue.QueueInput.Delete;
import io.clstr.junit.queue.QueueInput.Receive;
import io.clstr.junit.queue.QueueInput.Send;
import io.clstr.junit.queue.QueueOutput.Delivery;
import io.clstr.junit.queue.QueueOutput.Received;
import io.clstr.junit.queue.QueueOutput.Sent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The properties of at-least-once delivery with exclusive visibility leases (spec/queue.md), each
 * a {@link HistoryCheck} over a recorded queue history. Messages are told apart by body. Times are
 * those the harness saw: what the server did happened somewhere between an operation's call and
 * its return, so a check only reports what is certain from those bounds.
 *
 * <pre>{@code
 * cluster.assertHolds(history, QueueChecks.noLoss().and(QueueChecks.noResurrection()),
 *         "A message was lost or came back after its delete.",
 *         "Sync the log before answering a send or a delete.");
 * }</pre>
 */
public final class QueueChecks {

    /**
     * What the server's clock may be ahead of the harness's at a deadline: deadlines kept in whole
     * milliseconds of the wall clock, against the harness's nanosecond monotonic clock.
     */
    static final Duration CLOCK_GRANULARITY = Duration.ofMillis(5);

    private QueueChecks() {}

    /**
     * No loss: every send that ended {@code ok} was delivered by some receive (sends that ended
     * {@code info} may or may not be). End the workload with a drain that outlasts every
     * visibility timeout.
     */
    public static HistoryCheck<QueueInput, QueueOutput> noLoss() {
        return entries -> noLoss(Facts.of(entries));
    }

    /**
     * Nothing unexpected: every delivered message was sent by a send that ended {@code ok} or
     * {@code info}; a send refused with a 4xx certainly did not happen.
     */
    public static HistoryCheck<QueueInput, QueueOutput> noUnexpected() {
        return entries -> noUnexpected(Facts.of(entries));
    }

    /**
     * Exactly once: every message sent with an {@code ok} send was delivered once, no more and no
     * less. For workloads in which no visibility timeout runs out (consumers delete at once) or
     * every send carries a dedup id.
     */
    public static HistoryCheck<QueueInput, QueueOutput> exactlyOnce() {
        return entries -> exactlyOnce(Facts.of(entries));
    }

    /**
     * Exclusive delivery: while a receipt is certainly valid, no other receive returns its message.
     * A delivery made by a receive called at {@code c} and returned at {@code r} with visibility
     * {@code v} certainly hides the message from {@code r} until {@code c + v}; a visibility change
     * on the receipt that ended {@code ok} moves that end to its own call time plus the new
     * timeout, one that may have happened can only bring it closer. Another receive that both
     * started and ended inside that window and returned the message is a violation.
     */
    public static HistoryCheck<QueueInput, QueueOutput> exclusiveDelivery() {
        return entries -> exclusiveDelivery(Facts.of(entries));
    }

    /** No resurrection: after a delete returned 200, no receive called later returns that message. */
    public static HistoryCheck<QueueInput, QueueOutput> noResurrection() {
        return entries -> noResurrection(Facts.of(entries));
    }

    /**
     * FIFO first delivery: of two messages one client sent to a queue one after the other (both
     * sends {@code ok}), the later one is not delivered for the first time before the earlier one
     * is: certainly so when the receive that first returned the later message ended before the
     * one that first returned the earlier message started, and no receive that got no answer
     * (which may have delivered the earlier one, unseen) was called in between; or when one batch
     * returns them in the wrong order.
     */
    public static HistoryCheck<QueueInput, QueueOutput> fifoFirstDelivery() {
        return entries -> fifoFirstDelivery(Facts.of(entries));
    }

    /**
     * Per-group order: the messages of one group (the {@code group} of their sends) are first
     * delivered in the order the queue took them (their ids), whoever sent them; certainly out
     * of order is reported as {@link #fifoFirstDelivery()} does.
     */
    public static HistoryCheck<QueueInput, QueueOutput> perGroupOrder() {
        return entries -> perGroupOrder(Facts.of(entries));
    }

    /**
     * Group exclusivity: while one message of a group is certainly in flight (from the return of
     * the receive that delivered it to the end of its lease, or to the call of the delete that
     * ended it), no receive that started and ended inside that window returns another message of
     * the group.
     */
    public static HistoryCheck<QueueInput, QueueOutput> groupExclusivity() {
        return entries -> groupExclusivity(Facts.of(entries));
    }

    /**
     * Dead-letter conservation: each message is in exactly one queue. A message deleted (200)
     * from one queue is never delivered from another afterwards, and a message moved aside is
     * delivered from its dead-letter queue under one id only (moved once).
     */
    public static HistoryCheck<QueueInput, QueueOutput> deadLetterConservation() {
        return entries -> deadLetterConservation(Facts.of(entries));
    }

    /**
     * One message per dedup id: sends to a queue with the same dedup id, the later one ended before
     * {@code window} had passed since the first one was called (so certainly inside the window,
     * however the server timed it), got the same id; and the messages delivered for one dedup id
     * all have one id.
     */
    public static HistoryCheck<QueueInput, QueueOutput> oneMessagePerDedupId(Duration window) {
        return entries -> oneMessagePerDedupId(Facts.of(entries), window);
    }

    private static List<Violation> noLoss(Facts facts) {
        List<Violation> found = new ArrayList<>();
        for (Entry<QueueInput, QueueOutput> send : facts.okSends.values()) {
            String body = ((Send) send.input()).body();
            if (!facts.firstDelivery.containsKey(body)) {
                found.add(new Violation(
                        "no loss",
                        "\"" + body + "\" was sent (" + op(send) + " → " + send.output() + ") and never delivered",
                        List.of(send.id())));
            }
        }
        return found;
    }

    private static List<Violation> noUnexpected(Facts facts) {
        List<Violation> found = new ArrayList<>();
        facts.firstDelivery.forEach((body, receive) -> {
            if (!facts.possibleSends.containsKey(body)) {
                Entry<QueueInput, QueueOutput> failed = facts.failedSends.get(body);
                found.add(new Violation(
                        "nothing unexpected",
                        "\"" + body + "\" was delivered by " + op(receive)
                                + (failed == null ? " but never sent" : " but its send " + op(failed) + " was refused"),
                        failed == null ? List.of(receive.id()) : List.of(failed.id(), receive.id())));
            }
        });
        return found;
    }

    private static List<Violation> exactlyOnce(Facts facts) {
        List<Violation> found = new ArrayList<>();
        for (Entry<QueueInput, QueueOutput> send : facts.okSends.values()) {
            String body = ((Send) send.input()).body();
            List<Entry<QueueInput, QueueOutput>> receives = facts.deliveries.getOrDefault(body, List.of());
            if (receives.size() != 1) {
                List<Integer> ids = new ArrayList<>(List.of(send.id()));
                receives.forEach(r -> ids.add(r.id()));
                found.add(new Violation(
                        "exactly once",
                        "\"" + body + "\" (" + op(send) + ") was delivered "
                                + (receives.isEmpty() ? "never" : receives.size() + " times: " + ops(receives)),
                        ids));
            }
        }
        return found;
    }

    private static List<Violation> exclusiveDelivery(Facts facts) {
        List<Violation> found = new ArrayList<>();
        for (Map.Entry<String, List<Entry<QueueInput, QueueOutput>>> e : facts.deliveries.entrySet()) {
            String body = e.getKey();
            List<Entry<QueueInput, QueueOutput>> receives = e.getValue();
            for (Entry<QueueInput, QueueOutput> first : receives) {
                Delivery delivery = deliveriesOf(first, body).get(0);
                long start = first.returnNanos();
                long end = leaseEnd(first, delivery.receipt(), facts) - CLOCK_GRANULARITY.toNanos();
                for (Entry<QueueInput, QueueOutput> other : receives) {
                    if (other != first && other.callNanos() >= start && other.returnNanos() <= end) {
                        found.add(new Violation(
                                "exclusive delivery",
                                String.format(
                                        Locale.ROOT,
                                        "\"%s\" was delivered by %s with receipt %s, hidden for certain until "
                                                + "%s, and again by %s (%s–%s) while that receipt was valid",
                                        body,
                                        op(first),
                                        delivery.receipt(),
                                        at(end),
                                        op(other),
                                        at(other.callNanos()),
                                        at(other.returnNanos())),
                                List.of(first.id(), other.id())));
                    }
                }
            }
        }
        return found;
    }

    private static List<Violation> noResurrection(Facts facts) {
        List<Violation> found = new ArrayList<>();
        for (Entry<QueueInput, QueueOutput> delete : facts.okDeletes) {
            String receipt = ((Delete) delete.input()).receipt();
            String body = facts.bodyOfReceipt.get(receipt);
            if (body == null) {
                continue;
            }
            for (Entry<QueueInput, QueueOutput> receive : facts.deliveries.getOrDefault(body, List.of())) {
                if (receive.callNanos() > delete.returnNanos()) {
                    found.add(new Violation(
                            "no resurrection",
                            "\"" + body + "\" was deleted by " + op(delete) + " (answered at "
                                    + at(delete.returnNanos()) + ") and delivered again by " + op(receive)
                                    + ", called at " + at(receive.callNanos()),
                            List.of(delete.id(), receive.id())));
                    break;
                }
            }
        }
        return found;
    }

    private static List<Violation> fifoFirstDelivery(Facts facts) {
        Map<String, List<Entry<QueueInput, QueueOutput>>> byProducer = new LinkedHashMap<>();
        for (Entry<QueueInput, QueueOutput> send : facts.okSends.values()) {
            Send input = (Send) send.input();
            byProducer
                    .computeIfAbsent(send.clientId() + "/" + input.queue(), k -> new ArrayList<>())
                    .add(send);
        }
        List<Violation> found = new ArrayList<>();
        for (List<Entry<QueueInput, QueueOutput>> sends : byProducer.values()) {
            found.addAll(firstDeliveryOrder(
                    facts,
                    sends,
                    "FIFO first delivery",
                    (earlier, later) -> "client "
                            + later.clientId() + " sent \"" + body(earlier) + "\" (" + op(earlier) + ") before \""
                            + body(later) + "\" (" + op(later) + ")"));
        }
        return found;
    }

    private static List<Violation> perGroupOrder(Facts facts) {
        List<Violation> found = new ArrayList<>();
        for (List<Entry<QueueInput, QueueOutput>> sends : facts.groups().values()) {
            List<Entry<QueueInput, QueueOutput>> byId = new ArrayList<>(sends);
            byId.sort(Comparator.comparingLong(e -> ((Sent) e.output()).id()));
            found.addAll(firstDeliveryOrder(
                    facts,
                    byId,
                    "per-group order",
                    (earlier, later) -> "group "
                            + ((Send) later.input()).group() + " took \"" + body(earlier) + "\" (id "
                            + ((Sent) earlier.output()).id() + ") before \"" + body(later) + "\" (id "
                            + ((Sent) later.output()).id() + ")"));
        }
        return found;
    }

    private static List<Violation> groupExclusivity(Facts facts) {
        Map<String, String> groupOfBody = new HashMap<>();
        facts.groups().forEach((group, sends) -> sends.forEach(send -> groupOfBody.put(body(send), group)));
        Map<String, Set<Entry<QueueInput, QueueOutput>>> receivesByGroup = new LinkedHashMap<>();
        facts.deliveries.forEach((body, receives) -> {
            String group = groupOfBody.get(body);
            if (group != null) {
                receivesByGroup
                        .computeIfAbsent(group, k -> new LinkedHashSet<>())
                        .addAll(receives);
            }
        });
        List<Violation> found = new ArrayList<>();
        receivesByGroup.forEach((group, receives) -> {
            for (Entry<QueueInput, QueueOutput> first : receives) {
                for (Delivery held : ((Received) first.output()).deliveries()) {
                    if (!group.equals(groupOfBody.get(held.body()))) {
                        continue;
                    }
                    long end = Math.min(leaseEnd(first, held.receipt(), facts), facts.deleteCall(held.receipt()))
                            - CLOCK_GRANULARITY.toNanos();
                    for (Entry<QueueInput, QueueOutput> other : receives) {
                        if (other == first || other.callNanos() < first.returnNanos() || other.returnNanos() > end) {
                            continue;
                        }
                        for (Delivery d : ((Received) other.output()).deliveries()) {
                            if (group.equals(groupOfBody.get(d.body()))
                                    && !d.body().equals(held.body())) {
                                found.add(new Violation(
                                        "group exclusivity",
                                        "group " + group.substring(group.indexOf('/') + 1) + ": \"" + held.body()
                                                + "\" was in flight (" + op(first) + ", hidden for certain until "
                                                + at(end) + ") when " + op(other) + " delivered \"" + d.body()
                                                + "\" of the same group",
                                        List.of(first.id(), other.id())));
                            }
                        }
                    }
                }
            }
        });
        return found;
    }

    private static List<Violation> deadLetterConservation(Facts facts) {
        List<Violation> found = new ArrayList<>();
        for (Entry<QueueInput, QueueOutput> send : facts.okSends.values()) {
            String body = body(send);
            String source = ((Send) send.input()).queue();
            Map<Long, Entry<QueueInput, QueueOutput>> elsewhere = new LinkedHashMap<>();
            for (Entry<QueueInput, QueueOutput> r :
                    new LinkedHashSet<>(facts.deliveries.getOrDefault(body, List.of()))) {
                String queue = ((Receive) r.input()).queue();
                if (!queue.equals(source)) {
                    deliveriesOf(r, body).forEach(d -> elsewhere.putIfAbsent(d.id(), r));
                }
            }
            if (elsewhere.isEmpty()) {
                continue;
            }
            Entry<QueueInput, QueueOutput> moved = elsewhere.values().iterator().next();
            if (elsewhere.size() > 1) {
                List<Integer> ids = new ArrayList<>(List.of(send.id()));
                elsewhere.values().forEach(r -> ids.add(r.id()));
                found.add(new Violation(
                        "dead-letter conservation",
                        "\"" + body + "\" (" + op(send) + ") was moved more than once: delivered from "
                                + ((Receive) moved.input()).queue() + " under ids " + elsewhere.keySet(),
                        ids));
            }
            for (Entry<QueueInput, QueueOutput> delete : facts.okDeletes) {
                Delete input = (Delete) delete.input();
                if (input.queue().equals(source) && body.equals(facts.bodyOfReceipt.get(input.receipt()))) {
                    found.add(new Violation(
                            "dead-letter conservation",
                            "\"" + body + "\" was deleted from " + source + " by " + op(delete)
                                    + " and is also in " + ((Receive) moved.input()).queue() + " (delivered by "
                                    + op(moved) + ")",
                            List.of(delete.id(), moved.id())));
                    break;
                }
            }
        }
        return found;
    }

    private static List<Violation> oneMessagePerDedupId(Facts facts, Duration window) {
        Map<String, List<Entry<QueueInput, QueueOutput>>> byDedupId = new LinkedHashMap<>();
        for (Entry<QueueInput, QueueOutput> e : facts.entries) {
            if (e.input() instanceof Send send && send.dedupId() != null && e.completion() == Completion.OK) {
                byDedupId
                        .computeIfAbsent(send.queue() + "/" + send.dedupId(), k -> new ArrayList<>())
                        .add(e);
            }
        }
        List<Violation> found = new ArrayList<>();
        byDedupId.forEach((key, sends) -> {
            Entry<QueueInput, QueueOutput> first = sends.get(0);
            long firstId = ((Sent) first.output()).id();
            String dedupId = key.substring(key.indexOf('/') + 1);
            for (Entry<QueueInput, QueueOutput> later : sends.subList(1, sends.size())) {
                long id = ((Sent) later.output()).id();
                if (id != firstId && later.returnNanos() <= first.callNanos() + window.toNanos()) {
                    found.add(new Violation(
                            "one message per dedup id",
                            "dedup id " + dedupId + ": " + op(first) + " got id " + firstId + " and " + op(later)
                                    + ", inside the window, got id " + id,
                            List.of(first.id(), later.id())));
                }
            }
            boolean allInWindow = sends.stream().allMatch(e -> e.returnNanos() <= first.callNanos() + window.toNanos());
            Map<Long, Entry<QueueInput, QueueOutput>> deliveredIds = new LinkedHashMap<>();
            sends.stream().map(QueueChecks::body).distinct().forEach(body -> new LinkedHashSet<>(
                            facts.deliveries.getOrDefault(body, List.of()))
                    .forEach(r -> deliveriesOf(r, body).forEach(d -> deliveredIds.putIfAbsent(d.id(), r))));
            if (allInWindow && deliveredIds.size() > 1) {
                List<Integer> ids = new ArrayList<>();
                deliveredIds.values().forEach(r -> ids.add(r.id()));
                found.add(new Violation(
                        "one message per dedup id",
                        "dedup id " + dedupId + " was delivered as " + deliveredIds.size() + " messages, ids "
                                + deliveredIds.keySet(),
                        ids));
            }
        });
        return found;
    }

    /**
     * Violations of first-delivery order among {@code sends}, in the order they must be first
     * delivered: a later one certainly first delivered before an earlier one (and no unanswered
     * receive called before that delivery returned, which may have delivered the earlier one
     * unseen), or ahead of it in one batch.
     */
    private static List<Violation> firstDeliveryOrder(
            Facts facts,
            List<Entry<QueueInput, QueueOutput>> sends,
            String property,
            java.util.function.BiFunction<Entry<QueueInput, QueueOutput>, Entry<QueueInput, QueueOutput>, String>
                    ordered) {
        List<Violation> found = new ArrayList<>();
        Entry<QueueInput, QueueOutput> latest = null; // the earlier send first delivered last
        for (Entry<QueueInput, QueueOutput> send : sends) {
            Entry<QueueInput, QueueOutput> receive = facts.firstDelivery.get(body(send));
            if (receive == null) {
                continue;
            }
            if (latest != null) {
                Entry<QueueInput, QueueOutput> earlier = facts.firstDelivery.get(body(latest));
                boolean before = receive.returnNanos() < earlier.callNanos()
                        // an unanswered receive takes effect any time after its call, even one
                        // called before the earlier send: it may have delivered that message unseen
                        && !facts.unansweredReceiveCalledBefore(((Send) latest.input()).queue(), receive.returnNanos());
                boolean sameBatchReversed =
                        receive == earlier && position(receive, body(send)) < position(receive, body(latest));
                if (before || sameBatchReversed) {
                    found.add(new Violation(
                            property,
                            ordered.apply(latest, send) + ", but \"" + body(send) + "\" was first delivered by "
                                    + op(receive)
                                    + (sameBatchReversed
                                            ? ", ahead of it in the same batch"
                                            : ", which ended before " + op(earlier) + " first delivered \""
                                                    + body(latest) + "\""),
                            List.of(latest.id(), send.id(), earlier.id(), receive.id())));
                }
            }
            if (latest == null
                    || receive.callNanos()
                            > facts.firstDelivery.get(body(latest)).callNanos()) {
                latest = send;
            }
        }
        return found;
    }

    /** Every property above that holds for any queue workload ending in a drain: no loss, nothing unexpected, exclusive delivery, no resurrection, FIFO first delivery. */
    public static HistoryCheck<QueueInput, QueueOutput> atLeastOnce() {
        return entries -> {
            Facts facts = Facts.of(entries); // read the history once for all five
            List<Violation> found = new ArrayList<>(noLoss(facts));
            found.addAll(noUnexpected(facts));
            found.addAll(exclusiveDelivery(facts));
            found.addAll(noResurrection(facts));
            found.addAll(fifoFirstDelivery(facts));
            return found;
        };
    }

    /** Until when the delivery of {@code first} with {@code receipt} certainly hides its message. */
    private static long leaseEnd(Entry<QueueInput, QueueOutput> first, String receipt, Facts facts) {
        long end = first.callNanos() + ((Receive) first.input()).visibility().toNanos();
        for (Entry<QueueInput, QueueOutput> change : facts.visibilityChanges.getOrDefault(receipt, List.of())) {
            long proposed = change.callNanos()
                    + ((ChangeVisibility) change.input()).visibility().toNanos();
            if (change.completion() == Completion.OK) {
                end = proposed;
            } else if (change.completion() != Completion.FAIL) {
                end = Math.min(end, proposed);
            }
        }
        return end;
    }

    /** Every delivery of {@code body} in {@code receive}'s answer. */
    private static List<Delivery> deliveriesOf(Entry<QueueInput, QueueOutput> receive, String body) {
        return ((Received) receive.output())
                .deliveries().stream().filter(d -> d.body().equals(body)).toList();
    }

    private static int position(Entry<QueueInput, QueueOutput> receive, String body) {
        List<Delivery> deliveries = ((Received) receive.output()).deliveries();
        for (int i = 0; i < deliveries.size(); i++) {
            if (deliveries.get(i).body().equals(body)) {
                return i;
            }
        }
        return -1;
    }

    private static String body(Entry<QueueInput, QueueOutput> send) {
        return ((Send) send.input()).body();
    }

    /** {@code #12 (client 3)}: an operation as the timeline's table lists it. */
    private static String op(Entry<?, ?> e) {
        return e.label();
    }

    private static String ops(List<? extends Entry<?, ?>> entries) {
        List<String> names = new ArrayList<>();
        entries.forEach(e -> names.add(op(e)));
        return String.join(", ", names);
    }

    private static String at(long nanos) {
        return Violation.at(nanos);
    }

    /** What the checks read from a history, gathered once per check. */
    private static final class Facts {
        /** The whole history, in invocation order. */
        final List<Entry<QueueInput, QueueOutput>> entries;
        /** Sends that ended ok, by body (the first such send of a body). */
        final Map<String, Entry<QueueInput, QueueOutput>> okSends = new LinkedHashMap<>();
        /** Sends that ended ok, info or pending, by body. */
        final Map<String, Entry<QueueInput, QueueOutput>> possibleSends = new HashMap<>();
        /** Sends refused (fail), by body. */
        final Map<String, Entry<QueueInput, QueueOutput>> failedSends = new HashMap<>();
        /** The ok receives that returned each body, in call order. */
        final Map<String, List<Entry<QueueInput, QueueOutput>>> deliveries = new LinkedHashMap<>();
        /** The first ok receive (by call) that returned each body. */
        final Map<String, Entry<QueueInput, QueueOutput>> firstDelivery = new LinkedHashMap<>();
        /** Which body each receipt delivered. */
        final Map<String, String> bodyOfReceipt = new HashMap<>();
        /** Every delete, by receipt. */
        final Map<String, List<Entry<QueueInput, QueueOutput>>> deletes = new HashMap<>();
        /** Deletes that ended ok. */
        final List<Entry<QueueInput, QueueOutput>> okDeletes = new ArrayList<>();
        /** Receives that got no answer (info, pending), by queue: they may have delivered anything visible. */
        final Map<String, List<Entry<QueueInput, QueueOutput>>> unansweredReceives = new HashMap<>();
        /** Visibility changes by receipt, in call order. */
        final Map<String, List<Entry<QueueInput, QueueOutput>>> visibilityChanges = new HashMap<>();

        /** The ok sends with a group, by queue and group ({@code queue/group}), in call order. */
        Map<String, List<Entry<QueueInput, QueueOutput>>> groups() {
            Map<String, List<Entry<QueueInput, QueueOutput>>> groups = new LinkedHashMap<>();
            for (Entry<QueueInput, QueueOutput> send : okSends.values()) {
                Send input = (Send) send.input();
                if (input.group() != null && send.output() instanceof Sent) {
                    groups.computeIfAbsent(input.queue() + "/" + input.group(), k -> new ArrayList<>())
                            .add(send);
                }
            }
            return groups;
        }

        /** The call of the first delete with {@code receipt} that ended ok or may have happened, or never. */
        long deleteCall(String receipt) {
            return deletes.getOrDefault(receipt, List.of()).stream()
                    .filter(d -> d.completion() != Completion.FAIL)
                    .mapToLong(Entry::callNanos)
                    .min()
                    .orElse(Long.MAX_VALUE);
        }

        /**
         * Whether a receive on {@code queue} that got no answer was called by {@code to}. There is no
         * lower bound: such a receive may take effect any time after its call (in a replicated queue
         * even after its node died, once a new leader commits it), so it may have delivered any
         * message sent before {@code to}.
         */
        boolean unansweredReceiveCalledBefore(String queue, long to) {
            return unansweredReceives.getOrDefault(queue, List.of()).stream().anyMatch(r -> r.callNanos() <= to);
        }

        private Facts(List<Entry<QueueInput, QueueOutput>> entries) {
            this.entries = entries;
        }

        static Facts of(List<Entry<QueueInput, QueueOutput>> entries) {
            Facts facts = new Facts(entries);
            for (Entry<QueueInput, QueueOutput> e : entries) {
                boolean ok = e.completion() == Completion.OK;
                if (e.input() instanceof Send send) {
                    if (ok) {
                        facts.okSends.putIfAbsent(send.body(), e);
                    }
                    if (e.completion() == Completion.FAIL) {
                        facts.failedSends.putIfAbsent(send.body(), e);
                    } else {
                        facts.possibleSends.putIfAbsent(send.body(), e);
                    }
                } else if (e.input() instanceof Receive receive && e.isOpen()) {
                    facts.unansweredReceives
                            .computeIfAbsent(receive.queue(), k -> new ArrayList<>())
                            .add(e);
                } else if (e.input() instanceof Receive && ok && e.output() instanceof Received received) {
                    for (Delivery d : received.deliveries()) {
                        facts.deliveries
                                .computeIfAbsent(d.body(), k -> new ArrayList<>())
                                .add(e);
                        facts.firstDelivery.putIfAbsent(d.body(), e);
                        facts.bodyOfReceipt.put(d.receipt(), d.body());
                    }
                } else if (e.input() instanceof Delete delete) {
                    facts.deletes
                            .computeIfAbsent(delete.receipt(), k -> new ArrayList<>())
                            .add(e);
                    if (ok) {
                        facts.okDeletes.add(e);
                    }
                } else if (e.input() instanceof ChangeVisibility change) {
                    facts.visibilityChanges
                            .computeIfAbsent(change.receipt(), k -> new ArrayList<>())
                            .add(e);
                }
            }
            return facts;
        }
    }
}
