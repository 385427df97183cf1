package io.clstr.reference.raft;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A Raft node: leader election (with PreVote), log replication, commitment, application to the
 * {@link StateMachine}, and linearizable reads (ReadIndex: a read waits until a quorum has
 * confirmed this node is still leader after the read arrived, and until the state machine has
 * caught up with the commit index seen at that moment).
 *
 * <p>Threads: RPC handlers (HTTP threads), RPC responses (peer client threads), WAL completions
 * (the WAL writer) and a 10 ms ticker all enter through {@code synchronized} methods; nothing
 * inside blocks on I/O except the small fsync of {@link RaftState} when the term or vote changes.
 * Futures handed to clients are completed under the lock, so their dependents must be attached
 * with an executor ({@code *Async}).
 *
 * <p>Peers are known by route only. Identities are learned from RPCs: a candidate's id from
 * RequestVote, the leader's id from AppendEntries; redirects use the latter.
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

    public record ClusterInfo(String id, Role role, long term, String leader, List<String> peers) {}

    public record LogView(List<LogEntry> entries, long commitIndex, long lastApplied) {}

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

    static final int MAX_BATCH_ENTRIES = 512;
    static final int MAX_BATCH_BYTES = 256 * 1024;

    private static final String JSON = "application/json";

    private static final class Peer {
        final String route;
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

        Peer(String route) {
            this.route = route;
        }
    }

    private record PendingWrite(long term, CompletableFuture<Object> future) {}

    private record PendingRead(long round, long readIndex, CompletableFuture<Void> future) {}

    private final String id;
    private final List<String> peerRoutes;
    private final List<Peer> peers = new ArrayList<>();
    private final int clusterSize;
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

    RaftNode(
            Config config,
            RaftBug bug,
            RaftState state,
            RaftLog log,
            StateMachine machine,
            PeerClient client,
            ObjectMapper json) {
        this.id = config.addr();
        this.peerRoutes = config.peers();
        for (String route : config.peers()) {
            peers.add(new Peer(route));
        }
        this.clusterSize = config.clusterSize();
        this.bug = bug;
        this.state = state;
        this.log = log;
        this.machine = machine;
        this.client = client;
        this.json = json;
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
            if (clusterSize == 1) {
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
        return new Routing(role == Role.LEADER && !stopped, leaderId);
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
        for (Peer peer : peers) {
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
        for (Peer peer : peers) {
            sendAppend(peer);
        }
        checkReads();
        return read.future();
    }

    public synchronized ClusterInfo clusterInfo() {
        return new ClusterInfo(id, role, currentTerm(), leaderId, peerRoutes);
    }

    public synchronized LogView logView() {
        return new LogView(log.all(), commitIndex, lastApplied);
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
            if (request.term() > term || role != Role.FOLLOWER) {
                becomeFollower(
                        request.term(),
                        request.leaderId(),
                        "heard from leader " + request.leaderId() + " of term " + request.term());
                term = currentTerm();
            } else if (!request.leaderId().equals(leaderId)) {
                setLeader(request.leaderId());
                Log.info("following leader %s in term %d", request.leaderId(), term);
            }
            // BUG heartbeat-ignored: only AppendEntries that carry entries count as contact.
            if (!incoming.isEmpty() || !has(RaftBug.HEARTBEAT_IGNORED)) {
                heardFromLeader = true;
                lastLeaderContact = System.nanoTime();
                resetElectionDeadline();
            }
            long prevIndex = request.prevLogIndex();
            if (prevIndex > log.lastIndex()) {
                return CompletableFuture.completedFuture(new Rpc.AppendResponse(term, false, log.lastIndex() + 1));
            }
            long localPrevTerm = log.termAt(prevIndex);
            // BUG no-prev-log-check: an entry at prev-log-index of another term is taken as a match.
            if (localPrevTerm != request.prevLogTerm() && !has(RaftBug.NO_PREV_LOG_CHECK)) {
                long conflict = log.firstIndexOfTerm(localPrevTerm, prevIndex);
                return CompletableFuture.completedFuture(new Rpc.AppendResponse(term, false, conflict));
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
            CompletableFuture<Void> durable =
                    firstNew >= 0 ? log.replaceFrom(incoming.subList(firstNew, incoming.size())) : log.durable();
            long lastNew = prevIndex + incoming.size();
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
                for (Peer peer : peers) {
                    sendAppend(peer);
                }
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
        for (Peer peer : peers) {
            peer.lastAckNanos = Math.min(now, peer.lastAckNanos + stall);
        }
    }

    private boolean quorumAnsweredSince(long since) {
        int answered = 1;
        for (Peer peer : peers) {
            if (peer.lastAckNanos - since > 0) {
                answered++;
            }
        }
        return answered >= electionQuorum();
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
        if (votes.size() >= electionQuorum()) {
            startElection();
            return;
        }
        long term = currentTerm();
        byte[] body = encode(new Rpc.VoteRequest(term + 1, id, log.lastIndex(), log.lastTerm()));
        for (Peer peer : peers) {
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
        votes.add(peer.route);
        if (votes.size() >= electionQuorum()) {
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
        if (votes.size() >= electionQuorum()) {
            becomeLeader();
            return;
        }
        byte[] body = encode(new Rpc.VoteRequest(term, id, log.lastIndex(), log.lastTerm()));
        for (Peer peer : peers) {
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
        votes.add(peer.route);
        if (votes.size() >= electionQuorum()) {
            becomeLeader();
        }
    }

    private void becomeLeader() {
        role = Role.LEADER;
        leaderId = id;
        long now = System.nanoTime();
        for (Peer peer : peers) {
            peer.nextIndex = log.lastIndex() + 1;
            peer.matchIndex = 0;
            peer.lastAckNanos = now;
            peer.sentRound = 0;
            peer.ackedRound = 0;
        }
        selfDurableIndex = 0;
        LogEntry noop = LogEntry.noop(log.lastIndex() + 1, currentTerm(), nextStamp());
        leaderStartIndex = noop.index();
        Log.info("leader of term %d with votes from %d of %d nodes", currentTerm(), votes.size(), clusterSize);
        appendAsLeader(noop);
        nextHeartbeat = now + millis(HEARTBEAT_MILLIS);
        for (Peer peer : peers) {
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

    /** A majority of the cluster: what commits an entry and confirms a read. */
    private int quorum() {
        // BUG half-is-majority: integer division alone, so 1 of 3 is "a majority" for everything.
        return has(RaftBug.HALF_IS_MAJORITY) ? Math.max(1, clusterSize / 2) : clusterSize / 2 + 1;
    }

    /** Votes that win an election, and nodes (this one included) a leader must hear from to keep leading. */
    private int electionQuorum() {
        // BUG minority-elects: integer division alone, so 2 of 5 win an election and keep a leader in office.
        return has(RaftBug.MINORITY_ELECTS) ? clusterSize / 2 : quorum();
    }

    // ---------------------------------------------------------------- replication

    private void appendAsLeader(LogEntry entry) {
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
     * prev-log-index and carries the commit index).
     */
    private void sendAppend(Peer peer) {
        if (peer.inFlight >= MAX_IN_FLIGHT) {
            return;
        }
        long now = System.nanoTime();
        boolean withEntries = peer.nextIndex <= log.lastIndex()
                && (peer.entryRequestsInFlight == 0
                        || now - peer.lastEntrySendNanos > millis(RESEND_ENTRIES_AFTER_MILLIS));
        long prevIndex = peer.nextIndex - 1;
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
        Rpc.AppendResponse answer = decode(response, error, Rpc.AppendResponse.class);
        if (answer == null) {
            noteFailure(peer, "append-entries", response, error);
        }
        if (answer == null || stopped) {
            return; // lost or timed out: the next heartbeat tries again on a new connection
        }
        if (answer.term() > currentTerm()) {
            becomeFollower(answer.term(), null, "a follower answered with term " + answer.term());
            return;
        }
        if (role != Role.LEADER || currentTerm() != term) {
            return;
        }
        peer.lastAckNanos = System.nanoTime();
        peer.ackedRound = Math.max(peer.ackedRound, round);
        if (answer.success()) {
            long match = prevIndex + count;
            if (match > peer.matchIndex) {
                peer.matchIndex = match;
            }
            peer.nextIndex = Math.max(peer.nextIndex, peer.matchIndex + 1);
            advanceCommitIndex();
        } else if (peer.nextIndex == prevIndex + 1) {
            long hint = answer.conflictIndex() > 0 ? answer.conflictIndex() : prevIndex;
            peer.nextIndex = Math.max(peer.matchIndex + 1, Math.max(1, Math.min(prevIndex, hint)));
        }
        checkReads();
        boolean behind = peer.nextIndex <= log.lastIndex();
        if ((behind && peer.entryRequestsInFlight == 0) || peer.sentRound < readRound) {
            sendAppend(peer);
        }
    }

    /** Commits the highest index stored on a quorum, if it belongs to this term (Raft §5.4.2). */
    private void advanceCommitIndex() {
        if (role != Role.LEADER) {
            return;
        }
        long[] matches = new long[clusterSize];
        matches[0] = selfDurableIndex;
        for (int i = 0; i < peers.size(); i++) {
            matches[i + 1] = peers.get(i).matchIndex;
        }
        Arrays.sort(matches);
        long candidate = matches[clusterSize - quorum()];
        if (candidate > commitIndex && log.termAt(candidate) == currentTerm()) {
            commitIndex = candidate;
            applyCommitted();
        }
    }

    private void applyCommitted() {
        while (lastApplied < commitIndex) {
            LogEntry entry = log.get(lastApplied + 1);
            Object result = entry.isNoop() ? null : machine.apply(entry);
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
        }
        checkReads();
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
        int acked = 1;
        for (Peer peer : peers) {
            if (peer.ackedRound >= round) {
                acked++;
            }
        }
        return acked >= quorum();
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
