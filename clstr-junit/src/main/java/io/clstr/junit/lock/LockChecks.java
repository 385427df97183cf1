package io.clstr.junit.lock;

import io.clstr.junit.history.Completion;
import io.clstr.junit.history.Entry;
import io.clstr.junit.history.HistoryCheck;
import io.clstr.junit.history.Violation;
import io.clstr.junit.lock.LockInput.Acquire;
import io.clstr.junit.lock.LockInput.FencedWrite;
import io.clstr.junit.lock.LockInput.GrantLease;
import io.clstr.junit.lock.LockInput.Keepalive;
import io.clstr.junit.lock.LockInput.Release;
import io.clstr.junit.lock.LockInput.Revoke;
import io.clstr.junit.lock.LockOutput.Done;
import io.clstr.junit.lock.LockOutput.Granted;
import io.clstr.junit.lock.LockOutput.Held;
import io.clstr.junit.lock.LockOutput.LeaseGranted;
import io.clstr.junit.lock.LockOutput.Refused;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The properties of a lock service with leases, fencing tokens and fair queues (spec/lock.md), each
 * a {@link HistoryCheck} over a recorded lock history. Times are those the harness saw, with no
 * clock slack: what the server did happened somewhere between an operation's call and its return,
 * so a check reports only what is certain from those bounds.
 *
 * <p>What the checks take as certain:
 * <ul>
 *   <li><b>A lease is alive</b> before the latest {@code call + ttl} of its grants and keepalives
 *       that ended {@code ok} ({@link LockOutput.LeaseGranted} or {@link LockOutput.Done}); the
 *       TTL is the answer's when it has one, else the input's. A lease whose grant is not in the
 *       history is never certainly alive.
 *   <li><b>A lease may have left a lock</b> (released it, or left its queue) from the call of any
 *       {@code Release} of that lock by it or {@code Revoke} of it that did not end {@code fail}
 *       and had not returned when the operation in question was called: one still open (info) may
 *       take effect at any time, so after a release or revoke of unknown outcome a client that
 *       wants its later holds checked starts a new lease.
 *   <li><b>An answer is definite</b> when the operation ended {@code ok}: {@link LockOutput.Held}
 *       and {@link LockOutput.Refused} are answers, not unknowns.
 * </ul>
 *
 * <pre>{@code
 * cluster.assertHolds(history, LockChecks.mutualExclusion().and(LockChecks.fencingOrder()),
 *         "Two leases held the lock at once, or tokens went backwards.",
 *         "Answer an acquire only after its entry commits and the leader confirmed it still leads.");
 * }</pre>
 */
public final class LockChecks {

    private LockChecks() {}

    /**
     * Mutual exclusion, measured without clock slack. An acquire {@code A} by lease {@code L} that
     * answered {@link LockOutput.Granted} gives {@code L} a <em>certain hold</em> of the lock from
     * A's return to the earlier of
     * <ul>
     *   <li>the call of the first release of the lock by {@code L} or revoke of {@code L} that may
     *       have taken effect after A (not {@code fail}, returned after A's call or still open; one
     *       called before A returned leaves no certain hold), and
     *   <li>the latest {@code call + ttl} of L's acknowledged grants and keepalives.
     * </ul>
     * Another lease's acquire that answered Granted, called after that hold began and answered
     * before it ended, is a violation. Acquires by the same lease (retries, re-acquires) are not.
     */
    public static HistoryCheck<LockInput, LockOutput> mutualExclusion() {
        return entries -> mutualExclusion(Facts.of(entries));
    }

    /**
     * Fencing order: of two acquires of a lock that answered Granted, the one called after the other
     * returned has a token no lower, and a higher one when the leases differ (a same-lease retry may
     * repeat its token); and no token of a lock is given to two leases. Grants with token 0 (stages
     * without tokens) are skipped.
     */
    public static HistoryCheck<LockInput, LockOutput> fencingOrder() {
        return entries -> fencingOrder(Facts.of(entries));
    }

