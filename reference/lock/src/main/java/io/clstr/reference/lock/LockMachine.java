package io.clstr.reference.lock;

import io.clstr.reference.raft.BugSwitch;
import io.clstr.reference.raft.LogEntry;
import io.clstr.reference.raft.StateMachine;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Keys, revisions, leases, locks and their queues, and the watch history: what the Raft log's
 * commands are applied to, in log order, on every node. Applying reads no clock: an entry's stamp
 * is its time. Every entry first deletes the keys whose TTL ran out by its stamp, and, once this
 * term's leader has applied its grace entry, ends the leases whose deadline passed (deleting their
 * keys and releasing their locks to the next waiter in the same entry). The counters (revision,
 * lease ids, each lock's last token) never go back: they are part of what replay rebuilds.
 *
 * <p>Request threads read it, and wait on it for grants and watch events: every applied entry
 * wakes them.
 */
final class LockMachine implements StateMachine {

    /** How long a new leader extends every lease before it expires any. */
    static final long GRACE_MILLIS = 1000;
    /** The most events a watch answer holds. */
    static final int WATCH_MAX = 100;

    /** A key's value, the revision that wrote it, when it expires (0: never) and its lease (or null). */
    record Value(String value, long revision, long deadline, String lease) {}

    /** A lease grant's or keepalive's answer. */
    record LeaseTtl(String id, long ttl) {}

    /** {@code GET /leases/{id}}: {@code remaining} in seconds. */
    record LeaseStatus(String id, long ttl, double remaining, List<String> keys) {}

    /** An acquire's answer. */
    record Grant(String name, String lease, long token) {}

    /** {@code GET /locks/{name}}. */
    record LockStatus(String name, String lease, long token, List<String> waiters) {}

    private static final class Lease {
        final String id;
        /** Seconds. */
        final long ttl;

        long deadline;
        final Set<String> keys = new TreeSet<>();

        Lease(String id, long ttl, long deadline) {
            this.id = id;
            this.ttl = ttl;
            this.deadline = deadline;
        }

        /** A keepalive at {@code now}: the lease lives at least its TTL from then. */
        void extend(long now) {
            deadline = Math.max(deadline, now + TimeUnit.SECONDS.toMillis(ttl));
        }
    }

    /** One lock; kept when free, so that its token count survives. */
    private static final class Lock {
        /** The lease holding it, or null when free. */
        String holder;
        /** The last token granted. */
        long token;
        /** The term of the entry that granted it (for the {@code token-per-leader} bug). */
        long tokenTerm;

        final Deque<String> waiters = new ArrayDeque<>();
    }

    private final BugSwitch<Bug> bugs;
    /** This node's ADDR (for the in-leader-memory bugs). */
    private final String self;

    private final Map<String, Value> keys = new TreeMap<>();
    /** The keys with a TTL, and when each expires. */
    private final Map<String, Long> deadlines = new TreeMap<>();

    private final Map<String, Lease> leases = new TreeMap<>();
    private final Map<String, Lock> locks = new TreeMap<>();
    private final WatchHistory history;
    private long revision;
    private long lastLeaseId;
    /** The term whose leader applied its grace entry last: only entries of that term expire leases. */
    private long graceTerm;

    /** The term of the entry being applied. */
    private long term;
    /** Whether this node proposed the entry being applied, in this run (for the in-leader-memory bugs). */
    private boolean served;

    /** Entries up to this index were written before this run. */
    private long restoredThrough;

    private boolean revisionForgotten;

    LockMachine(BugSwitch<Bug> bugs, String self) {
        this(bugs, self, WatchHistory.LIMIT);
    }

    LockMachine(BugSwitch<Bug> bugs, String self, int historyLimit) {
        this.bugs = bugs;
        this.self = self;
        this.history = new WatchHistory(historyLimit);
    }

    /** Tells the machine which entries were found on disk at start. */
    void restoredThrough(long lastIndex) {
        this.restoredThrough = lastIndex;
    }

    @Override
    public synchronized Object apply(LogEntry entry) {
        Command c = Command.decode(entry.command()).stamped(entry.stamp());
        boolean replayed = entry.index() <= restoredThrough;
        if (bugs.on(Bug.REVISION_IN_MEMORY) && restoredThrough > 0 && !replayed && !revisionForgotten) {
            // BUG revision-in-memory: the counter was never part of the replayed state; it starts again.
            revision = 0;
            revisionForgotten = true;
        }
        term = entry.term();
        served = !replayed && self.equals(c.origin());
        Outcome outcome = apply(c);
        notifyAll();
        return outcome;
    }

    private Outcome apply(Command c) {
        // BUG follower-expiry-timers: keys expire on each node's own timer instead.
        if (!bugs.on(Bug.FOLLOWER_EXPIRY_TIMERS)) {
            expireKeys(c.stamp());
        }
        // BUG no-leader-grace: leases expire before the new leader granted its grace period.
        if (term == graceTerm || bugs.on(Bug.NO_LEADER_GRACE)) {
            for (Lease lease : List.copyOf(leases.values())) {
                if (lease.deadline <= c.stamp()) {
                    end(lease, true);
                }
            }
        }
        return switch (c.type()) {
            case PUT -> put(c);
            case DELETE -> {
                Outcome refused = refused(c, keys.get(c.key()));
                yield refused != null ? refused : Outcome.written(remove(c.key(), false));
            }
            case CLEAR -> {
                long last = keys.isEmpty() ? ++revision : revision;
                for (String key : List.copyOf(keys.keySet())) {
                    last = remove(key, false);
                }
                yield Outcome.written(last);
            }
            case GRANT -> {
                Lease lease = new Lease(
                        Long.toString(++lastLeaseId), c.ttl(), c.stamp() + TimeUnit.SECONDS.toMillis(c.ttl()));
                leases.put(lease.id, lease);
                yield Outcome.ok(new LeaseTtl(lease.id, lease.ttl));
            }
            case KEEPALIVE -> {
                Lease lease = leases.get(c.lease());
                if (lease == null) {
                    yield Outcome.error(404, "lease not found");
                }
                lease.extend(c.stamp());
                yield Outcome.ok(new LeaseTtl(lease.id, lease.ttl));
            }
            case REVOKE -> {
                Lease lease = leases.get(c.lease());
                if (lease != null) {
                    end(lease, false);
                }
                yield Outcome.ok("");
            }
            case ACQUIRE -> acquire(c);
            case RELEASE -> release(c);
            case GRACE -> {
                graceTerm = term;
                for (Lease lease : leases.values()) {
                    // every lease gets 1 s more (its holder may have been acknowledged by the old
                    // leader's clock), and at least 1 s from now to reach the new leader
                    lease.deadline = Math.max(lease.deadline, c.stamp()) + GRACE_MILLIS;
                }
                yield Outcome.ok("");
            }
            case EXPIRE -> Outcome.ok("");
        };
    }

    private Outcome put(Command c) {
        if (c.lease() != null && !leases.containsKey(c.lease())) {
            return Outcome.error(404, "lease not found");
        }
        Value old = keys.get(c.key());
        Outcome refused = refused(c, old);
        if (refused != null) {
            return refused;
        }
        long deadline = 0;
        if (c.ttl() > 0) {
            // BUG follower-expiry-timers: the TTL counts from when this node applies the PUT, by its clock.
            long from = bugs.on(Bug.FOLLOWER_EXPIRY_TIMERS) ? System.currentTimeMillis() : c.stamp();
            deadline = from + TimeUnit.SECONDS.toMillis(c.ttl());
        }
        detach(c.key(), old);
        long written = ++revision;
        keys.put(c.key(), new Value(c.value(), written, deadline, c.lease()));
        if (deadline > 0) {
            deadlines.put(c.key(), deadline);
        }
        if (c.lease() != null) {
            leases.get(c.lease()).keys.add(c.key());
        }
        record(WatchHistory.Event.put(written, c.key(), c.value()));
        return Outcome.written(written);
    }

    /** Why a PUT or DELETE of a key now at {@code old} (null: absent) does not apply, or null if it does. */
    private Outcome refused(Command c, Value old) {
        if (c.lockName() != null) {
            Lock lock = locks.get(c.lockName());
            // BUG fenced-write-after-release: only the token is compared, not whether the lock is held.
            boolean free = lock == null || (lock.holder == null && !bugs.on(Bug.FENCED_WRITE_AFTER_RELEASE));
            if (free || lock.token != c.token()) {
                return Outcome.error(409, "stale fencing token");
            }
        }
        if (c.ifNoneMatch() && old != null) {
            return Outcome.error(412, "key already exists");
        }
        if (c.ifMatch() != null && (old == null || old.revision() != c.ifMatch())) {
            return Outcome.error(412, "revision mismatch");
        }
        return null;
    }

    /** Deletes {@code key} (present or not) as a write of its own: its revision, which it returns, and its event. */
    private long remove(String key, boolean expired) {
        detach(key, keys.remove(key));
        long written = ++revision;
        // BUG expiry-emits-no-event: an expiry takes a revision but tells no watcher.
        if (!expired || !bugs.on(Bug.EXPIRY_EMITS_NO_EVENT)) {
            record(WatchHistory.Event.delete(written, key));
        }
        return written;
    }

    /** Forgets {@code key}'s TTL and its place among its lease's keys ({@code old}: its value, or null). */
    private void detach(String key, Value old) {
        deadlines.remove(key);
        Lease lease = old == null || old.lease() == null ? null : leases.get(old.lease());
        if (lease != null) {
            lease.keys.remove(key);
        }
    }

    private void record(WatchHistory.Event event) {
        // BUG watch-history-in-leader-memory: only the node that proposed the write keeps its event.
        if (served || !bugs.on(Bug.WATCH_HISTORY_IN_LEADER_MEMORY)) {
            history.add(event);
        }
    }

    private void expireKeys(long now) {
        for (Map.Entry<String, Long> e : List.copyOf(deadlines.entrySet())) {
            if (e.getValue() <= now) {
                remove(e.getKey(), true);
            }
        }
    }

    /** A revoke or an expiry: the lease's keys are deleted, its locks go to their next waiter, it waits nowhere. */
    private void end(Lease lease, boolean expired) {
        leases.remove(lease.id);
        for (String key : List.copyOf(lease.keys)) {
            remove(key, expired);
        }
        for (Lock lock : locks.values()) {
            lock.waiters.remove(lease.id);
        }
        // BUG lock-not-released-on-expiry: only a revoke releases the lease's locks.
        if (expired && bugs.on(Bug.LOCK_NOT_RELEASED_ON_EXPIRY)) {
            return;
        }
        for (Lock lock : locks.values()) {
            if (lease.id.equals(lock.holder)) {
                free(lock);
            }
        }
    }

    private Outcome acquire(Command c) {
        Lease lease = leases.get(c.lease());
        if (lease == null) {
            return Outcome.error(404, "lease not found");
        }
        // An acquire counts as a keepalive: a holder may count on its lease for a TTL from the request.
        lease.extend(c.stamp());
        // BUG lock-table-in-leader-memory: a node that did not serve the acquire records nothing.
        if (bugs.on(Bug.LOCK_TABLE_IN_LEADER_MEMORY) && !served) {
            return Outcome.error(409, "lock is held");
        }
        Lock lock = locks.computeIfAbsent(c.key(), name -> new Lock());
        if (lock.holder == null) {
            grant(lock, lease.id);
        } else if (!lock.holder.equals(lease.id)) {
            // BUG wait-queue-in-leader-memory: a node that did not serve the acquire does not queue it.
            boolean queues = served || !bugs.on(Bug.WAIT_QUEUE_IN_LEADER_MEMORY);
            if (c.join() && queues && !lock.waiters.contains(lease.id)) {
                lock.waiters.add(lease.id);
            }
            return Outcome.error(409, "lock is held");
        }
        return Outcome.ok(new Grant(c.key(), lock.holder, lock.token));
    }

    private Outcome release(Command c) {
        Lock lock = locks.get(c.key());
        if (lock == null) {
            return Outcome.ok("");
        }
        if (c.lease().equals(lock.holder)) {
            free(lock);
            return Outcome.ok("");
        }
        boolean left = lock.waiters.remove(c.lease());
        return left || lock.holder == null ? Outcome.ok("") : Outcome.error(409, "lock is held");
    }

    /** Frees {@code lock} and hands it to its first waiter, if any, with a new token. */
    private void free(Lock lock) {
        lock.holder = null;
        String next = lock.waiters.poll();
        if (next != null) {
            grant(lock, next);
        }
    }

    private void grant(Lock lock, String lease) {
        // BUG token-per-leader: each term's leader counts a lock's grants from 1.
        if (bugs.on(Bug.TOKEN_PER_LEADER) && lock.tokenTerm != term) {
            lock.token = 0;
        }
        lock.token++;
        lock.tokenTerm = term;
        lock.holder = lease;
        lock.waiters.remove(lease);
    }

    // ---------------------------------------------------------------- reads

    synchronized Value get(String key) {
        return keys.get(key);
    }

    /** Why {@code write} would be refused if it applied now, or null (read by the bugs that check at request time). */
    synchronized Outcome refusal(Command write) {
        return refused(write, keys.get(write.key()));
    }

    /** The revision of the last write. */
    synchronized long revision() {
        return revision;
    }

    /** The last term whose leader applied its grace entry (0: none). */
    synchronized long graceTerm() {
        return graceTerm;
    }

    /** The earliest deadline of a key or a lease, or {@link Long#MAX_VALUE}. */
    synchronized long nextDeadline() {
        long next = Long.MAX_VALUE;
        if (!bugs.on(Bug.FOLLOWER_EXPIRY_TIMERS)) {
            for (long deadline : deadlines.values()) {
                next = Math.min(next, deadline);
            }
        }
        for (Lease lease : leases.values()) {
            next = Math.min(next, lease.deadline);
        }
        return next;
    }

    /** The lease {@code id} as seen at {@code now} (the reader's clock), or null. */
    synchronized LeaseStatus lease(String id, long now) {
        Lease lease = leases.get(id);
        if (lease == null) {
            return null;
        }
        double remaining = Math.max(0, lease.deadline - now) / 1000.0;
        return new LeaseStatus(lease.id, lease.ttl, remaining, List.copyOf(lease.keys));
    }

    /** The lock {@code name} while held, or null when free. */
    synchronized LockStatus lock(String name) {
        Lock lock = locks.get(name);
        if (lock == null || lock.holder == null) {
            return null;
        }
        return new LockStatus(name, lock.holder, lock.token, List.copyOf(lock.waiters));
    }

    /**
     * Waits until {@code lease} holds lock {@code name}, and returns the grant; null once the
     * lease no longer waits for it or {@code untilNanos} (of {@link System#nanoTime()}) passed.
     */
    synchronized Grant awaitGrant(String name, String lease, long untilNanos) throws InterruptedException {
        while (true) {
            Lock lock = locks.get(name);
            if (lock != null && lease.equals(lock.holder)) {
                return new Grant(name, lease, lock.token);
            }
            long left = untilNanos - System.nanoTime();
            if (lock == null || !lock.waiters.contains(lease) || left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /**
     * The events of {@code key} (with {@code prefix}: of the keys it starts) from revision
     * {@code from} on, waiting until {@code untilNanos} (of {@link System#nanoTime()}) for the
     * first; empty if none came, null when {@code from} was compacted.
     */
    synchronized List<WatchHistory.Event> watch(String key, boolean prefix, long from, long untilNanos)
            throws InterruptedException {
        // BUG watch-rev-exclusive: the events after N, not from N.
        long first = bugs.on(Bug.WATCH_REV_EXCLUSIVE) ? from + 1 : from;
        while (true) {
            List<WatchHistory.Event> events = history.from(key, prefix, first, WATCH_MAX);
            long left = untilNanos - System.nanoTime();
            if (events == null || !events.isEmpty() || left <= 0) {
                return events;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** BUG follower-expiry-timers: each node's own timer deletes the keys due by its clock, with no entry. */
    synchronized void expireKeysAt(long now) {
        expireKeys(now);
        notifyAll();
    }
}
