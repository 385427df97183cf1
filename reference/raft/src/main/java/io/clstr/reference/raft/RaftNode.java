package io.clstr.reference.raft;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A Raft node: leader election (with PreVote), log replication, commitment, application to the
 * {@link StateMachine}, and linearizable reads (ReadIndex: a read waits until a quorum has
 * confirmed this node is still leader after the read arrived, and until the state machine has
 * caught up with the commit index seen at that moment).
 *
 * <p>Threads: RPC handlers (HTTP threads), RPC responses (peer client threads), WAL completions
 * (the WAL writer), snapshot completions (the snapshot writer) and a 10 ms ticker all enter
 * through {@code synchronized} methods; nothing inside blocks on I/O except the small fsync of
 * {@link RaftState} when the term or vote changes. Futures handed to clients are completed under
 * the lock, so their dependents must be attached with an executor ({@code *Async}).
 *
 * <p>Log compaction (Raft §7): every {@link #DEFAULT_SNAPSHOT_INTERVAL} applied entries (at
 * indexes that are multiples of it, so every node compacts at the same points and their logs
 * read alike) the state machine's state is captured under the lock (encoding it in memory, no
 * I/O), written to disk by the {@link SnapshotStore}'s thread, and only then is the log compacted
 * through it. A leader sends its snapshot (InstallSnapshot) to a follower whose next index it no
 * longer holds; the follower writes it the same way before it installs it.
 *
 * <p>Membership (Raft §6, dissertation ch. 4): peers are known by identity ({@code ADDR}) and
 * reached through {@code ROUTES}. The configuration in force is the latest in the log, committed
 * or not ({@link ConfigHistory}); below the log it is the environment's ({@code PEERS}; a node
 * with empty {@code PEERS} but known {@code ROUTES} is a spare, member of nothing until it joins).
 * The leader carries out one change at a time ({@link Change}): newcomers catch up as learners,
 * then one configuration entry (a single-server change) or a joint C_old,new followed by C_new.
 */
public final class RaftNode implements AutoCloseable {

    public enum Role {
        FOLLOWER("follower"),
        /** Asking for pre-votes: reported as a candidate, though its term has not moved. */
        PRE_CANDIDATE("candidate"),
        CANDIDATE("candidate"),
        LEADER("leader");

        private final String wireName;