    /**
     * No overtaking in the queue of waiters (stage 7). Lease {@code A} certainly joined a lock's
     * queue before lease {@code B} when a waiting acquire of A's ({@code maxWait} above zero) answered
     * Held or Granted before B's <em>entry</em> was called: B's first acquire of the lock (not
     * {@code fail}, not refused) after the last moment B was certainly neither holding nor waiting,
     * which is the start of the history or the return of a release of the lock by B that answered
     * Done, when every acquire of B's called before that return had returned before the release was
     * called. It is a violation when B's acquire then answered Granted and an acquire of A's called
     * after that answer still answered Held (A was still waiting after B got the lock), provided
     * <ul>
     *   <li>A stayed in the queue: no release of the lock by A or revoke of A may have taken
     *       effect between the call of A's joining acquire and the return of that Held answer, and
     *   <li>A's lease was certainly alive when B's grant returned (a lease that may have run out
     *       may rightly be skipped, and a new leader's grace period may bring it back).
     * </ul>
     * A correct FIFO server never fails it: at B's grant A was ahead of B, alive, and not holding.
     */
    public static HistoryCheck<LockInput, LockOutput> noOvertaking() {
        return entries -> noOvertaking(Facts.of(entries));
    }

    /**
     * Bounded waiting (stage 7): a lease that waits for a lock with its lease kept alive is granted
     * within {@code bound} of the call of its first waiting acquire. It is a violation when a
     * waiting acquire of lease L answered Held and another acquire of L's called more than
     * {@code bound} after it still answered Held, while L stayed in the queue (no release of the
     * lock by L or revoke of L may have taken effect between the first's call and the second's
     * return), was not granted in between, and was certainly alive at the second's call. A liveness
     * bound holds only for workloads whose holders release in a known time: choose {@code bound}
     * above the waiters' combined holds plus a failover's expiry allowance.
     *
     * @param bound how long a waiter whose lease stays alive may wait, from its first waiting call
     */
    public static HistoryCheck<LockInput, LockOutput> boundedWaiting(Duration bound) {
        Objects.requireNonNull(bound, "bound");
        return entries -> boundedWaiting(Facts.of(entries), bound.toNanos());
    }

    /**
     * Fenced writes in token order: once a lock was granted with token {@code t}, or a fenced write
     * with token {@code t} on it was acknowledged, it is never held with a lower token again, so a
     * fenced write with a lower token called after that answer must be refused (409 {@code stale
     * fencing token}). One that answered Done is a violation. Token 0 is skipped.
     */
    public static HistoryCheck<LockInput, LockOutput> fencedWritesInTokenOrder() {
        return entries -> fencedWritesInTokenOrder(Facts.of(entries));
    }

    private static List<Violation> mutualExclusion(Facts facts) {
        List<Violation> found = new ArrayList<>();
        for (Lock lock : facts.locks.values()) {
            List<Hold> holds = new ArrayList<>();
            for (Entry<LockInput, LockOutput> acquire : lock.grants()) {
                holds.add(facts.hold(acquire));
            }
            for (Entry<LockInput, LockOutput> other : lock.grants()) {
                String lease = other.input().lease();
                for (Hold hold : holds) {
                    if (!hold.lease().equals(lease)
                            && other.callNanos() > hold.start()
                            && other.returnNanos() < hold.end()) {
                        found.add(new Violation(
                                "mutual exclusion",
                                String.format(
                                        Locale.ROOT,
                                        "lock %s: lease %s held it for certain from %s (%s, %s) until %s (%s), "
                                                + "and lease %s got it with %s (%s), called at %s and answered at %s",
                                        lock.name,
                                        hold.lease(),
                                        at(hold.start()),
                                        hold.acquire().label(),
                                        hold.acquire().output(),
                                        at(hold.end()),
                                        hold.until(),
                                        lease,
                                        other.label(),
                                        other.output(),
                                        at(other.callNanos()),
                                        at(other.returnNanos())),
                                List.of(hold.acquire().id(), other.id())));
                        break;
                    }
                }
            }
        }
        return found;
    }

