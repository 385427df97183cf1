package io.clstr.reference.lock;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A state change, as the Raft log carries it (JSON) and the state machine applies it. The leader
 * stamps each log entry with its time (milliseconds of its wall clock, never going back); applying
 * uses only that stamp, so every node and every replay reaches the same state.
 *
 * @param type        what it does
 * @param key         PUT, DELETE: the key; ACQUIRE, RELEASE: the lock's name
 * @param value       PUT: the value
 * @param ttl         PUT: seconds until the key expires (0: never); GRANT: the lease's TTL in seconds
 * @param lease       PUT: the lease the key is attached to (null: none); KEEPALIVE, REVOKE, ACQUIRE,
 *                    RELEASE: the lease
 * @param ifMatch     PUT, DELETE: the revision the key must have (If-Match), or null
 * @param ifNoneMatch PUT: the key must not exist (If-None-Match: *)
 * @param lockName    PUT, DELETE: the lock that fences the write (Lock-Name), or null
 * @param token       with {@code lockName}: the Fencing-Token the lock must be held with
 * @param join        ACQUIRE: join the lock's queue of waiters when another lease holds it
 * @param origin      the ADDR of the node that proposed it (only the in-leader-memory bugs read it)
 * @param stamp       the log entry's time (set when applied; not part of the encoding)
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
record Command(
        Type type,
        String key,
        String value,
        long ttl,
        String lease,
        Long ifMatch,
        boolean ifNoneMatch,
        String lockName,
        long token,
        boolean join,
        String origin,
        long stamp) {

    enum Type {
        PUT,
        DELETE,
        /** Deletes every key. */
        CLEAR,
        /** Creates a lease. */
        GRANT,
        KEEPALIVE,
        REVOKE,
        ACQUIRE,
        /** Releases a lock, or leaves its queue of waiters. */
        RELEASE,
        /** A new leader's first act in its term: every lease lives at least 1 s more. */
        GRACE,
        /** Proposed by the leader's timer when a deadline has passed: expires what is due. */
        EXPIRE
    }

    static Command put(String key, String value, long ttlSeconds, String lease) {
        return new Command(Type.PUT, key, value, ttlSeconds, lease, null, false, null, 0, false, null, 0);
    }

    static Command delete(String key) {
        return of(Type.DELETE, key, null);
    }

    static Command clear() {
        return of(Type.CLEAR, null, null);
    }

    static Command grant(long ttlSeconds) {
        return new Command(Type.GRANT, null, null, ttlSeconds, null, null, false, null, 0, false, null, 0);
    }

    static Command keepalive(String lease) {
        return of(Type.KEEPALIVE, null, lease);
    }

    static Command revoke(String lease) {
        return of(Type.REVOKE, null, lease);
    }

    /** {@code join}: wait in the lock's queue when it is held (the request gave a wait). */
    static Command acquire(String name, String lease, boolean join) {
        return new Command(Type.ACQUIRE, name, null, 0, lease, null, false, null, 0, join, null, 0);
    }

    static Command release(String name, String lease) {
        return of(Type.RELEASE, name, lease);
    }

    static Command grace() {
        return of(Type.GRACE, null, null);
    }

    static Command expire() {
        return of(Type.EXPIRE, null, null);
    }

    private static Command of(Type type, String key, String lease) {
        return new Command(type, key, null, 0, lease, null, false, null, 0, false, null, 0);
    }

    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** This write, applied only if the key has revision {@code revision} (null: any) and, with {@code absent}, does not exist. */
    Command conditional(Long revision, boolean absent) {
        return new Command(type, key, value, ttl, lease, revision, absent, lockName, token, join, origin, stamp);
    }

    /** This write, applied only if lock {@code name} is held with {@code fencingToken} (null name: not fenced). */
    Command fenced(String name, long fencingToken) {
        return new Command(type, key, value, ttl, lease, ifMatch, ifNoneMatch, name, fencingToken, join, origin, stamp);
    }

    /** This command as proposed by the node at {@code addr}. */
    Command servedBy(String addr) {
        return new Command(type, key, value, ttl, lease, ifMatch, ifNoneMatch, lockName, token, join, addr, stamp);
    }

    /** This command with the log's time. */
    Command stamped(long millis) {
        return new Command(type, key, value, ttl, lease, ifMatch, ifNoneMatch, lockName, token, join, origin, millis);
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
            throw new UncheckedIOException("not a lock command: " + e.getMessage(), e);
        }
    }

    /** How {@code GET /log} shows it, e.g. {@code PUT k v ttl=5s}. */
    String describe() {
        return switch (type) {
            case PUT ->
                "PUT " + key + " " + value + (ttl > 0 ? " ttl=" + ttl + "s" : "")
                        + (lease != null ? " lease=" + lease : "") + conditions();
            case DELETE -> "DELETE " + key + conditions();
            case CLEAR -> "CLEAR";
            case GRANT -> "GRANT ttl=" + ttl + "s";
            case KEEPALIVE -> "KEEPALIVE " + lease;
            case REVOKE -> "REVOKE " + lease;
            case ACQUIRE -> "ACQUIRE " + key + " lease=" + lease + (join ? " join" : "");
            case RELEASE -> "RELEASE " + key + " lease=" + lease;
            case GRACE -> "GRACE";
            case EXPIRE -> "EXPIRE";
        };
    }

    private String conditions() {
        return (ifMatch != null ? " if-match=" + ifMatch : "")
                + (ifNoneMatch ? " if-none-match" : "")
                + (lockName != null ? " fenced by " + lockName + "#" + token : "");
    }
}
