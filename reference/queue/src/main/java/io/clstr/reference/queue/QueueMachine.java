package io.clstr.reference.queue;

import io.clstr.reference.raft.BugSwitch;
import io.clstr.reference.raft.LogEntry;
import io.clstr.reference.raft.StateMachine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Every queue's messages, deliveries and receipts: what the Raft log's commands are applied to, in
 * log order, on every node. It reads no clock: an entry's stamp is its time, and an in-flight
 * message whose deadline is at or before that stamp is visible again.
 */
final class QueueMachine implements StateMachine {

    /** One message and its current delivery. */
    private static final class Message {
        final long id;
        final String body;
        /** Its message group, or null. */
        final String group;
        /** Its place in its queue: the id, unless the {@code expired-to-back} bug moved it. */
        long place;

        int receiveCount;
        /** While in flight: the receipt of the current delivery and when it expires; else null and 0. (With the {@code receive-not-hiding} bug the receipt is kept, but the message is never in flight.) */
        String receipt;

        long hiddenUntil;

        /** False when the {@code group-lock-on-leader-only} bug applied this delivery without its lock. */
        boolean locksGroup;

        Message(long id, String body, String group) {
            this.id = id;
            this.body = body;
            this.group = group;
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
        /** Dedup-Id → the send it named first, oldest first (entries older than the window are dropped). */
        final LinkedHashMap<String, Dedup> dedup = new LinkedHashMap<>();
    }

    /** A delivered message as the receive answer lists it. */
    record Delivery(long id, String body, String receipt, int receiveCount) {}

    /** A send's answer. */
    record Sent(long id) {}

    /** {@code GET /queues/{q}}. */
    record Counts(long visible, long inFlight) {}

    /**
     * {@code GET /queues/{q}/config}: after {@code maxReceives} deliveries (0: no limit) a message
     * whose visibility runs out moves to {@code deadLetterQueue}; receives that name no visibility
     * hide for {@code visibilityTimeout} seconds.
     */
    record QueueConfig(int maxReceives, String deadLetterQueue, long visibilityTimeout) {
        static final QueueConfig DEFAULT = new QueueConfig(0, null, 5);
    }

    /** The first send with a Dedup-Id: the message id it got and its entry's stamp. */
    private record Dedup(long id, long stamp) {}

    /** How long after the first send's entry a repeat of its Dedup-Id creates nothing. */
    static final long DEDUP_WINDOW_MILLIS = 10_000;

    /** A stream append's answer. */
    record Appended(long offset) {}

    /** One message of a poll's answer. */
    record Read(long offset, String msg) {}

    /** A message to send to a dead-letter queue. */
    record Move(String deadLetterQueue, String body) {}

    /** The {@code deleted-then-moved} bug: a delivery that reached the limit, moved at its deadline whatever happens. */
    private record Doomed(String queue, long messageId, String body, String deadLetterQueue, long deadline) {}

    private final BugSwitch<Bug> bugs;
    private final Map<String, MessageQueue> queues = new HashMap<>();
    /** The last id given in each queue; kept across CLEAR so that ids are never reused. */
    private final Map<String, Long> lastIds = new HashMap<>();

    private final Map<String, QueueConfig> configs = new HashMap<>();
    /** Streams: each key's messages, the offset being the position. */
    private final Map<String, List<String>> streams = new HashMap<>();
    /** Committed offsets by {@code key/group}. */
    private final Map<String, Long> committed = new HashMap<>();
    /** The {@code move-in-two-entries} bug: messages taken out of their queue, for the leader to send on. */
    private final List<Move> outbox = new ArrayList<>();

    private final List<Doomed> doomed = new ArrayList<>();

    private long lastPlace = Long.MAX_VALUE / 2;

    private static final long NO_DEADLINE = Long.MAX_VALUE / 4;

    /** Entries up to this index were written before this run (the bugs of stage 3 treat them apart). */
    private long restoredThrough;