    private static List<Violation> fencingOrder(Facts facts) {
        List<Violation> found = new ArrayList<>();
        for (Lock lock : facts.locks.values()) {
            List<Entry<LockInput, LockOutput>> grants =
                    lock.grants().stream().filter(e -> token(e) != 0).toList();
            Map<Long, Entry<LockInput, LockOutput>> firstWithToken = new HashMap<>();
            Set<String> reported = new HashSet<>();
            for (Entry<LockInput, LockOutput> grant : grants) {
                Entry<LockInput, LockOutput> first = firstWithToken.putIfAbsent(token(grant), grant);
                String lease = grant.input().lease();
                if (first != null && !first.input().lease().equals(lease) && reported.add(token(grant) + "/" + lease)) {
                    found.add(new Violation(
                            "fencing order",
                            "lock " + lock.name + ": token " + token(grant) + " was given to lease "
                                    + first.input().lease() + " (" + first.label() + ") and to lease " + lease
                                    + " (" + grant.label() + ")",
                            List.of(first.id(), grant.id())));
                }
            }
            for (Entry<LockInput, LockOutput> later : grants) {
                Entry<LockInput, LockOutput> earlier = highestTokenBefore(grants, later.callNanos());
                if (earlier != null && token(earlier) > token(later)) {
                    found.add(new Violation(
                            "fencing order",
                            "lock " + lock.name + ": lease " + earlier.input().lease() + " got token "
                                    + token(earlier) + " (" + earlier.label() + ", answered at "
                                    + at(earlier.returnNanos()) + ") before lease "
                                    + later.input().lease()
                                    + " asked (" + later.label() + ", called at " + at(later.callNanos())
                                    + "), which got the lower token " + token(later),
                            List.of(earlier.id(), later.id())));
                }
            }
        }
        return found;
    }

    private static List<Violation> noOvertaking(Facts facts) {
        List<Violation> found = new ArrayList<>();
        for (Lock lock : facts.locks.values()) {
            Map<String, List<Entry<LockInput, LockOutput>>> byLease = lock.acquiresByLease();
            Set<String> reported = new HashSet<>(); // one violation per entry of B's and lease A
            for (Entry<LockInput, LockOutput> grant : lock.grants()) {
                String b = grant.input().lease();
                Entry<LockInput, LockOutput> entry = lock.entryOf(b, grant);
                for (Map.Entry<String, List<Entry<LockInput, LockOutput>>> other : byLease.entrySet()) {
                    String a = other.getKey();
                    if (a.equals(b) || facts.aliveUntil(a) <= grant.returnNanos()) {
                        continue;
                    }
                    Entry<LockInput, LockOutput> joined = null;
                    Entry<LockInput, LockOutput> stillWaiting = null;
                    for (Entry<LockInput, LockOutput> e : other.getValue()) {
                        if (((Acquire) e.input()).waits()
                                && (answered(e, Held.class) || answered(e, Granted.class))
                                && e.returnNanos() < entry.callNanos()) {
                            joined = e;
                        }
                        if (answered(e, Held.class)
                                && e.callNanos() > grant.returnNanos()
                                && (stillWaiting == null || e.returnNanos() < stillWaiting.returnNanos())) {
                            stillWaiting = e;
                        }
                    }
                    if (joined == null
                            || stillWaiting == null
                            || facts.mayLeave(a, lock, joined, stillWaiting)
                            || !reported.add(entry.id() + "/" + a)) {
                        continue;
                    }
                    found.add(new Violation(
                            "no overtaking",
                            "lock " + lock.name + ": lease " + a + " joined the queue with " + joined.label()
                                    + " (answered at " + at(joined.returnNanos()) + ") before lease " + b
                                    + " asked with " + entry.label() + " (called at " + at(entry.callNanos())
                                    + "), yet " + b + " got the lock with " + grant.label() + " (" + grant.output()
                                    + ", answered at " + at(grant.returnNanos()) + ") while " + a
                                    + " still waited: " + stillWaiting.label() + ", called at "
                                    + at(stillWaiting.callNanos()) + ", answered held; " + a
                                    + "'s lease was alive for certain until " + at(facts.aliveUntil(a)) + " ("
                                    + facts.keptAliveBy.get(a).label() + ")",
                            Stream.of(joined, entry, grant, stillWaiting)
                                    .map(Entry::id)
                                    .distinct()
                                    .toList()));
                    break;
                }
            }
        }
        return found;
    }