        Role(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /** This node is not the leader; {@code leader} is the one it knows of, or null. */
    public static final class NotLeaderException extends Exception {
        private final String leader;

        NotLeaderException(String leader) {
            super(leader == null ? "no leader" : "not the leader; the leader is " + leader);
            this.leader = leader;
        }

        public String leader() {
            return leader;
        }
    }

    /** Leadership was lost after the write entered the log: it may or may not commit later. */
    public static final class OutcomeUnknownException extends Exception {
        OutcomeUnknownException(String message) {
            super(message);
        }
    }

    public record Routing(boolean leader, String leaderId) {}

    /**
     * @param members  the voting members in force, this node included; empty when it is none
     * @param learners newcomers the leader is catching up (empty elsewhere)
     * @param joint    C_old,new while a joint configuration is in force, otherwise null
     */
    public record ClusterInfo(
            String id,
            Role role,
            long term,
            String leader,
            List<String> peers,
            List<String> members,
            List<String> learners,
            Configuration joint) {}

    /** Another membership change is in progress (one at a time). */
    public static final class ChangeInProgressException extends Exception {
        ChangeInProgressException() {
            super("configuration change in progress");
        }
    }

    public record LogView(List<LogEntry> entries, long commitIndex, long lastApplied) {}

    /** The snapshot the log starts after: both 0 before the first. */
    public record SnapshotView(long lastIncludedIndex, long lastIncludedTerm) {}

    static final long TICK_MILLIS = 10;
    static final long MIN_ELECTION_TIMEOUT_MILLIS = 500;
    static final long MAX_ELECTION_TIMEOUT_MILLIS = 1000;
    static final long HEARTBEAT_MILLIS = 100;
    /** A leader steps down when no quorum has answered it for this long (of its own running time). */
    static final long QUORUM_TIMEOUT_MILLIS = 500;
    /** A gap between two ticks longer than this means the node itself stood still (paused, starved). */
    static final long STALL_MILLIS = 100;
    /*
     * RPC deadlines. An answer that arrives within the 500 ms quorum window still counts, so
     * deadlines are not shorter than that window; they never delay anything else, because
     * heartbeats do not wait for earlier requests to finish (see MAX_IN_FLIGHT).
     */
    static final Duration VOTE_TIMEOUT = Duration.ofMillis(500);
    static final Duration HEARTBEAT_TIMEOUT = Duration.ofMillis(500);
    static final Duration REPLICATION_TIMEOUT = Duration.ofMillis(1000);
    /**
     * AppendEntries requests outstanding per peer. Heartbeats go out every 100 ms even while
     * earlier ones are unanswered, so a lost message (a black-holed connection) never delays the
     * next one; this bounds the connections a black-holed peer can hold.
     */
    static final int MAX_IN_FLIGHT = 5;
    /** An entry-carrying request unanswered for this long is presumed lost and its entries resent. */
    static final long RESEND_ENTRIES_AFTER_MILLIS = 300;

    /** An InstallSnapshot carries the whole snapshot in one request; the follower fsyncs it before answering. */
    static final Duration SNAPSHOT_TIMEOUT = Duration.ofSeconds(3);
    /**
     * After a failed InstallSnapshot the next waits this long: every request to a leader tries to
     * bring each peer up to date, and a down peer fails at once, so without a pause the snapshot
     * would be encoded and sent again for every client request.
     */
    static final long SNAPSHOT_RETRY_MILLIS = 300;
    /** Applied entries between snapshots: after 3,000 writes a log holds fewer than 1,000 entries. */
    static final long DEFAULT_SNAPSHOT_INTERVAL = 500;
    /** Overrides {@link #DEFAULT_SNAPSHOT_INTERVAL} (tests use small ones); 0 turns snapshots off. */
    public static final String SNAPSHOT_INTERVAL_ENV = "REFERENCE_SNAPSHOT_INTERVAL";

    static final int MAX_BATCH_ENTRIES = 512;
    static final int MAX_BATCH_BYTES = 256 * 1024;

    private static final String JSON = "application/json";

    private static final class Peer {
        final String id;
        final String route;
        /** Created to catch a newcomer up; not kept as a departing member if its change fails. */
        boolean learnerOnly;

        long nextIndex = 1;
        long matchIndex;
        int inFlight;
        int entryRequestsInFlight;
        long lastEntrySendNanos;
        long lastAckNanos;
        long sentRound;
        long ackedRound;
        long lastFailureLog;
        int failuresSinceLog;
        /** An InstallSnapshot to this peer is outstanding (at most one at a time). */
        boolean snapshotInFlight;
        /** No InstallSnapshot goes to this peer before this time: the last one failed. */
        long snapshotRetryNanos;
        /** The index of the last snapshot sent to this peer, so each is logged once. */
        long snapshotSentIndex;

        Peer(String id, String route) {
            this.id = id;
            this.route = route;
            this.snapshotRetryNanos = System.nanoTime();
        }
    }

    /**
     * A membership change the leader is carrying out: its newcomers catch up as learners, then it
     * appends {@link #next} of the configuration in force; it is done once a configuration at or
     * after that entry, not joint, is committed (for a joint change, the C_new that follows).
     */
    private static final class Change {
        final Set<String> learners;
        final UnaryOperator<Configuration> next;
        final long deadline;
        final CompletableFuture<Configuration> done = new CompletableFuture<>();
        long appendedIndex;

        Change(Set<String> learners, UnaryOperator<Configuration> next, long deadline) {
            this.learners = learners;
            this.next = next;
            this.deadline = deadline;
        }
    }

    private record PendingWrite(long term, CompletableFuture<Object> future) {}

    private record PendingRead(long round, long readIndex, CompletableFuture<Void> future) {}

    /** How long a leader that removed itself waits for departing members to hold that, before it steps down. */
    static final long DEPARTING_WAIT_MILLIS = 1_000;
    /** How long newcomers may take to catch up before their change fails. */
    static final long CATCH_UP_TIMEOUT_MILLIS = 8_000;

    private final String id;
    /** Identity → route, for every node this one may ever reach. */
    private final Map<String, String> routes = new LinkedHashMap<>();
    /** Everyone this node sends to: the members in force (and, as leader, learners and departing members). */
    private final Map<String, Peer> peers = new LinkedHashMap<>();

    private final ConfigHistory configs;
    /** Whether peers are known by identity ({@code ROUTES} given), not only by route. */
    private final boolean identitiesKnown;

    private final List<Change> changes = new ArrayList<>();
    private CompletableFuture<Void> termCommitted = new CompletableFuture<>();
    /** When this leader found the configuration without it committed (0: not yet). */
    private long removedAt;

    private final RaftBug bug;
    private final RaftState state;
    private final RaftLog log;
    private final StateMachine machine;
    private final PeerClient client;
    private final ObjectMapper json;
    private final ScheduledExecutorService ticker;

    private Role role = Role.FOLLOWER;
    private String leaderId;
    private long commitIndex;
    private long lastApplied;
    private long electionDeadline;
    private boolean heardFromLeader;
    private long lastLeaderContact;
    private long nextHeartbeat;
    private long lastTick;
    private final Set<String> votes = new HashSet<>();
    private long leaderStartIndex;
    private long selfDurableIndex;
    private final TreeMap<Long, PendingWrite> pendingWrites = new TreeMap<>();
    private final List<PendingRead> pendingReads = new ArrayList<>();
    private long readRound;
    private boolean stopped;
    private long snapshotInterval = DEFAULT_SNAPSHOT_INTERVAL;

    RaftNode(
            Config config,
            RaftBug bug,
            RaftState state,
            RaftLog log,
            StateMachine machine,
            PeerClient client,
            ObjectMapper json) {
        this.id = config.addr();
        Map<String, String> idsByRoute = new LinkedHashMap<>();
        config.routes().forEach((peerId, route) -> {
            routes.put(peerId, route);
            idsByRoute.put(route, peerId);
        });
        SortedSet<String> initial = new TreeSet<>();
        if (!config.peers().isEmpty() || config.routes().isEmpty()) {
            initial.add(id); // a member from the start (a spare has no PEERS but knows ROUTES)
        }
        for (String route : config.peers()) {
            String peerId = idsByRoute.getOrDefault(route, route); // without ROUTES, the route stands for the peer
            routes.putIfAbsent(peerId, route);
            initial.add(peerId);
        }
        this.identitiesKnown = !config.routes().isEmpty() || config.peers().isEmpty();
        this.configs = new ConfigHistory(Configuration.of(initial));
        for (LogEntry entry : log.all()) {
            configs.appended(entry);
        }
        this.bug = bug;
        this.state = state;
        this.log = log;
        this.machine = machine;
        this.client = client;
        this.json = json;
        syncPeers();
        this.ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "raft-ticker");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts the timers; a single-node cluster elects itself at once. */
    void start() {
        synchronized (this) {
            lastTick = System.nanoTime();
            resetElectionDeadline();
            if (isElectionQuorum(id::equals)) {
                startPreVote();
            }
        }
        ticker.scheduleAtFixedRate(this::tickSafely, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        synchronized (this) {
            stopped = true;
            failPending(new OutcomeUnknownException("the node is stopping; the write may still commit"));
        }
    }

    // ---------------------------------------------------------------- client operations

    public synchronized Routing routing() {
        boolean member = configs.latest().isVoter(id);
        return new Routing(role == Role.LEADER && !stopped, member ? leaderId : null);
    }

    /**
     * Appends {@code command} to the log as leader, stamped with this leader's time. The future
     * completes with what the state machine's {@code apply} returned once the entry is committed
     * and applied, and fails with {@link NotLeaderException} (nothing was appended) or
     * {@link OutcomeUnknownException}.
     */
    public synchronized CompletableFuture<Object> propose(byte[] command) {
        if (command.length == 0) {
            throw new IllegalArgumentException("an empty command is a no-op; propose a real change");
        }
        if (stopped || role != Role.LEADER) {
            return CompletableFuture.failedFuture(new NotLeaderException(leaderId));
        }
        LogEntry entry = new LogEntry(log.lastIndex() + 1, currentTerm(), nextStamp(), command);
        CompletableFuture<Object> result = new CompletableFuture<>();
        pendingWrites.put(entry.index(), new PendingWrite(entry.term(), result));
        appendAsLeader(entry);
        for (Peer peer : peers.values()) {
            if (peer.entryRequestsInFlight == 0) {
                sendAppend(peer);
            }
        }
        return result;
    }

    /**
     * Completes when a read served now from the state machine is linearizable: this node was
     * still leader (a quorum answered it) after the call, and every write committed before the
     * call has been applied.
     */
    public synchronized CompletableFuture<Void> readBarrier() {
        if (stopped || role != Role.LEADER) {
            return CompletableFuture.failedFuture(new NotLeaderException(leaderId));
        }
        PendingRead read =
                new PendingRead(++readRound, Math.max(commitIndex, leaderStartIndex), new CompletableFuture<>());
        pendingReads.add(read);
        for (Peer peer : peers.values()) {
            sendAppend(peer);
        }
        checkReads();
        return read.future();
    }

    public synchronized ClusterInfo clusterInfo() {
        Configuration config = configs.latest();
        boolean member = config.isVoter(id);
        List<String> others = new ArrayList<>();
        for (String other : config.members()) {
            if (!other.equals(id)) {
                others.add(route(other));
            }
        }
        List<String> learners = new ArrayList<>();
        if (role == Role.LEADER) {
            for (Change change : changes) {
                if (change.appendedIndex == 0) {
                    learners.addAll(change.learners);
                }
            }
        }
        return new ClusterInfo(
                id,
                role,
                currentTerm(),
                member ? leaderId : null,
                member ? others : List.of(),
                member ? List.copyOf(config.members()) : List.of(),
                learners.stream().sorted().toList(),
                config.joint() ? config : null);
    }

    public synchronized LogView logView() {
        return new LogView(log.all(), commitIndex, lastApplied);
    }

    // ---------------------------------------------------------------- membership

    /** Whether this node is a voting member of the configuration in force. */
    public synchronized boolean isMember() {
        return configs.latest().isVoter(id);
    }

    /** This node's identity ({@code ADDR}). */
    public String id() {
        return id;
    }

    /** The route to {@code node} ({@code ROUTES}), or null when this node has none. */
    public synchronized String routeTo(String node) {
        return routes.get(node);
    }

    /**
     * Adds {@code newcomer} (a single-server change): it catches up as a learner, then the
     * configuration with it is appended. Completes with the new configuration once committed.
     */
    public CompletableFuture<Configuration> addMember(String newcomer) {
        return change(
                Set.of(newcomer),
                current -> {
                    SortedSet<String> voters = new TreeSet<>(current.voters());
                    voters.add(newcomer);
                    return Configuration.of(voters);
                },
                current -> current.isVoter(newcomer));
    }

    /** Removes {@code member} (a single-server change); completes once the configuration without it is committed. */
    public CompletableFuture<Configuration> removeMember(String member) {
        return change(
                Set.of(),
                current -> {
                    SortedSet<String> voters = new TreeSet<>(current.voters());
                    voters.remove(member);
                    return Configuration.of(voters);
                },
                current -> !current.isVoter(member));
    }

    /**
     * Moves to the members {@code target} through joint consensus: newcomers catch up as learners,
     * then C_old,new is appended and, once committed, C_new. Completes once C_new is committed.
     */
    public CompletableFuture<Configuration> changeMembers(Set<String> target) {
        return change(target, current -> Configuration.joint(current.voters(), target), current -> current.voters()
                .equals(new TreeSet<>(target)));
    }

    /**
     * Starts a change once this leader has committed an entry of its term (so it knows the
     * configuration in force is committed, dissertation §4.1). Fails with
     * {@link NotLeaderException}, {@link ChangeInProgressException}, or
     * {@link IllegalArgumentException} for a member this node has no route to.
     */
    private CompletableFuture<Configuration> change(
            Set<String> newcomers, UnaryOperator<Configuration> next, Predicate<Configuration> alreadyDone) {
        CompletableFuture<Void> ready;
        synchronized (this) {
            if (stopped || role != Role.LEADER) {
                return CompletableFuture.failedFuture(new NotLeaderException(leaderId));
            }
            for (String member : newcomers) {
                if (!member.equals(id) && !routes.containsKey(member)) {
                    return CompletableFuture.failedFuture(
                            new IllegalArgumentException("no route to " + member + ": it is not in ROUTES"));
                }
            }
            ready = termCommitted;
        }
        return ready.thenComposeAsync(ignored -> startChange(newcomers, next, alreadyDone));
    }

    private synchronized CompletableFuture<Configuration> startChange(
            Set<String> newcomers, UnaryOperator<Configuration> next, Predicate<Configuration> alreadyDone) {
        if (stopped || role != Role.LEADER) {
            return CompletableFuture.failedFuture(new NotLeaderException(leaderId));
        }
        Configuration current = configs.latest();
        boolean busy = !changes.isEmpty() || current.joint() || configs.latestIndex() > commitIndex;
        // BUG two-changes-in-flight: a change is accepted while another is still in progress.
        if (busy && !has(RaftBug.TWO_CHANGES_IN_FLIGHT)) {
            return CompletableFuture.failedFuture(new ChangeInProgressException());
        }
        if (!busy && alreadyDone.test(current)) {
            return CompletableFuture.completedFuture(current);
        }
        Set<String> learners = new TreeSet<>(newcomers);
        learners.removeAll(current.members());
        learners.remove(id);
        Change change = new Change(learners, next, System.nanoTime() + millis(CATCH_UP_TIMEOUT_MILLIS));
        changes.add(change);
        if (!learners.isEmpty()) {
            Log.info("catching up %s as learners", learners);
        }
        syncPeers();
        for (String learner : learners) {
            sendAppend(peers.get(learner));
        }
        advanceMembership();
        return change.done;
    }

    /**
     * Moves membership changes on, as leader: appends a change's configuration once its learners
     * have caught up (or fails it when they take too long), follows a committed C_old,new with
     * C_new (whoever began the change), completes changes whose configuration is committed, and
     * steps down once a configuration without this node is committed.
     */
    private void advanceMembership() {
        if (role != Role.LEADER || stopped) {
            return;
        }
        long now = System.nanoTime();
        Iterator<Change> it = changes.iterator();
        while (it.hasNext()) {
            Change change = it.next();
            if (change.appendedIndex != 0) {
                continue;
            }
            // BUG voter-before-catch-up: a newcomer is made a voter at once, before it has the log.
            if (caughtUp(change) || has(RaftBug.VOTER_BEFORE_CATCH_UP)) {
                Configuration next = change.next.apply(configs.latest());
                LogEntry entry = new LogEntry(log.lastIndex() + 1, currentTerm(), nextStamp(), next.encode());
                change.appendedIndex = entry.index();
                appendAsLeader(entry);
                sendToAll();
            } else if (now - change.deadline >= 0) {
                it.remove();
                change.done.completeExceptionally(new TimeoutException(
                        "learners " + change.learners + " did not catch up within " + CATCH_UP_TIMEOUT_MILLIS + " ms"));
                syncPeers();
            }
        }
        Configuration latest = configs.latest();
        long latestIndex = configs.latestIndex();
        if (latest.joint() && latestIndex <= commitIndex && mayCompleteJoint(latestIndex)) {
            LogEntry entry = new LogEntry(
                    log.lastIndex() + 1,
                    currentTerm(),
                    nextStamp(),
                    Configuration.of(latest.next()).encode());
            appendAsLeader(entry);
            sendToAll();
            return;
        }
        if (latest.joint() || latestIndex > commitIndex) {
            return;
        }
        it = changes.iterator();
        while (it.hasNext()) {
            Change change = it.next();
            if (change.appendedIndex != 0 && change.appendedIndex <= latestIndex) {
                it.remove();
                change.done.complete(latest);
            }
        }
        // BUG leader-stays-after-removal: a leader that removed itself keeps leading.
        if (!latest.isVoter(id) && !has(RaftBug.LEADER_STAYS_AFTER_REMOVAL)) {
            // It first makes sure every departing member holds the configuration that removed it
            // (no later leader will tell them), waiting for the unreachable at most a while.
            if (removedAt == 0) {
                removedAt = now;
            }
            if (departingHold(latestIndex) || now - removedAt > millis(DEPARTING_WAIT_MILLIS)) {
                becomeFollower(currentTerm(), null, "the configuration without this node is committed");
            }
        }
    }

    /** Whether every peer outside the configuration in force holds its entry at {@code index}. */
    private boolean departingHold(long index) {
        Configuration config = configs.latest();
        for (Peer peer : peers.values()) {
            if (!config.isVoter(peer.id) && !peer.learnerOnly && peer.matchIndex < index) {
                return false;
            }
        }
        return true;
    }

    /** Any leader finishes a joint change it finds committed (a crashed leader began it). */
    private boolean mayCompleteJoint(long jointIndex) {
        // BUG joint-not-completed: only the leader that began the change appends C_new.
        if (!has(RaftBug.JOINT_NOT_COMPLETED)) {
            return true;
        }
        for (Change change : changes) {
            if (change.appendedIndex == jointIndex) {
                return true;
            }
        }
        return false;
    }

    /** A learner has caught up once it holds everything committed when asked. */
    private boolean caughtUp(Change change) {
        for (String learner : change.learners) {
            Peer peer = peers.get(learner);
            if (peer == null || peer.matchIndex < commitIndex) {
                return false;
            }
        }
        return true;
    }

    private void sendToAll() {
        for (Peer peer : peers.values()) {
            if (peer.entryRequestsInFlight == 0) {
                sendAppend(peer);
            }
        }
    }

    /** The peers that vote in the configuration in force. */
    private List<Peer> voters() {
        Configuration config = configs.latest();
        List<Peer> voters = new ArrayList<>();
        for (Peer peer : peers.values()) {
            if (config.isVoter(peer.id)) {
                voters.add(peer);
            }
        }
        return voters;
    }

    /**
     * Brings {@link #peers} in line with the configuration in force: its members; as leader also
     * learners being caught up, and removed members until they hold the entry that removed them
     * (so they learn it and stop expecting a leader).
     */
    private void syncPeers() {
        Set<String> wanted = new LinkedHashSet<>(configs.latest().members());
        if (role == Role.LEADER) {
            for (Change change : changes) {
                wanted.addAll(change.learners);
            }
        }
        wanted.remove(id);
        long latestIndex = configs.latestIndex();
        peers.values()
                .removeIf(peer -> !wanted.contains(peer.id)
                        && !(role == Role.LEADER && !peer.learnerOnly && peer.matchIndex < latestIndex));
        long now = System.nanoTime();
        Configuration config = configs.latest();
        for (String member : wanted) {
            Peer peer = peers.get(member);
            if (peer == null) {
                peer = new Peer(member, route(member));
                peer.nextIndex = log.lastIndex() + 1;
                peer.lastAckNanos = now;
                peer.learnerOnly = !config.isVoter(member);
                peers.put(member, peer);
            } else if (config.isVoter(member)) {
                peer.learnerOnly = false;
            }
        }
    }

    private String route(String member) {
        return routes.getOrDefault(member, member);
    }

    public synchronized SnapshotView snapshotView() {
        // BUG snapshot-loses-last-term: the term is left out (0) of what the node reports.
        long term = has(RaftBug.SNAPSHOT_LOSES_LAST_TERM) ? 0 : log.snapshotTerm();
        return new SnapshotView(log.snapshotIndex(), term);
    }

    // ---------------------------------------------------------------- snapshots: set-up

    /**
     * The snapshot interval {@code env} asks for ({@link #SNAPSHOT_INTERVAL_ENV}), or the default.
     *
     * @throws IllegalArgumentException if the value is not a whole number of at least 0
     */
    static long snapshotInterval(Map<String, String> env) {
        String value = env.get(SNAPSHOT_INTERVAL_ENV);
        if (value == null || value.isBlank()) {
            return DEFAULT_SNAPSHOT_INTERVAL;
        }
        try {
            long interval = Long.parseLong(value.trim());
            if (interval >= 0) {
                return interval;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                SNAPSHOT_INTERVAL_ENV + "=" + value + " is not a whole number of entries (0 turns snapshots off)");
    }

    /** Takes a snapshot every {@code entries} applied entries (0: never); call before {@link #start}. */
    synchronized void snapshotEvery(long entries) {
        if (entries < 0) {
            throw new IllegalArgumentException("a snapshot interval cannot be negative: " + entries);
        }
        snapshotInterval = entries;
    }

    /**
     * Before {@link #start}: loads the snapshot the recovered log starts after, so the state
     * machine holds everything through it and only the entries after it are applied again.
     */
    synchronized void recover() {
        Snapshot snapshot = log.snapshot();
        if (snapshot.isNone()) {
            return;
        }
        restoreFrom(snapshot);
        Log.info("restored the state machine from the %s", snapshot);
    }

    // ---------------------------------------------------------------- RPC handlers

    synchronized Rpc.VoteResponse onRequestVote(Rpc.VoteRequest request) {
        if (stopped) {
            return new Rpc.VoteResponse(currentTerm(), false);
        }
        if (request.term() > currentTerm()) {
            becomeFollower(
                    request.term(),
                    null,
                    "saw term " + request.term() + " in a vote request from " + request.candidateId());
        }
        boolean granted = false;
        if (request.term() == currentTerm() && request.candidateId() != null && logIsUpToDate(request)) {
            String votedFor = state.votedFor();
            // BUG vote-twice: the vote already cast in this term is not checked.
            boolean free = votedFor == null || votedFor.equals(request.candidateId()) || has(RaftBug.VOTE_TWICE);
            if (free) {
                persist(currentTerm(), request.candidateId());
                granted = true;
                resetElectionDeadline();
            }
        }
        return new Rpc.VoteResponse(currentTerm(), granted);
    }

    /**
     * PreVote (Raft thesis §9.6): would this node vote for the candidate in the term it proposes?
     * Changes nothing. Refused while this node hears from a leader, so a node that was cut off
     * cannot depose a healthy leader when it comes back.
     */
    synchronized Rpc.VoteResponse onPreVote(Rpc.VoteRequest request) {
        long now = System.nanoTime();
        boolean leaderAlive = role == Role.LEADER
                || (heardFromLeader && now - lastLeaderContact < millis(MIN_ELECTION_TIMEOUT_MILLIS));
        boolean granted = !stopped && request.term() > currentTerm() && !leaderAlive && logIsUpToDate(request);
        return new Rpc.VoteResponse(currentTerm(), granted);
    }

    /** The future completes, with the answer, once the appended entries are durable. */
    CompletableFuture<Rpc.AppendResponse> onAppendEntries(Rpc.AppendRequest request) {
        if (request.leaderId() == null || request.leaderId().isEmpty()) {
            throw new IllegalArgumentException("leader-id is missing");
        }
        List<LogEntry> incoming = new ArrayList<>();
        for (Rpc.Entry entry : request.entriesOrEmpty()) {
            incoming.add(entry.toLogEntry());
        }
        for (int i = 0; i < incoming.size(); i++) {
            if (incoming.get(i).index() != request.prevLogIndex() + 1 + i) {
                throw new IllegalArgumentException("entries do not follow prev-log-index " + request.prevLogIndex());
            }
        }
        synchronized (this) {
            long term = currentTerm();
            if (stopped || request.term() < term) {
                return CompletableFuture.completedFuture(new Rpc.AppendResponse(term, false, 0));
            }
            // BUG heartbeat-ignored: only AppendEntries that carry entries count as contact.
            followLeader(request.term(), request.leaderId(), !incoming.isEmpty() || !has(RaftBug.HEARTBEAT_IGNORED));
            term = currentTerm();
            long prevIndex = request.prevLogIndex();
            if (prevIndex > log.lastIndex()) {
                return CompletableFuture.completedFuture(new Rpc.AppendResponse(term, false, log.lastIndex() + 1));
            }
            long lastNew = prevIndex + incoming.size();
            if (prevIndex < log.snapshotIndex()) {
                // The entries through the snapshot are committed, so they are the leader's too:
                // only the ones after it need comparing.
                int covered = (int) Math.min(incoming.size(), log.snapshotIndex() - prevIndex);
                incoming = incoming.subList(covered, incoming.size());
            } else {
                long localPrevTerm = log.termAt(prevIndex);
                // BUG no-prev-log-check: an entry at prev-log-index of another term is taken as a match.
                if (localPrevTerm != request.prevLogTerm() && !has(RaftBug.NO_PREV_LOG_CHECK)) {
                    long conflict = log.firstIndexOfTerm(localPrevTerm, prevIndex);
                    return CompletableFuture.completedFuture(new Rpc.AppendResponse(term, false, conflict));
                }
            }
            int firstNew = -1;
            for (int i = 0; i < incoming.size(); i++) {
                LogEntry entry = incoming.get(i);
                if (entry.index() > log.lastIndex()) {
                    firstNew = i;
                    break;
                }
                if (log.termAt(entry.index()) != entry.term()) {
                    // BUG keep-conflicting-entries: an index already held is skipped, whatever its term.
                    if (has(RaftBug.KEEP_CONFLICTING_ENTRIES)) {
                        continue;
                    }
                    if (entry.index() <= commitIndex) {
                        Log.info(
                                "refusing to overwrite committed entry %d (term %d) with term %d",
                                entry.index(), log.termAt(entry.index()), entry.term());
                        return CompletableFuture.completedFuture(new Rpc.AppendResponse(term, false, commitIndex + 1));
                    }
                    firstNew = i;
                    break;
                }
            }
            CompletableFuture<Void> durable;
            if (firstNew >= 0) {
                List<LogEntry> appended = incoming.subList(firstNew, incoming.size());
                durable = log.replaceFrom(appended);
                trackConfigs(appended);
            } else {
                durable = log.durable();
            }

            // BUG ignore-leader-commit: a follower never learns what the leader has committed.
            if (request.leaderCommit() > commitIndex && !has(RaftBug.IGNORE_LEADER_COMMIT)) {
                long newCommit = Math.min(request.leaderCommit(), lastNew);
                if (newCommit > commitIndex) {
                    commitIndex = newCommit;
                    applyCommitted();
                }
            }
            long answerTerm = term;
            return durable.thenApply(ignored -> new Rpc.AppendResponse(answerTerm, true, 0));
        }
    }

    /** Keeps the configuration in force in step with entries that replaced the log from their first index. */
    private void trackConfigs(List<LogEntry> appended) {
        Configuration before = configs.latest();
        configs.truncatedFrom(appended.get(0).index());
        for (LogEntry entry : appended) {
            configs.appended(entry);
        }
        Configuration after = configs.latest();
        if (!after.equals(before)) {
            Log.info("configuration %s in force (was %s)", after, before);
            syncPeers();
        }
    }

    /**
     * InstallSnapshot (Raft §7): the leader's snapshot, sent because it no longer holds the entries
     * this node needs next. Unless this node's state already covers it, the snapshot is written to
     * disk first (off the lock, by the snapshot store's thread), then installed: the log starts
     * after it (keeping the entries after its last included entry if this log holds that entry
     * with the same term) and the state machine is restored from it. The future completes with
     * this node's term once that is done.
     */
    CompletableFuture<Rpc.InstallSnapshotResponse> onInstallSnapshot(Rpc.InstallSnapshotRequest request) {
        if (request.leaderId() == null || request.leaderId().isEmpty()) {
            throw new IllegalArgumentException("leader-id is missing");
        }
        if (request.data() == null) {
            throw new IllegalArgumentException("data is missing");
        }
        if (request.lastIncludedIndex() < 1 || request.lastIncludedTerm() < 0) {
            throw new IllegalArgumentException(
                    "last-included-index must be at least 1 and last-included-term at least 0");
        }
        Snapshot snapshot = request.toSnapshot();
        synchronized (this) {
            long term = currentTerm();
            if (stopped || request.term() < term) {
                return CompletableFuture.completedFuture(new Rpc.InstallSnapshotResponse(term));
            }
            followLeader(request.term(), request.leaderId(), true);
            long answerTerm = currentTerm();
            Rpc.InstallSnapshotResponse answer = new Rpc.InstallSnapshotResponse(answerTerm);
            if (snapshot.index() <= lastApplied) {
                return CompletableFuture.completedFuture(answer); // this node's state already covers it
            }
            if (!machine.snapshots()) {
                return CompletableFuture.failedFuture(
                        new IllegalStateException("this node's state machine cannot restore a snapshot"));
            }
            // BUG install-snapshot-ignored-beyond-log: "nothing in my log to replace", so a
            // snapshot past the last index is acknowledged and dropped.
            if (has(RaftBug.INSTALL_SNAPSHOT_IGNORED_BEYOND_LOG) && snapshot.index() > log.lastIndex()) {
                return CompletableFuture.completedFuture(answer);
            }
            return log.saveSnapshot(snapshot).thenApply(ignored -> {
                installSnapshot(snapshot);
                return answer;
            });
        }
    }

    /** Once {@code snapshot} from the leader is durable: the log starts after it and the state machine holds it. */
    private synchronized void installSnapshot(Snapshot snapshot) {
        if (stopped || snapshot.index() <= lastApplied) {
            return; // entries applied meanwhile already cover it; the file on disk is just as good
        }
        RaftLog.Installed installed = log.installSnapshot(snapshot);
        if (!installed.keptSuffix()) {
            configs.truncatedFrom(snapshot.index() + 1); // the configurations of the discarded log go with it
        }
        installed.durable().whenComplete((ignored, error) -> {
            if (error != null) {
                Log.info("raft: compacting the log after an installed snapshot failed: %s", error);
            }
        });
        restoreFrom(snapshot);
        Log.info(
                "installed the leader's %s; %s",
                snapshot,
                installed.keptSuffix()
                        ? "kept the " + (log.lastIndex() - snapshot.index()) + " entries after it"
                        : "discarded the log");
    }

    /**
     * A valid AppendEntries or InstallSnapshot of {@code term}, at least the current one: follow
     * its sender, and unless {@code contact} is false, count it as hearing from the leader.
     */
    private void followLeader(long term, String leader, boolean contact) {
        if (term > currentTerm() || role != Role.FOLLOWER) {
            becomeFollower(term, leader, "heard from leader " + leader + " of term " + term);
        } else if (!leader.equals(leaderId)) {
            setLeader(leader);
            Log.info("following leader %s in term %d", leader, term);
        }
        if (contact) {
            heardFromLeader = true;
            lastLeaderContact = System.nanoTime();
            resetElectionDeadline();
        }
    }

    // ---------------------------------------------------------------- timers

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            Log.info("raft: tick failed: %s", e);
        }
    }

    private synchronized void tick() {
        if (stopped) {
            return;
        }
        long now = System.nanoTime();
        long stall = now - lastTick - millis(TICK_MILLIS);
        lastTick = now;
        if (role == Role.LEADER) {
            if (stall > millis(STALL_MILLIS)) {
                discountStall(now, stall);
            }
            // BUG never-step-down: the leader never checks that a quorum still answers it.
            if (!has(RaftBug.NEVER_STEP_DOWN) && !quorumAnsweredSince(now - millis(QUORUM_TIMEOUT_MILLIS))) {
                becomeFollower(currentTerm(), null, "no quorum answered for " + QUORUM_TIMEOUT_MILLIS + " ms");
                return;
            }
            if (now - nextHeartbeat >= 0) {
                nextHeartbeat = now + millis(HEARTBEAT_MILLIS);
                for (Peer peer : peers.values()) {
                    sendAppend(peer);
                }
            }
            advanceMembership();
        } else if (now - electionDeadline >= 0 && !configs.latest().isVoter(id)) {
            // Not a member (a spare, or removed): it never campaigns, so it cannot disrupt anyone.
            // BUG removed-node-disrupts: a node that was a member keeps campaigning, without PreVote.
            if (has(RaftBug.REMOVED_NODE_DISRUPTS)
                    && !configs.latest().members().isEmpty()
                    && log.lastIndex() > 0) {
                startElection();
            } else {
                resetElectionDeadline();
            }
        } else if (now - electionDeadline >= 0) {
            if (leaderId != null) {
                Log.info("election timeout: lost contact with leader %s", leaderId);
            }
            setLeader(null);
            startPreVote();
        }
    }

    /**
     * The leader measures its followers' silence on its own running time: while this node stood
     * still it sent them nothing to answer, so the stall is not counted against them. After a pause
     * it therefore leads on until its heartbeats go unanswered for the quorum window or meet a
     * higher term, which is why reads confirm leadership with a majority ({@link #readBarrier}) and
     * never trust the role alone.
     */
    private void discountStall(long now, long stall) {
        for (Peer peer : peers.values()) {
            peer.lastAckNanos = Math.min(now, peer.lastAckNanos + stall);
        }
    }

    private boolean quorumAnsweredSince(long since) {
        return isElectionQuorum(member -> {
            Peer peer = peers.get(member);
            return member.equals(id) || (peer != null && peer.lastAckNanos - since > 0);
        });
    }

    private void resetElectionDeadline() {
        long timeout =
                ThreadLocalRandom.current().nextLong(MIN_ELECTION_TIMEOUT_MILLIS, MAX_ELECTION_TIMEOUT_MILLIS + 1);
        electionDeadline = System.nanoTime() + millis(timeout);
    }

    // ---------------------------------------------------------------- elections

    private void startPreVote() {
        role = Role.PRE_CANDIDATE;
        resetElectionDeadline();
        votes.clear();
        votes.add(id);
        if (isElectionQuorum(votes::contains)) {
            startElection();
            return;
        }
        long term = currentTerm();
        byte[] body = encode(new Rpc.VoteRequest(term + 1, id, log.lastIndex(), log.lastTerm()));
        for (Peer peer : voters()) {
            client.send(peer.route, "POST", Rpc.PRE_VOTE, JSON, body, VOTE_TIMEOUT)
                    .whenComplete((response, error) -> onPreVoteResponse(peer, term, response, error));
        }
    }

    private synchronized void onPreVoteResponse(Peer peer, long term, PeerClient.Response response, Throwable error) {
        Rpc.VoteResponse vote = decode(response, error, Rpc.VoteResponse.class);
        if (vote == null || stopped) {
            return;
        }
        if (vote.term() > currentTerm()) {
            becomeFollower(vote.term(), null, "a pre-vote answer carried term " + vote.term());
            return;
        }
        if (role != Role.PRE_CANDIDATE || currentTerm() != term || !vote.voteGranted()) {
            return;
        }
        votes.add(peer.id);
        if (isElectionQuorum(votes::contains)) {
            startElection();
        }
    }

    private void startElection() {
        long term = currentTerm() + 1;
        persist(term, id);
        role = Role.CANDIDATE;
        setLeader(null);
        resetElectionDeadline();
        votes.clear();
        votes.add(id);
        Log.info("campaigning in term %d (last log index %d, term %d)", term, log.lastIndex(), log.lastTerm());
        if (isElectionQuorum(votes::contains)) {
            becomeLeader();
            return;
        }
        byte[] body = encode(new Rpc.VoteRequest(term, id, log.lastIndex(), log.lastTerm()));
        for (Peer peer : voters()) {
            client.send(peer.route, "POST", Rpc.REQUEST_VOTE, JSON, body, VOTE_TIMEOUT)
                    .whenComplete((response, error) -> onVoteResponse(peer, term, response, error));
        }
    }

    private synchronized void onVoteResponse(Peer peer, long term, PeerClient.Response response, Throwable error) {
        Rpc.VoteResponse vote = decode(response, error, Rpc.VoteResponse.class);
        if (vote == null || stopped) {
            return;
        }
        if (vote.term() > currentTerm()) {
            becomeFollower(vote.term(), null, "a vote answer carried term " + vote.term());
            return;
        }
        if (role != Role.CANDIDATE || currentTerm() != term || !vote.voteGranted()) {
            return;
        }
        votes.add(peer.id);
        if (isElectionQuorum(votes::contains)) {
            becomeLeader();
        }
    }

    private void becomeLeader() {
        role = Role.LEADER;
        leaderId = id;
        termCommitted = new CompletableFuture<>();
        removedAt = 0;
        syncPeers();
        long now = System.nanoTime();
        for (Peer peer : peers.values()) {
            peer.nextIndex = log.lastIndex() + 1;
            peer.matchIndex = 0;
            peer.lastAckNanos = now;
            peer.sentRound = 0;
            peer.ackedRound = 0;
        }
        selfDurableIndex = 0;
        LogEntry noop = LogEntry.noop(log.lastIndex() + 1, currentTerm(), nextStamp());
        leaderStartIndex = noop.index();
        Log.info("leader of term %d with votes of %s in %s", currentTerm(), new TreeSet<>(votes), configs.latest());
        appendAsLeader(noop);
        nextHeartbeat = now + millis(HEARTBEAT_MILLIS);
        for (Peer peer : peers.values()) {
            sendAppend(peer);
        }
    }

    /** Steps down to follower in {@code term} (persisting it if new), following {@code leader} if known. */
    private void becomeFollower(long term, String leader, String reason) {
        boolean newTerm = term > currentTerm();
        if (newTerm) {
            persist(term, null);
        }
        Role previous = role;
        role = Role.FOLLOWER;
        setLeader(leader);
        if (previous == Role.LEADER) {
            resetElectionDeadline();
            failPending(new OutcomeUnknownException("leadership lost before the write was committed"));
            termCommitted.completeExceptionally(new NotLeaderException(leaderId));
            for (Change change : changes) {
                change.done.completeExceptionally(
                        change.appendedIndex == 0
                                ? new NotLeaderException(leaderId)
                                : new OutcomeUnknownException("leadership lost before the change was committed"));
            }
            changes.clear();
            syncPeers();
        }
        if (previous != Role.FOLLOWER || newTerm) {
            Log.info("follower in term %d (was %s): %s", currentTerm(), previous.wireName(), reason);
        }
    }

    private void setLeader(String leader) {
        // BUG stale-leader: a leader, once known, is only ever replaced, never forgotten.
        if (leader == null && has(RaftBug.STALE_LEADER)) {
            return;
        }
        leaderId = leader;
    }

    private boolean logIsUpToDate(Rpc.VoteRequest request) {
        long lastTerm = log.lastTerm();
        return request.lastLogTerm() > lastTerm
                || (request.lastLogTerm() == lastTerm && request.lastLogIndex() >= log.lastIndex());
    }

    /** Whether the members {@code counted} accepts commit an entry or confirm a read. */
    private boolean isQuorum(Predicate<String> counted) {
        // BUG joint-quorum-new-only: while joint, only a majority of C_new is asked for.
        return configs.latest().isQuorum(counted, this::majority, has(RaftBug.JOINT_QUORUM_NEW_ONLY));
    }

    /** Whether they win an election, or keep a leader in office (this node counted when it is a member). */
    private boolean isElectionQuorum(Predicate<String> counted) {
        return configs.latest().isQuorum(counted, this::electionMajority, has(RaftBug.JOINT_QUORUM_NEW_ONLY));
    }

    /** A majority of {@code size} members. */
    private int majority(int size) {
        // BUG half-is-majority: integer division alone, so 1 of 3 is "a majority" for everything.
        return has(RaftBug.HALF_IS_MAJORITY) ? Math.max(1, size / 2) : size / 2 + 1;
    }

    private int electionMajority(int size) {
        // BUG minority-elects: integer division alone, so 2 of 5 win an election and keep a leader in office.
        return has(RaftBug.MINORITY_ELECTS) ? size / 2 : majority(size);
    }

    // ---------------------------------------------------------------- replication

    private void appendAsLeader(LogEntry entry) {
        if (configs.appended(entry)) {
            Log.info("configuration %s in force from entry %d", configs.latest(), entry.index());
            syncPeers();
        }
        long term = entry.term();
        long index = entry.index();
        log.append(entry).whenComplete((ignored, error) -> onLocalAppend(term, index, error));
    }

    private synchronized void onLocalAppend(long term, long index, Throwable error) {
        if (error != null) {
            PendingWrite pending = pendingWrites.remove(index);
            if (pending != null) {
                pending.future().completeExceptionally(error);
            }
            return;
        }
        if (role == Role.LEADER && currentTerm() == term && index > selfDurableIndex) {
            selfDurableIndex = index;
            advanceCommitIndex();
        }
        // BUG ack-before-commit: the write is answered once the leader's own copy is durable.
        if (has(RaftBug.ACK_BEFORE_COMMIT)) {
            PendingWrite pending = pendingWrites.remove(index);
            if (pending != null) {
                pending.future().complete(null);
            }
        }
    }

    /**
     * Sends AppendEntries to {@code peer} unless {@link #MAX_IN_FLIGHT} requests are outstanding.
     * It carries the entries the peer lacks unless another request carrying entries is already
     * outstanding and recent; otherwise it is a heartbeat (which also checks log consistency at
     * prev-log-index and carries the commit index). A peer whose next index is inside the
     * snapshot gets the snapshot instead of entries, and heartbeats from the snapshot's index.
     */
    private void sendAppend(Peer peer) {
        boolean needsSnapshot = peer.nextIndex <= log.snapshotIndex();
        if (needsSnapshot) {
            sendSnapshot(peer);
        }
        if (peer.inFlight >= MAX_IN_FLIGHT) {
            return;
        }
        long now = System.nanoTime();
        boolean withEntries = !needsSnapshot
                && peer.nextIndex <= log.lastIndex()
                && (peer.entryRequestsInFlight == 0
                        || now - peer.lastEntrySendNanos > millis(RESEND_ENTRIES_AFTER_MILLIS));
        long prevIndex = needsSnapshot ? log.snapshotIndex() : peer.nextIndex - 1;
        List<LogEntry> batch = withEntries ? log.slice(peer.nextIndex, MAX_BATCH_ENTRIES, MAX_BATCH_BYTES) : List.of();
        List<Rpc.Entry> entries = new ArrayList<>(batch.size());
        for (LogEntry entry : batch) {
            entries.add(Rpc.Entry.of(entry));
        }
        long term = currentTerm();
        long round = readRound;
        byte[] body = encode(new Rpc.AppendRequest(term, id, prevIndex, log.termAt(prevIndex), entries, commitIndex));
        peer.inFlight++;
        if (withEntries) {
            peer.entryRequestsInFlight++;
            peer.lastEntrySendNanos = now;
        }
        peer.sentRound = Math.max(peer.sentRound, round);
        int count = batch.size();
        client.send(
                        peer.route,
                        "POST",
                        Rpc.APPEND_ENTRIES,
                        JSON,
                        body,
                        count == 0 ? HEARTBEAT_TIMEOUT : REPLICATION_TIMEOUT)
                .whenComplete(
                        (response, error) -> onAppendResponse(peer, term, round, prevIndex, count, response, error));
    }

    private synchronized void onAppendResponse(
            Peer peer,
            long term,
            long round,
            long prevIndex,
            int count,
            PeerClient.Response response,
            Throwable error) {
        peer.inFlight--;
        if (count > 0) {
            peer.entryRequestsInFlight--;
        }
        Rpc.AppendResponse answer =
                answerToLeader(peer, "append-entries", term, response, error, Rpc.AppendResponse.class);
        if (answer == null) {
            return; // lost or timed out: the next heartbeat tries again on a new connection
        }
        peer.ackedRound = Math.max(peer.ackedRound, round);
        long nextBefore = peer.nextIndex;
        if (answer.success()) {
            long match = prevIndex + count;
            if (match > peer.matchIndex) {
                peer.matchIndex = match;
            }
            peer.nextIndex = Math.max(peer.nextIndex, peer.matchIndex + 1);
            advanceCommitIndex();
            if (!configs.latest().isVoter(peer.id)) {
                advanceMembership(); // a learner may have caught up
                syncPeers(); // a departing member may now hold the entry that removed it
                if (peers.get(peer.id) != peer || role != Role.LEADER) {
                    return;
                }
            }
        } else if (peer.nextIndex == prevIndex + 1) {
            long hint = answer.conflictIndex() > 0 ? answer.conflictIndex() : prevIndex;
            peer.nextIndex = Math.max(peer.matchIndex + 1, Math.max(1, Math.min(prevIndex, hint)));
        }
        checkReads();
        // A refusal that moved nothing (the peer awaits a snapshot, or keeps refusing) waits for
        // the next heartbeat instead of being retried at once, round and round.
        boolean behind = peer.nextIndex <= log.lastIndex() && (answer.success() || peer.nextIndex != nextBefore);
        if ((behind && peer.entryRequestsInFlight == 0) || peer.sentRound < readRound) {
            sendAppend(peer);
        }
    }

    /**
     * Sends the snapshot the log starts after to {@code peer} in one InstallSnapshot request
     * (one chunk: a snapshot of this size fits one request), unless one is outstanding. Encoding
     * it happens under the lock: a few milliseconds of CPU for a snapshot of some hundred KB, and
     * only for a peer that fell behind the snapshot.
     */
    private void sendSnapshot(Peer peer) {
        if (peer.snapshotInFlight || System.nanoTime() - peer.snapshotRetryNanos < 0) {
            return;
        }
        Snapshot snapshot = log.snapshot();
        long term = currentTerm();
        // BUG snapshot-loses-last-term: the term is left out (0) of the InstallSnapshot it sends.
        Snapshot sent = has(RaftBug.SNAPSHOT_LOSES_LAST_TERM)
                ? new Snapshot(snapshot.index(), 0, snapshot.stamp(), snapshot.config(), snapshot.data())
                : snapshot;
        byte[] body = encode(Rpc.InstallSnapshotRequest.of(term, id, sent));
        peer.snapshotInFlight = true;
        if (peer.snapshotSentIndex != snapshot.index()) {
            peer.snapshotSentIndex = snapshot.index();
            Log.info("sending the %s to %s, whose next index %d is compacted", snapshot, peer.route, peer.nextIndex);
        }
        client.send(peer.route, "POST", Rpc.INSTALL_SNAPSHOT, JSON, body, SNAPSHOT_TIMEOUT)
                .whenComplete((response, error) -> onSnapshotResponse(peer, term, snapshot.index(), response, error));
    }

    private synchronized void onSnapshotResponse(
            Peer peer, long term, long index, PeerClient.Response response, Throwable error) {
        peer.snapshotInFlight = false;
        Rpc.InstallSnapshotResponse answer =
                answerToLeader(peer, "install-snapshot", term, response, error, Rpc.InstallSnapshotResponse.class);
        if (answer == null) {
            // a heartbeat after the pause finds the peer still behind and sends it again
            peer.snapshotRetryNanos = System.nanoTime() + millis(SNAPSHOT_RETRY_MILLIS);
            return;
        }
        peer.matchIndex = Math.max(peer.matchIndex, index);
        peer.nextIndex = Math.max(peer.nextIndex, index + 1);
        Log.info("%s installed the snapshot through %d", peer.route, index);
        advanceCommitIndex();
        sendAppend(peer);
    }

    /**
     * {@code peer}'s answer to a request this node sent as leader of {@code term}, or null when
     * there is nothing to act on: it was lost (noted), this node stopped, the answer carried a
     * higher term (this node steps down) or this node no longer leads in {@code term}. An answer
     * to act on counts as hearing from the peer.
     */
    private <A extends Rpc.Answer> A answerToLeader(
            Peer peer, String rpc, long term, PeerClient.Response response, Throwable error, Class<A> type) {
        A answer = decode(response, error, type);
        if (answer == null) {
            noteFailure(peer, rpc, response, error);
        }
        if (answer == null || stopped) {
            return null;
        }
        if (answer.term() > currentTerm()) {
            becomeFollower(answer.term(), null, "a follower answered " + rpc + " with term " + answer.term());
            return null;
        }
        if (role != Role.LEADER || currentTerm() != term) {
            return null;
        }
        peer.lastAckNanos = System.nanoTime();
        return answer;
    }

    /** Commits the highest index stored on a quorum, if it belongs to this term (Raft §5.4.2). */
    private void advanceCommitIndex() {
        if (role != Role.LEADER) {
            return;
        }
        long best = commitIndex;
        best = committable(selfDurableIndex, best);
        for (Peer peer : peers.values()) {
            best = committable(peer.matchIndex, best);
        }
        if (best > commitIndex) {
            commitIndex = best;
            applyCommitted();
        }
    }

    /** {@code candidate} if it beats {@code best} and a quorum stores it in this term, else {@code best}. */
    private long committable(long candidate, long best) {
        boolean commits = candidate > best
                && log.termAt(candidate) == currentTerm()
                && isQuorum(member -> matchIndexOf(member) >= candidate);
        return commits ? candidate : best;
    }

    private void applyCommitted() {
        while (lastApplied < commitIndex) {
            LogEntry entry = log.get(lastApplied + 1);
            Object result = entry.isNoop() || Configuration.isEntry(entry.command()) ? null : machine.apply(entry);
            lastApplied++;
            PendingWrite pending = pendingWrites.remove(entry.index());
            if (pending != null) {
                if (pending.term() == entry.term()) {
                    pending.future().complete(result);
                } else {
                    pending.future()
                            .completeExceptionally(
                                    new OutcomeUnknownException("the entry was replaced by another leader's"));
                }
            }
            if (snapshotInterval > 0 && lastApplied % snapshotInterval == 0 && machine.snapshots()) {
                takeSnapshot(entry);
            }
        }
        if (role == Role.LEADER && commitIndex >= leaderStartIndex) {
            termCommitted.complete(null);
        }
        checkReads();
        advanceMembership();
    }

    private long matchIndexOf(String member) {
        if (member.equals(id)) {
            return selfDurableIndex;
        }
        Peer peer = peers.get(member);
        return peer == null ? 0 : peer.matchIndex;
    }

    // ---------------------------------------------------------------- snapshots

    /**
     * Captures the state machine just after applying {@code last} (in memory, under the lock), has
     * it written to disk off the lock, then compacts the log through it.
     */
    private void takeSnapshot(LogEntry last) {
        Snapshot snapshot =
                new Snapshot(last.index(), last.term(), last.stamp(), snapshotConfig(last.index()), machine.snapshot());
        log.saveSnapshot(snapshot).whenComplete((ignored, error) -> onSnapshotSaved(snapshot, error));
    }

    private synchronized void onSnapshotSaved(Snapshot snapshot, Throwable error) {
        if (error != null) {
            Log.info("raft: the snapshot through %d was not written, the log stays whole: %s", snapshot.index(), error);
            return;
        }
        if (stopped || snapshot.index() <= log.snapshotIndex()) {
            return; // a newer snapshot was installed meanwhile
        }
        configs.compactedTo(snapshot.index(), configs.at(snapshot.index()));
        log.compactThrough(snapshot).whenComplete((ignored, failure) -> {
            if (failure != null) {
                Log.info("raft: compacting the log through %d failed: %s", snapshot.index(), failure);
            }
        });
        Log.info("wrote the %s; the log holds the %d entries after it", snapshot, log.lastIndex() - snapshot.index());
    }

    /**
     * The state machine, commit index and configuration from {@code snapshot}, which the log now
     * starts after. Writes this node proposed at indexes it covers were applied elsewhere: their
     * results are not known here.
     */
    private void restoreFrom(Snapshot snapshot) {
        machine.restore(snapshot.data());
        lastApplied = snapshot.index();
        commitIndex = Math.max(commitIndex, snapshot.index());
        restoredConfig(snapshot);
        Map<Long, PendingWrite> covered = pendingWrites.headMap(snapshot.index(), true);
        for (PendingWrite pending : covered.values()) {
            pending.future()
                    .completeExceptionally(
                            new OutcomeUnknownException("the entry was applied from a leader's snapshot"));
        }
        covered.clear();
        checkReads();
    }

    /** The configuration in force at {@code index}, for the snapshot through it (its text form). */
    private String snapshotConfig(long index) {
        // Without ROUTES a peer's route stands for it, and routes differ from node to node: the
        // configuration (fixed then) is no one else's to take.
        return identitiesKnown ? configs.at(index).text() : null;
    }

    /**
     * Takes the configuration {@code snapshot} carried (none from a snapshot written before
     * membership changes: the one in force stays) as the base below the log, which now starts
     * after it.
     */
    private void restoredConfig(Snapshot snapshot) {
        Configuration before = configs.latest();
        Configuration carried =
                snapshot.config() == null ? configs.at(snapshot.index()) : Configuration.fromText(snapshot.config());
        configs.compactedTo(snapshot.index(), carried);
        if (!configs.latest().equals(before)) {
            Log.info("configuration %s in force from the %s (was %s)", configs.latest(), snapshot, before);
            syncPeers();
        }
    }

    private void checkReads() {
        if (pendingReads.isEmpty()) {
            return;
        }
        Iterator<PendingRead> it = pendingReads.iterator();
        while (it.hasNext()) {
            PendingRead read = it.next();
            if (lastApplied >= read.readIndex() && quorumAcked(read.round())) {
                it.remove();
                read.future().complete(null);
            }
        }
    }

    private boolean quorumAcked(long round) {
        return isQuorum(member -> {
            Peer peer = peers.get(member);
            return member.equals(id) || (peer != null && peer.ackedRound >= round);
        });
    }

    private void failPending(Exception writeFailure) {
        for (Map.Entry<Long, PendingWrite> entry : pendingWrites.entrySet()) {
            entry.getValue().future().completeExceptionally(writeFailure);
        }
        pendingWrites.clear();
        NotLeaderException readFailure =
                new NotLeaderException(leaderId == null || leaderId.equals(id) ? null : leaderId);
        for (PendingRead read : pendingReads) {
            read.future().completeExceptionally(readFailure);
        }
        pendingReads.clear();
    }

    // ---------------------------------------------------------------- helpers

    private boolean has(RaftBug wanted) {
        return bug == wanted;
    }

    /** The leader's time for a new entry: its wall clock, but never before the last entry's stamp. */
    private long nextStamp() {
        return Math.max(System.currentTimeMillis(), log.lastStamp());
    }

    private long currentTerm() {
        return state.currentTerm();
    }

    private void persist(long term, String votedFor) {
        try {
            state.save(term, votedFor);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot persist term " + term + " and vote " + votedFor, e);
        }
    }

    private byte[] encode(Object message) {
        try {
            return json.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    private <T> T decode(PeerClient.Response response, Throwable error, Class<T> type) {
        if (error != null || response == null || response.status() != 200) {
            return null;
        }
        try {
            return json.readValue(response.body(), type);
        } catch (IOException e) {
            Log.info("raft: unreadable %s from a peer: %s", type.getSimpleName(), e.getMessage());
            return null;
        }
    }

    /** Logs failed RPCs to a peer, at most once a second per peer, with a count of the rest. */
    private void noteFailure(Peer peer, String rpc, PeerClient.Response response, Throwable error) {
        peer.failuresSinceLog++;
        long now = System.nanoTime();
        if (now - peer.lastFailureLog < millis(1_000) && peer.lastFailureLog != 0) {
            return;
        }
        Throwable cause = error != null && error.getCause() != null ? error.getCause() : error;
        String reason = cause != null ? cause.toString() : "status " + (response == null ? "none" : response.status());
        Log.info("%s to %s failed (%d failures since last report): %s", rpc, peer.route, peer.failuresSinceLog, reason);
        peer.lastFailureLog = now;
        peer.failuresSinceLog = 0;
    }

    private static long millis(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
