package io.clstr.reference.raft;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Raft RPC messages, as kebab-case JSON over HTTP POST:
 * {@code /raft/request-vote}, {@code /raft/pre-vote} (same shape as request-vote; the voter
 * changes no state), {@code /raft/append-entries} and {@code /raft/install-snapshot}.
 */
final class Rpc {

    static final String REQUEST_VOTE = "/raft/request-vote";
    static final String PRE_VOTE = "/raft/pre-vote";
    static final String APPEND_ENTRIES = "/raft/append-entries";
    static final String INSTALL_SNAPSHOT = "/raft/install-snapshot";

    private Rpc() {}

    /** An answer to a leader's request: it carries the answering node's term. */
    interface Answer {
        long term();
    }

    /** For a pre-vote, {@code term} is the term the candidate would campaign in. */
    record VoteRequest(
            @JsonProperty("term") long term,
            @JsonProperty("candidate-id") String candidateId,
            @JsonProperty("last-log-index") long lastLogIndex,
            @JsonProperty("last-log-term") long lastLogTerm) {}

    record VoteResponse(
            @JsonProperty("term") long term,
            @JsonProperty("vote-granted") boolean voteGranted) {}

    /** A log entry on the wire; the command is its binary form, base64 in JSON. */
    record Entry(
            @JsonProperty("index") long index,
            @JsonProperty("term") long term,
            @JsonProperty("stamp") long stamp,
            @JsonProperty("command") byte[] command) {

        static Entry of(LogEntry entry) {
            return new Entry(entry.index(), entry.term(), entry.stamp(), entry.command());
        }

        LogEntry toLogEntry() {
            return new LogEntry(index, term, stamp, command == null ? new byte[0] : command);
        }
    }

    record AppendRequest(
            @JsonProperty("term") long term,
            @JsonProperty("leader-id") String leaderId,
            @JsonProperty("prev-log-index") long prevLogIndex,
            @JsonProperty("prev-log-term") long prevLogTerm,
            @JsonProperty("entries") List<Entry> entries,
            @JsonProperty("leader-commit") long leaderCommit) {

        List<Entry> entriesOrEmpty() {
            return entries == null ? List.of() : entries;
        }
    }

    /**
     * {@code conflict-index} (on failure) is where the leader should retry from: one past the
     * follower's last entry, or the first entry of the term that conflicts at prev-log-index.
     */
    record AppendResponse(
            @JsonProperty("term") long term,
            @JsonProperty("success") boolean success,
            @JsonProperty("conflict-index") long conflictIndex)
            implements Answer {}

    /**
     * The leader's snapshot in one request (Raft §7 without chunks: at this size one request
     * carries it): {@code data} is the state machine's encoding, base64 in JSON, and
     * {@code config} the configuration at the last included index as opaque JSON, or null.
     */
    record InstallSnapshotRequest(
            @JsonProperty("term") long term,
            @JsonProperty("leader-id") String leaderId,
            @JsonProperty("last-included-index") long lastIncludedIndex,
            @JsonProperty("last-included-term") long lastIncludedTerm,
            @JsonProperty("last-included-stamp") long lastIncludedStamp,
            @JsonProperty("config") String config,
            @JsonProperty("data") byte[] data) {

        static InstallSnapshotRequest of(long term, String leaderId, Snapshot snapshot) {
            return new InstallSnapshotRequest(
                    term,
                    leaderId,
                    snapshot.index(),
                    snapshot.term(),
                    snapshot.stamp(),
                    snapshot.config(),
                    snapshot.data());
        }

        Snapshot toSnapshot() {
            return new Snapshot(lastIncludedIndex, lastIncludedTerm, lastIncludedStamp, config, data);
        }
    }

    /** The follower's term, so a deposed leader learns it; nothing else (Raft §7). */
    record InstallSnapshotResponse(@JsonProperty("term") long term) implements Answer {}
}