    private static List<Violation> boundedWaiting(Facts facts, long bound) {
        List<Violation> found = new ArrayList<>();
        for (Lock lock : facts.locks.values()) {
            lock.acquiresByLease().forEach((lease, acquires) -> {
                Set<Entry<LockInput, LockOutput>> reported = new HashSet<>();
                for (Entry<LockInput, LockOutput> late : acquires) {
                    if (!answered(late, Held.class) || facts.aliveUntil(lease) <= late.callNanos()) {
                        continue;
                    }
                    for (Entry<LockInput, LockOutput> first : acquires) {
                        if (first.callNanos() + bound >= late.callNanos()) {
                            break;
                        }
                        if (!((Acquire) first.input()).waits()
                                || !answered(first, Held.class)
                                || facts.mayLeave(lease, lock, first, late)
                                || lock.grantedBetween(lease, first, late)) {
                            continue;
                        }
                        if (reported.add(first)) {
                            found.add(new Violation(
                                    "bounded waiting",
                                    String.format(
                                            Locale.ROOT,
                                            "lock %s: lease %s waits since %s (called at %s) and %s, called at %s, "
                                                    + "%.3f s later (bound %.3f s), still answered held; its lease "
                                                    + "was alive for certain until %s (%s)",
                                            lock.name,
                                            lease,
                                            first.label(),
                                            at(first.callNanos()),
                                            late.label(),
                                            at(late.callNanos()),
                                            (late.callNanos() - first.callNanos()) / 1e9,
                                            bound / 1e9,
                                            at(facts.aliveUntil(lease)),
                                            facts.keptAliveBy.get(lease).label()),
                                    List.of(first.id(), late.id())));
                        }
                        break;
                    }
                }
            });
        }
        return found;
    }

    private static List<Violation> fencedWritesInTokenOrder(Facts facts) {
        List<Violation> found = new ArrayList<>();
        for (Lock lock : facts.locks.values()) {
            List<Entry<LockInput, LockOutput>> writes = lock.writes.stream()
                    .filter(w -> answered(w, Done.class) && token(w) != 0)
                    .toList();
            List<Entry<LockInput, LockOutput>> shown = new ArrayList<>(writes);
            lock.grants().stream().filter(g -> token(g) != 0).forEach(shown::add);
            for (Entry<LockInput, LockOutput> write : writes) {
                Entry<LockInput, LockOutput> higher = highestTokenBefore(shown, write.callNanos());
                if (higher != null && token(higher) > token(write)) {
                    FencedWrite input = (FencedWrite) write.input();
                    found.add(new Violation(
                            "fenced writes in token order",
                            "lock " + lock.name + ": " + write.label() + " wrote " + input.key() + " = \""
                                    + input.value() + "\" with token " + token(write) + ", called at "
                                    + at(write.callNanos()) + ", and was acknowledged, though "
                                    + (higher.input() instanceof Acquire
                                            ? "lease " + higher.input().lease() + " had been granted the lock with "
                                            : "a write had been acknowledged with ")
                                    + "token " + token(higher) + " (" + higher.label() + ", answered at "
                                    + at(higher.returnNanos()) + "): it should have been refused as stale",
                            List.of(higher.id(), write.id())));
                }
            }
        }
        return found;
    }

    /**
     * Of {@code shown} (grants and acknowledged fenced writes), the one with the highest token that
     * returned before {@code call}, or null.
     */
    private static Entry<LockInput, LockOutput> highestTokenBefore(
            List<Entry<LockInput, LockOutput>> shown, long call) {
        Entry<LockInput, LockOutput> highest = null;
        for (Entry<LockInput, LockOutput> e : shown) {
            if (e.returnNanos() < call && (highest == null || token(e) > token(highest))) {
                highest = e;
            }
        }
        return highest;
    }

    /** The token of a grant or of a fenced write. */
    private static long token(Entry<LockInput, LockOutput> e) {
        return e.input() instanceof FencedWrite w ? w.token() : ((Granted) e.output()).token();
    }

