package io.clstr.reference.queue;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A state change, as the Raft log carries it (JSON) and the state machine applies it. The leader
 * stamps each log entry with its time (milliseconds of its wall clock, never going back); the
 * command applied carries that stamp, and applying it uses only that time, so every node and every
 * replay reaches the same state.
 *
 * @param type       what it does
 * @param queue      the queue (all but CLEAR and EXPIRE)
 * @param body       SEND: the message; CONFIG: the dead-letter queue, or null for none
 * @param id         SEND: the id the request thread chose (only with the {@code unsafe-ids} bug), else 0
 * @param receipt    DELETE, VISIBILITY: the receipt handle
 * @param max        RECEIVE: the most messages to deliver; CONFIG: max-receives (0: no limit)
 * @param visibility RECEIVE, VISIBILITY: milliseconds the delivery stays hidden ({@link #QUEUE_DEFAULT}
 *                   on a receive: the queue's configured default); CONFIG: that default
 * @param nonce      RECEIVE: random text that makes this delivery's receipts unique
 * @param dedupId    SEND: the Dedup-Id header, or null
 * @param group      SEND: the Group-Id header, or null
 * @param origin     RECEIVE: the ADDR of the node that served it (only with the {@code deadline-on-leader-only} bug)
 * @param stamp      the log entry's time (set when applied; not part of the encoding)
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
record Command(
        Type type,
        String queue,
        String body,
        long id,
        String receipt,
        int max,
        long visibility,
        String nonce,
        String dedupId,
        String group,
        String origin,
        long stamp) {

    /** A receive's visibility when the request named none: the queue's configured default applies. */
    static final long QUEUE_DEFAULT = -1;

    enum Type {
        SEND,
        RECEIVE,
        DELETE,
        VISIBILITY,
        CLEAR,
        /** Sets a queue's max-receives, dead-letter queue and default visibility. */
        CONFIG,
        /** Appends {@code body} to the stream {@code queue} (the stream's key). */
        APPEND,
        /** Commits offset {@code id} for the consumer group {@code receipt} of the stream {@code queue}. */
        COMMIT,
        /** Proposed by the node's timer when a deadline has passed: makes expired deliveries visible. */
        EXPIRE
    }

    static Command send(String queue, String body, long id) {
        return new Command(Type.SEND, queue, body, id, null, 0, 0, null, null, null, null, 0);
    }

    static Command receive(String queue, int max, long visibilityMillis, String nonce) {
        return new Command(Type.RECEIVE, queue, null, 0, null, max, visibilityMillis, nonce, null, null, null, 0);
    }

    static Command delete(String queue, String receipt) {
        return new Command(Type.DELETE, queue, null, 0, receipt, 0, 0, null, null, null, null, 0);
    }

    static Command visibility(String queue, String receipt, long visibilityMillis) {
        return new Command(Type.VISIBILITY, queue, null, 0, receipt, 0, visibilityMillis, null, null, null, null, 0);
    }

    static Command config(String queue, int maxReceives, String deadLetterQueue, long visibilityMillis) {
        return new Command(
                Type.CONFIG, queue, deadLetterQueue, 0, null, maxReceives, visibilityMillis, null, null, null, null, 0);
    }

    static Command append(String stream, String message) {
        return new Command(Type.APPEND, stream, message, 0, null, 0, 0, null, null, null, null, 0);
    }

    static Command commit(String stream, String group, long offset) {
        return new Command(Type.COMMIT, stream, null, offset, group, 0, 0, null, null, null, null, 0);
    }

    static Command clear() {
        return new Command(Type.CLEAR, null, null, 0, null, 0, 0, null, null, null, null, 0);
    }

    static Command expire() {
        return new Command(Type.EXPIRE, null, null, 0, null, 0, 0, null, null, null, null, 0);
    }

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** This command with the log's time. */
    Command stamped(long millis) {
        return new Command(type, queue, body, id, receipt, max, visibility, nonce, dedupId, group, origin, millis);
    }

    /** This send in a message group (null for none). */
    Command inGroup(String groupId) {
        return new Command(type, queue, body, id, receipt, max, visibility, nonce, dedupId, groupId, origin, stamp);
    }

    /** This send with a Dedup-Id (null for none). */
    Command withDedupId(String dedup) {
        return new Command(type, queue, body, id, receipt, max, visibility, nonce, dedup, group, origin, stamp);
    }

    /** This command marked as served by the node at {@code addr}. */
    Command servedBy(String addr) {
        return new Command(type, queue, body, id, receipt, max, visibility, nonce, dedupId, group, addr, stamp);
    }

    /** This command with another visibility (milliseconds). */
    Command withVisibility(long millis) {
        return new Command(type, queue, body, id, receipt, max, millis, nonce, dedupId, group, origin, stamp);
    }

    /** The bytes a log entry carries (the stamp is the entry's, so it is left out). */
    byte[] encode() {
        try {
            return JSON.writeValueAsBytes(stamped(0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Command decode(byte[] bytes) {
        try {
            return JSON.readValue(bytes, Command.class);
        } catch (IOException e) {
            throw new UncheckedIOException("not a queue command: " + e.getMessage(), e);
        }
    }

    /** How {@code GET /log} shows it, e.g. {@code SEND q hello}. */
    String describe() {
        return switch (type) {
            case SEND -> "SEND " + queue + " " + body;
            case RECEIVE -> "RECEIVE " + queue + " max=" + max + " visibility=" + visibility + "ms";
            case DELETE -> "DELETE " + queue + " " + receipt;
            case VISIBILITY -> "VISIBILITY " + queue + " " + receipt + " " + visibility + "ms";
            case CONFIG ->
                "CONFIG " + queue + " max-receives=" + max + " dead-letter-queue=" + body + " visibility=" + visibility
                        + "ms";
            case APPEND -> "APPEND " + queue + " " + body;
            case COMMIT -> "COMMIT " + queue + " group " + receipt + " at " + id;
            case CLEAR -> "CLEAR";
            case EXPIRE -> "EXPIRE";
        };
    }
}