    private final long startMillis = System.currentTimeMillis();
    private boolean countersForgotten;

    /** This node's ADDR (for the {@code deadline-on-leader-only} bug). */
    private final String self;

    QueueMachine(BugSwitch<Bug> bugs) {
        this(bugs, "");
    }

    QueueMachine(BugSwitch<Bug> bugs, String self) {
        this.bugs = bugs;
        this.self = self;
    }

    /** Tells the machine which entries were found on disk at start. */
    void restoredThrough(long lastIndex) {
        this.restoredThrough = lastIndex;
    }

    @Override
    public synchronized Object apply(LogEntry entry) {
        Command c = Command.decode(entry.command());
        long stamp = entry.stamp();
        boolean replayed = entry.index() <= restoredThrough;
        if (bugs.on(Bug.RELATIVE_DEADLINES)
                && replayed
                && (c.type() == Command.Type.RECEIVE || c.type() == Command.Type.VISIBILITY)) {
            // BUG relative-deadlines: a replayed delivery counts its visibility from the restart.
            stamp = Math.max(stamp, startMillis);
        }
        if (bugs.on(Bug.DEADLINE_ON_LEADER_ONLY)
                && c.type() == Command.Type.RECEIVE
                && !replayed
                && !self.equals(c.origin())) {
            // BUG deadline-on-leader-only: "only the leader runs the timer", so a receive another
            // node served is applied with no deadline at all.
            c = c.withVisibility(NO_DEADLINE);
        }
        if (bugs.on(Bug.IDS_REUSED) && !replayed && !countersForgotten) {
            // BUG ids-reused: once the replay is over, counters restart from the largest id left.
            forgetCounters();
            countersForgotten = true;
        }
        return apply(c.stamped(stamp));
    }

    synchronized Outcome apply(Command c) {
        expire(c.stamp());
        return switch (c.type()) {
            case SEND -> send(c);
            case RECEIVE -> receive(c);
            case DELETE -> delete(c);
            case VISIBILITY -> changeVisibility(c);
            case CONFIG -> {
                configs.put(
                        c.queue(), new QueueConfig(c.max(), c.body(), TimeUnit.MILLISECONDS.toSeconds(c.visibility())));
                yield Outcome.ok("");
            }
            case APPEND -> {
                List<String> stream = streams.computeIfAbsent(c.queue(), k -> new ArrayList<>());
                stream.add(c.body());
                yield Outcome.ok(new Appended(stream.size() - 1));
            }
            case COMMIT -> {
                // BUG committed-offset-overwritten: the new offset replaces the old, even a lower one.
                committed.merge(
                        c.queue() + "/" + c.receipt(),
                        c.id(),
                        bugs.on(Bug.COMMITTED_OFFSET_OVERWRITTEN) ? (old, now) -> now : Math::max);
                yield Outcome.ok("");
            }
            case CLEAR -> {
                streams.clear();
                committed.clear();
                queues.clear();
                configs.clear();
                doomed.clear();
                yield Outcome.ok("");
            }
            case EXPIRE -> Outcome.ok("");
        };
    }

    /** The id the next send to {@code queue} would get (read without the lock by the {@code unsafe-ids} bug). */
    long peekNextId(String queue) {
        return lastIds.getOrDefault(queue, 0L) + 1;
    }

    /** Up to {@code max} messages of {@code stream} from {@code offset} on, in order. */
    synchronized List<Read> poll(String stream, long offset, int max) {
        List<String> messages = streams.getOrDefault(stream, List.of());
        List<Read> reads = new ArrayList<>();
        for (long o = offset; o < messages.size() && reads.size() < max; o++) {
            reads.add(new Read(o, messages.get((int) o)));
        }
        return reads;
    }

    /** How many messages {@code stream} holds (for the {@code offset-before-commit} bug). */
    synchronized long streamLength(String stream) {
        return streams.getOrDefault(stream, List.of()).size();
    }