    /** Whether {@code e} ended {@code ok} with an answer of type {@code answer}. */
    private static boolean answered(Entry<LockInput, LockOutput> e, Class<? extends LockOutput> answer) {
        return e.completion() == Completion.OK && answer.isInstance(e.output());
    }

    /**
     * Whether {@code e} may have taken effect: it did not end {@code fail} and was not refused (a
     * Held answer is an effect: the lease may have joined the queue).
     */
    private static boolean mayHaveActed(Entry<LockInput, LockOutput> e) {
        return e.completion() != Completion.FAIL && !answered(e, Refused.class);
    }

    private static String at(long nanos) {
        return Violation.at(nanos);
    }

    /**
     * A lease's certain hold of a lock.
     *
     * @param acquire the acquire that answered Granted
     * @param lease   its lease
     * @param start   its return
     * @param end     when the hold may have ended
     * @param until   what ended it, for the violation's text
     */
    private record Hold(Entry<LockInput, LockOutput> acquire, String lease, long start, long end, String until) {}

    /** What the checks know of one lock: its operations in invocation order. */
    private static final class Lock {
        final String name;
        final List<Entry<LockInput, LockOutput>> acquires = new ArrayList<>();
        final List<Entry<LockInput, LockOutput>> releases = new ArrayList<>();
        final List<Entry<LockInput, LockOutput>> writes = new ArrayList<>();

        Lock(String name) {
            this.name = name;
        }

        /** The acquires that answered Granted. */
        List<Entry<LockInput, LockOutput>> grants() {
            return acquires.stream().filter(e -> answered(e, Granted.class)).toList();
        }

        /** The acquires of each lease, in invocation order. */
        Map<String, List<Entry<LockInput, LockOutput>>> acquiresByLease() {
            Map<String, List<Entry<LockInput, LockOutput>>> byLease = new LinkedHashMap<>();
            acquires.forEach(e -> byLease.computeIfAbsent(e.input().lease(), k -> new ArrayList<>())
                    .add(e));
            return byLease;
        }

        /** Whether an acquire of {@code lease} answered Granted between {@code from}'s call and {@code to}'s return. */
        boolean grantedBetween(String lease, Entry<LockInput, LockOutput> from, Entry<LockInput, LockOutput> to) {
            return acquires.stream()
                    .anyMatch(g -> g.input().lease().equals(lease)
                            && answered(g, Granted.class)
                            && g.returnNanos() > from.callNanos()
                            && g.callNanos() < to.returnNanos());
        }

        /**
         * The acquire by which {@code lease} entered the competition for this lock that ended with
         * {@code grant}: its first acquire that may have acted after the last moment before
         * {@code grant}'s call at which it was certainly neither holding nor waiting (the start, or
         * the return of a release by it that answered Done when every acquire of its called before
         * that return had returned before the release was called).
         */
        Entry<LockInput, LockOutput> entryOf(String lease, Entry<LockInput, LockOutput> grant) {
            long free = Long.MIN_VALUE;
            for (Entry<LockInput, LockOutput> release : releases) {
                if (release.input().lease().equals(lease)
                        && answered(release, Done.class)
                        && release.returnNanos() < grant.callNanos()
                        && release.returnNanos() > free
                        && acquires.stream()
                                .noneMatch(a -> a.input().lease().equals(lease)
                                        && mayHaveActed(a)
                                        && a.callNanos() < release.returnNanos()
                                        && a.returnNanos() >= release.callNanos())) {
                    free = release.returnNanos();
                }
            }
            for (Entry<LockInput, LockOutput> a : acquires) {
                if (a.input().lease().equals(lease) && mayHaveActed(a) && a.callNanos() > free) {
                    return a;
                }
            }
            return grant;
        }
    }

    /** What the checks read from a history, gathered once per check. */
    private static final class Facts {
        /** Until when each lease is certainly alive (nanoseconds), by id. */
        final Map<String, Long> aliveUntil = new HashMap<>();
        /** The grant or keepalive that keeps each lease alive longest. */
        final Map<String, Entry<LockInput, LockOutput>> keptAliveBy = new HashMap<>();
        /** Each lock's operations, by name. */
        final Map<String, Lock> locks = new LinkedHashMap<>();
        /** Every revoke, by lease. */
        final Map<String, List<Entry<LockInput, LockOutput>>> revokes = new HashMap<>();

