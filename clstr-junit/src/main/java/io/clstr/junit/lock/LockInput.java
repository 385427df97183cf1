package io.clstr.junit.lock;

import java.time.Duration;
import java.util.Objects;

/**
 * An operation on the lock service as the lock checkers see it. Leases are told apart by id, locks
 * by name. A lease's id is the server's ({@code POST /leases} answers it), so a grant is recorded
 * before the id is known: its input may carry null, and the checks read the id from its answer,
 * {@link LockOutput.LeaseGranted#id()}. Every other operation names the lease it is about.
 */
public sealed interface LockInput {

    /**
     * The lease the operation is about: the lease granted, kept alive or revoked, the lease that
     * acquires or releases, the lease that believes it holds the lock a fenced write is made under.
     * Null for a grant recorded before its id was known, and may be null for a fenced write.
     */
    String lease();

    /**
     * {@code POST /leases} with body {@code ttl}; the lease's id and the TTL the server gave it are
     * in the answer ({@link LockOutput.LeaseGranted}).
     *
     * @param lease the id the client will know it by, or null: the checks read it from the answer
     * @param ttl   the TTL asked for
     */
    record GrantLease(String lease, Duration ttl) implements LockInput {
        public GrantLease {
            Objects.requireNonNull(ttl, "ttl");
        }

        @Override
        public String toString() {
            return "grant lease" + (lease == null ? "" : " " + lease) + " ttl " + seconds(ttl);
        }
    }

    /**
     * {@code POST /leases/{id}/keepalive}.
     *
     * @param lease the lease
     * @param ttl   the lease's TTL as granted (after raising to 2 s): an acknowledged keepalive keeps it
     *              alive until its call plus this, unless its answer says another TTL
     */
    record Keepalive(String lease, Duration ttl) implements LockInput {
        public Keepalive {
            Objects.requireNonNull(lease, "lease");
            Objects.requireNonNull(ttl, "ttl");
        }

        @Override
        public String toString() {
            return "keepalive " + lease;
        }
    }

    /**
     * {@code DELETE /leases/{id}}: the lease ends and its locks are released (it leaves every
     * queue).
     *
     * @param lease the lease
     */
    record Revoke(String lease) implements LockInput {
        public Revoke {
            Objects.requireNonNull(lease, "lease");
        }

        @Override
        public String toString() {
            return "revoke " + lease;
        }
    }

    /**
     * {@code POST /locks/{name}?lease=ID}, with {@code &wait=S} when {@code maxWait} is above zero
     * (stage 7: the lease joins the lock's queue of waiters). The component is not called
     * {@code wait}: a record cannot have a component named like {@link Object#wait()}.
     *
     * @param lock    the lock's name
     * @param lease   the lease that acquires
     * @param ttl     the lease's TTL (after raising to 2 s), shown on the timeline
     * @param maxWait the {@code wait} parameter: how long the server may wait for the lock
     *                ({@link Duration#ZERO} for none)
     */
    record Acquire(String lock, String lease, Duration ttl, Duration maxWait) implements LockInput {
        public Acquire {
            Objects.requireNonNull(lock, "lock");
            Objects.requireNonNull(lease, "lease");
            Objects.requireNonNull(ttl, "ttl");
            Objects.requireNonNull(maxWait, "maxWait");
        }

        /** An acquire without a wait. */
        public Acquire(String lock, String lease, Duration ttl) {
            this(lock, lease, ttl, Duration.ZERO);
        }

        /** Whether it joins the lock's queue of waiters ({@code maxWait} above zero). */
        public boolean waits() {
            return maxWait.compareTo(Duration.ZERO) > 0;
        }

        @Override
        public String toString() {
            return "acquire " + lock + " lease " + lease + (waits() ? " wait " + seconds(maxWait) : "");
        }
    }

    /**
     * {@code DELETE /locks/{name}?lease=ID}: releases the lock, or leaves its queue.
     *
     * @param lock  the lock's name
     * @param lease the lease that releases
     */
    record Release(String lock, String lease) implements LockInput {
        public Release {
            Objects.requireNonNull(lock, "lock");
            Objects.requireNonNull(lease, "lease");
        }

        @Override
        public String toString() {
            return "release " + lock + " lease " + lease;
        }
    }

    /**
     * {@code PUT /kv/{key}} with the headers {@code Lock-Name: lock} and {@code Fencing-Token: token}.
     *
     * @param lock  the lock the write is made under
     * @param lease the lease that believes it holds the lock, or null
     * @param token the fencing token sent
     * @param key   the key written
     * @param value the value written
     */
    record FencedWrite(String lock, String lease, long token, String key, String value) implements LockInput {
        public FencedWrite {
            Objects.requireNonNull(lock, "lock");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return "write " + key + " \"" + value + "\" under " + lock + " token " + token;
        }
    }

    /** {@code 2.5 s}: a duration as the timeline shows it. */
    private static String seconds(Duration d) {
        return d.toMillis() / 1000.0 + " s";
    }
}