    /** The committed offset of {@code group} on {@code stream}, or null. */
    synchronized Long committed(String stream, String group) {
        return committed.get(stream + "/" + group);
    }

    synchronized QueueConfig config(String queue) {
        return configs.getOrDefault(queue, QueueConfig.DEFAULT);
    }

    /** The {@code move-in-two-entries} bug: the sends to dead-letter queues still to be made (taken once). */
    synchronized List<Move> takeMoves() {
        List<Move> moves = List.copyOf(outbox);
        outbox.clear();
        return moves;
    }

    /** The earliest deadline of any in-flight delivery, or {@link Long#MAX_VALUE}. */
    synchronized long nextDeadline() {
        long next = Long.MAX_VALUE;
        for (Doomed d : doomed) {
            next = Math.min(next, d.deadline());
        }
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
        if (c.dedupId() != null) {
            // Oldest first (stamps never go back): drop expired entries from the front only.
            Iterator<Dedup> oldest = q.dedup.values().iterator();
            while (oldest.hasNext() && c.stamp() - oldest.next().stamp() >= DEDUP_WINDOW_MILLIS) {
                oldest.remove();
            }
            Dedup first = q.dedup.get(c.dedupId());
            // BUG dedup-not-after-delete: a repeat counts only while the first message is still in the queue.
            boolean gone = first != null && bugs.on(Bug.DEDUP_NOT_AFTER_DELETE) && !q.byId.containsKey(first.id());
            // BUG dedup-check-at-request: applying trusts the check the request thread made.
            if (first != null && !gone && !bugs.on(Bug.DEDUP_CHECK_AT_REQUEST)) {
                return Outcome.ok(new Sent(first.id()));
            }
        }
        Outcome sent = append(q, c);
        if (c.dedupId() != null) {
            q.dedup.putIfAbsent(c.dedupId(), new Dedup(((Sent) sent.body()).id(), c.stamp()));
        }
        return sent;
    }

    /**
     * For the {@code dedup-check-at-request} bug: the id a repeat of {@code dedupId} would get back
     * now, if any, read by the request thread before its send is logged.
     */
    synchronized Long dedupLookup(String queue, String dedupId, long now) {
        MessageQueue q = queues.get(queue);
        Dedup first = q == null ? null : q.dedup.get(dedupId);
        return first != null && now - first.stamp() < DEDUP_WINDOW_MILLIS ? first.id() : null;
    }