        static Facts of(List<Entry<LockInput, LockOutput>> entries) {
            Facts facts = new Facts();
            for (Entry<LockInput, LockOutput> e : entries) {
                LockInput input = e.input();
                if (input instanceof GrantLease) {
                    if (e.completion() == Completion.OK && e.output() instanceof LeaseGranted granted) {
                        facts.keepAlive(granted.id(), e, granted.ttl());
                    }
                } else if (input instanceof Keepalive k) {
                    if (e.completion() == Completion.OK && e.output() instanceof LeaseGranted granted) {
                        facts.keepAlive(k.lease(), e, granted.ttl());
                    } else if (answered(e, Done.class)) {
                        facts.keepAlive(k.lease(), e, k.ttl());
                    }
                } else if (input instanceof Revoke r) {
                    facts.revokes
                            .computeIfAbsent(r.lease(), k -> new ArrayList<>())
                            .add(e);
                } else if (input instanceof Acquire a) {
                    facts.lock(a.lock()).acquires.add(e);
                } else if (input instanceof Release r) {
                    facts.lock(r.lock()).releases.add(e);
                } else if (input instanceof FencedWrite w) {
                    facts.lock(w.lock()).writes.add(e);
                }
            }
            return facts;
        }

        private void keepAlive(String lease, Entry<LockInput, LockOutput> by, Duration ttl) {
            long until = by.callNanos() + ttl.toNanos();
            if (until > aliveUntil(lease)) {
                aliveUntil.put(lease, until);
                keptAliveBy.put(lease, by);
            }
        }

        Lock lock(String name) {
            return locks.computeIfAbsent(name, Lock::new);
        }

        /** Until when {@code lease} is certainly alive; {@link Long#MIN_VALUE} when never. */
        long aliveUntil(String lease) {
            return aliveUntil.getOrDefault(lease, Long.MIN_VALUE);
        }

        /**
         * Of the releases of {@code lock} by {@code lease} and revokes of {@code lease} that did not
         * end {@code fail}, the one called first among those that returned after {@code after} or
         * are still open (they may take effect after it), or null.
         */
        Entry<LockInput, LockOutput> firstLeaving(String lease, Lock lock, long after) {
            Entry<LockInput, LockOutput> first = null;
            List<Entry<LockInput, LockOutput>> candidates = new ArrayList<>(revokes.getOrDefault(lease, List.of()));
            lock.releases.stream().filter(r -> r.input().lease().equals(lease)).forEach(candidates::add);
            for (Entry<LockInput, LockOutput> e : candidates) {
                if (e.completion() != Completion.FAIL
                        && e.returnNanos() > after
                        && (first == null || e.callNanos() < first.callNanos())) {
                    first = e;
                }
            }
            return first;
        }

        /**
         * Whether {@code lease} may have released {@code lock} or left its queue between
         * {@code from}'s call and {@code to}'s return.
         */
        boolean mayLeave(String lease, Lock lock, Entry<LockInput, LockOutput> from, Entry<LockInput, LockOutput> to) {
            Entry<LockInput, LockOutput> leaving = firstLeaving(lease, lock, from.callNanos());
            return leaving != null && leaving.callNanos() < to.returnNanos();
        }

        /** The certain hold {@code acquire} (answered Granted) gave its lease. */
        Hold hold(Entry<LockInput, LockOutput> acquire) {
            String lease = acquire.input().lease();
            long end = aliveUntil(lease);
            String until = end == Long.MIN_VALUE
                    ? "no grant or keepalive of the lease was acknowledged"
                    : "the lease's TTL from " + keptAliveBy.get(lease).label() + " ran out";
            Entry<LockInput, LockOutput> leaving =
                    firstLeaving(lease, lock(((Acquire) acquire.input()).lock()), acquire.callNanos());
            if (leaving != null && leaving.callNanos() < end) {
                end = leaving.callNanos();
                until = (leaving.input() instanceof Revoke ? "revoked by " : "released by ") + leaving.label();
            }
            return new Hold(acquire, lease, acquire.returnNanos(), end, until);
        }
    }
}
