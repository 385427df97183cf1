package io.clstr.reference.queue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Every queue's messages, deliveries and receipts: what the log's commands are applied to, in log
 * order. It reads no clock: a command's stamp is its time, and an in-flight message whose deadline
 * is at or before that stamp is visible again.
 */
final class QueueMachine {

    /** One message and its current delivery. */
    private static final class Message {
        final long id;
        final String body;
        /** Its place in its queue: the id, unless the {@code expired-to-back} bug moved it. */
        long place;

        int receiveCount;
        /** While in flight: the receipt of the current delivery and when it expires; else null and 0. (With the {@code receive-not-hiding} bug the receipt is kept, but the message is never in flight.) */
        String receipt;

        long hiddenUntil;

        Message(long id, String body) {
            this.id = id;
            this.body = body;
            this.place = id;
        }
    }

    /** What a receipt was issued for, and whether a delete with it succeeded. */
    private static final class Receipt {
        final long messageId;
        boolean deleted;

        Receipt(long messageId) {
            this.messageId = messageId;
        }
    }

    /** One queue. */
    private static final class MessageQueue {
        final NavigableMap<Long, Message> byPlace = new TreeMap<>();
        final Map<Long, Message> byId = new HashMap<>();
        final Map<Long, Message> inFlight = new LinkedHashMap<>();
        final Map<String, Receipt> receipts = new HashMap<>();
    }

    /** A delivered message as the receive answer lists it. */
    record Delivery(long id, String body, String receipt, int receiveCount) {}

    /** A send's answer. */
    record Sent(long id) {}

    /** {@code GET /queues/{q}}. */
    record Counts(long visible, long inFlight) {}

    private final Bugs bugs;
    private final Map<String, MessageQueue> queues = new HashMap<>();
    /** The last id given in each queue; kept across CLEAR so that ids are never reused. */
    private final Map<String, Long> lastIds = new HashMap<>();

    private long lastPlace = Long.MAX_VALUE / 2;

    QueueMachine(Bugs bugs) {
        this.bugs = bugs;
    }

    synchronized Outcome apply(Command c) {
        expire(c.stamp());
        return switch (c.type()) {
            case SEND -> send(c);
            case RECEIVE -> receive(c);
            case DELETE -> delete(c);
            case VISIBILITY -> changeVisibility(c);
            case CLEAR -> {
                queues.clear();
                yield Outcome.ok("");
            }
            case EXPIRE -> Outcome.ok("");
        };
    }

    /** The id the next send to {@code queue} would get (read without the lock by the {@code unsafe-ids} bug). */
    long peekNextId(String queue) {
        return lastIds.getOrDefault(queue, 0L) + 1;
    }

    /** The earliest deadline of any in-flight delivery, or {@link Long#MAX_VALUE}. */
    synchronized long nextDeadline() {
        long next = Long.MAX_VALUE;
        for (MessageQueue q : queues.values()) {
            for (Message m : q.inFlight.values()) {
                next = Math.min(next, m.hiddenUntil);
            }
        }
        return next;
    }

    synchronized Counts counts(String queue) {
        MessageQueue q = queues.get(queue);
        if (q == null) {
            return new Counts(0, 0);
        }
        return new Counts(q.byId.size() - q.inFlight.size(), q.inFlight.size());
    }

    /**
     * After replaying a log that was stored as a list of messages without its counters (the
     * {@code ids-reused} bug): each queue's last id is the largest id still in it.
     */
    synchronized void forgetCounters() {
        lastIds.clear();
        queues.forEach(
                (name, q) -> q.byId.keySet().stream().max(Long::compare).ifPresent(max -> lastIds.put(name, max)));
    }

    private Outcome send(Command c) {
        MessageQueue q = queues.computeIfAbsent(c.queue(), k -> new MessageQueue());
        long id = c.id() > 0 ? c.id() : lastIds.getOrDefault(c.queue(), 0L) + 1;
        lastIds.merge(c.queue(), id, Math::max);
        Message m = new Message(id, c.body());
        Message replaced = q.byId.put(id, m);
        if (replaced != null) {
            q.byPlace.remove(replaced.place);
            q.inFlight.remove(id);
        }
        q.byPlace.put(m.place, m);
        return Outcome.ok(new Sent(id));
    }

    private Outcome receive(Command c) {
        MessageQueue q = queues.computeIfAbsent(c.queue(), k -> new MessageQueue());
        List<Delivery> delivered = new ArrayList<>();
        Iterable<Message> order =
                bugs.on(Bug.NEWEST_FIRST) ? q.byPlace.descendingMap().values() : q.byPlace.values();
        for (Message m : order) {
            if (delivered.size() == c.max()) {
                break;
            }
            if (q.inFlight.containsKey(m.id)) {
                continue;
            }
            m.receiveCount++;
            String receipt = bugs.on(Bug.RECEIPT_IS_MESSAGE_ID)
                    ? Long.toString(m.id)
                    : m.id + "-" + m.receiveCount + "-" + c.nonce();
            q.receipts.put(receipt, new Receipt(m.id));
            m.receipt = c.visibility() > 0 ? receipt : null;
            if (c.visibility() > 0 && !bugs.on(Bug.RECEIVE_NOT_HIDING)) {
                m.hiddenUntil = c.stamp() + c.visibility();
                q.inFlight.put(m.id, m);
            }
            delivered.add(new Delivery(m.id, m.body, receipt, m.receiveCount));
        }
        return Outcome.ok(delivered);
    }

    private Outcome delete(Command c) {
        MessageQueue q = queues.get(c.queue());
        Receipt receipt = q == null ? null : q.receipts.get(c.receipt());
        if (receipt == null) {
            return bugs.on(Bug.UNKNOWN_RECEIPT_OK) ? Outcome.ok("") : Outcome.error(404, "receipt not found");
        }
        if (receipt.deleted) {
            return Outcome.ok("");
        }
        Message m = q.byId.get(receipt.messageId);
        if (m == null || !c.receipt().equals(m.receipt)) {
            return Outcome.error(409, "receipt handle expired");
        }
        q.byId.remove(m.id);
        q.byPlace.remove(m.place);
        q.inFlight.remove(m.id);
        receipt.deleted = true;
        return Outcome.ok("");
    }

    private Outcome changeVisibility(Command c) {
        MessageQueue q = queues.get(c.queue());
        Receipt receipt = q == null ? null : q.receipts.get(c.receipt());
        if (receipt == null) {
            return Outcome.error(404, "receipt not found");
        }
        Message m = q.byId.get(receipt.messageId);
        if (receipt.deleted || m == null || !c.receipt().equals(m.receipt)) {
            return Outcome.error(409, "receipt handle expired");
        }
        m.hiddenUntil = c.stamp() + c.visibility();
        if (c.visibility() == 0) {
            release(q, m);
        }
        return Outcome.ok("");
    }

    /** Every delivery whose deadline is at or before {@code now} ends: its message is visible again. */
    private void expire(long now) {
        for (MessageQueue q : queues.values()) {
            List<Message> expired = new ArrayList<>();
            for (Message m : q.inFlight.values()) {
                if (m.hiddenUntil <= now) {
                    expired.add(m);
                }
            }
            expired.forEach(m -> release(q, m));
        }
    }

    private void release(MessageQueue q, Message m) {
        q.inFlight.remove(m.id);
        m.receipt = null;
        m.hiddenUntil = 0;
        if (bugs.on(Bug.EXPIRED_TO_BACK)) {
            q.byPlace.remove(m.place);
            m.place = ++lastPlace;
            q.byPlace.put(m.place, m);
        }
    }
}