    /** Appends {@code c}'s message to {@code q} with the next id. */
    private Outcome append(MessageQueue q, Command c) {
        long id = c.id() > 0 ? c.id() : lastIds.getOrDefault(c.queue(), 0L) + 1;
        lastIds.merge(c.queue(), id, Math::max);
        Message m = new Message(id, c.body(), c.group());
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
        QueueConfig config = config(c.queue());
        long visibility = c.visibility() == Command.QUEUE_DEFAULT
                ? TimeUnit.SECONDS.toMillis(config.visibilityTimeout())
                : c.visibility();
        List<Delivery> delivered = new ArrayList<>();
        Iterable<Message> order =
                bugs.on(Bug.NEWEST_FIRST) ? q.byPlace.descendingMap().values() : q.byPlace.values();
        // A group with a message in flight is blocked; so is one whose head this receive delivers.
        Set<String> blocked = new HashSet<>();
        for (Message f : q.inFlight.values()) {
            if (f.group != null && f.locksGroup) {
                blocked.add(f.group);
            }
        }
        // BUG group-lock-on-leader-only: only the node that served a receive holds its group's lock.
        boolean locks = !bugs.on(Bug.GROUP_LOCK_ON_LEADER_ONLY) || c.origin() == null || self.equals(c.origin());
        for (Message m : order) {
            if (delivered.size() == c.max()) {
                break;
            }
            if (q.inFlight.containsKey(m.id)) {
                continue;
            }
            if (m.group != null && !blocked.add(m.group)) {
                if (bugs.on(Bug.BLOCKED_GROUP_BLOCKS_QUEUE)) {
                    break; // BUG blocked-group-blocks-queue: the receive stops at the first blocked group.
                }
                continue;
            }
            m.locksGroup = locks;
            m.receiveCount++;
            // BUG receipt-is-message-id: the receipt names the message, not this delivery of it.
            String receipt = bugs.on(Bug.RECEIPT_IS_MESSAGE_ID)
                    ? c.queue() + "-" + m.id
                    : m.id + "-" + m.receiveCount + "-" + c.nonce();
            q.receipts.put(receipt, new Receipt(m.id));
            m.receipt = visibility > 0 ? receipt : null;
            if (visibility > 0 && !bugs.on(Bug.RECEIVE_NOT_HIDING)) {
                m.hiddenUntil = c.stamp() + visibility;
                q.inFlight.put(m.id, m);
                if (bugs.on(Bug.DELETED_THEN_MOVED) && atLimit(config, m)) {
                    // BUG deleted-then-moved: the move is decided now, for this delivery's deadline.
                    doomed.add(new Doomed(c.queue(), m.id, m.body, config.deadLetterQueue(), m.hiddenUntil));
                }
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
        remove(q, m);
        receipt.deleted = true;
        return Outcome.ok("");
    }

    private static void remove(MessageQueue q, Message m) {
        q.byId.remove(m.id);
        q.byPlace.remove(m.place);
        q.inFlight.remove(m.id);
    }

    private static boolean atLimit(QueueConfig config, Message m) {
        return config.maxReceives() > 0 && config.deadLetterQueue() != null && m.receiveCount >= config.maxReceives();
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

    /**
     * Every delivery whose deadline is at or before {@code now} ends: its message is visible again,
     * or, when it has been delivered max-receives times, moves to its queue's dead-letter queue (a
     * new message there, delivered zero times) in this same entry.
     */
    private void expire(long now) {
        List<Move> moves = new ArrayList<>();
        if (bugs.on(Bug.DELETED_THEN_MOVED)) {
            doomed.removeIf(d -> {
                if (d.deadline() > now) {
                    return false;
                }
                MessageQueue q = queues.get(d.queue());
                Message m = q == null ? null : q.byId.get(d.messageId());
                if (m != null) {
                    remove(q, m);
                }
                moves.add(new Move(d.deadLetterQueue(), d.body()));
                return true;
            });
        }
        for (Map.Entry<String, MessageQueue> e : queues.entrySet()) {
            MessageQueue q = e.getValue();
            QueueConfig config = config(e.getKey());
            List<Message> expired = new ArrayList<>();
            for (Message m : q.inFlight.values()) {
                if (m.hiddenUntil <= now) {
                    expired.add(m);
                }
            }
            for (Message m : expired) {
                if (atLimit(config, m) && !bugs.on(Bug.DELETED_THEN_MOVED)) {
                    remove(q, m);
                    moves.add(new Move(config.deadLetterQueue(), m.body));
                } else {
                    release(q, m);
                }
            }
        }
        for (Move move : moves) {
            if (bugs.on(Bug.MOVE_IN_TWO_ENTRIES)) {
                // BUG move-in-two-entries: taken out here; the leader sends it on in an entry of its own.
                outbox.add(move);
            } else {
                send(Command.send(move.deadLetterQueue(), move.body(), 0));
            }
        }
    }

    /** Ends {@code m}'s delivery: it is visible again, in its place. */
    private void release(MessageQueue q, Message m) {
        q.inFlight.remove(m.id);
        m.receipt = null;
        m.hiddenUntil = 0;
        // BUG expired-head-to-back: an expired message of a group goes behind the rest of its group.
        if (bugs.on(Bug.EXPIRED_TO_BACK) || (m.group != null && bugs.on(Bug.EXPIRED_HEAD_TO_BACK))) {
            q.byPlace.remove(m.place);
            m.place = ++lastPlace;
            q.byPlace.put(m.place, m);
        }
    }
}
