package io.clstr.reference.raft;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.IntUnaryOperator;
import java.util.function.Predicate;

/**
 * The voting members of a cluster (Raft §6, dissertation ch. 4), by identity ({@code ADDR}). A
 * joint configuration C_old,new has both sets, and a decision (a commit, an election, a confirmed
 * read, the leader's quorum check) needs a majority of each.
 *
 * <p>In the log a configuration is an entry whose command starts with {@link #MARKER} (no state
 * machine command starts with it), followed by {@code voters} and, when joint, {@code |} and the
 * new set, each a comma-separated list. It takes effect on every node as soon as it is appended.
 *
 * @param voters the members (C_old while joint)
 * @param next   C_new while joint, otherwise null
 */
public record Configuration(SortedSet<String> voters, SortedSet<String> next) {

    /** First byte of a configuration entry's command: 0xFF starts no UTF-8 text and no state machine's encoding. */
    static final byte MARKER = (byte) 0xFF;

    public Configuration {
        voters = sorted(voters);
        next = next == null ? null : sorted(next);
    }

    public static Configuration of(Collection<String> voters) {
        return new Configuration(new TreeSet<>(voters), null);
    }

    public static Configuration joint(Collection<String> old, Collection<String> next) {
        return new Configuration(new TreeSet<>(old), new TreeSet<>(next));
    }

    public boolean joint() {
        return next != null;
    }

    /** Everyone who votes: C_old ∪ C_new while joint. */
    public SortedSet<String> members() {
        SortedSet<String> all = new TreeSet<>(voters);
        if (next != null) {
            all.addAll(next);
        }
        return all;
    }

    public boolean isVoter(String id) {
        return voters.contains(id) || (next != null && next.contains(id));
    }

    /**
     * Whether the members {@code counted} accepts make a quorum: {@code needed} of each set's
     * size. An empty configuration has no quorum.
     */
    boolean isQuorum(Predicate<String> counted, IntUnaryOperator needed, boolean newOnly) {
        if (next != null && newOnly) {
            return isQuorumOf(next, counted, needed);
        }
        return isQuorumOf(voters, counted, needed) && (next == null || isQuorumOf(next, counted, needed));
    }

    private static boolean isQuorumOf(Set<String> set, Predicate<String> counted, IntUnaryOperator needed) {
        if (set.isEmpty()) {
            return false;
        }
        int yes = 0;
        for (String id : set) {
            if (counted.test(id)) {
                yes++;
            }
        }
        return yes >= needed.applyAsInt(set.size());
    }

    static boolean isEntry(byte[] command) {
        return command.length > 0 && command[0] == MARKER;
    }

    byte[] encode() {
        byte[] body = text().getBytes(StandardCharsets.UTF_8);
        byte[] command = new byte[body.length + 1];
        command[0] = MARKER;
        System.arraycopy(body, 0, command, 1, body.length);
        return command;
    }

    static Configuration decode(byte[] command) {
        if (!isEntry(command)) {
            throw new IllegalArgumentException("not a configuration entry");
        }
        return fromText(new String(command, 1, command.length - 1, StandardCharsets.UTF_8));
    }

    /** The text form: {@code voters}, and when joint {@code |} and the new set, each comma-separated. */
    String text() {
        return String.join(",", voters) + (next == null ? "" : "|" + String.join(",", next));
    }

    static Configuration fromText(String text) {
        int bar = text.indexOf('|');
        if (bar < 0) {
            return new Configuration(split(text), null);
        }
        return new Configuration(split(text.substring(0, bar)), split(text.substring(bar + 1)));
    }

    /** As {@code GET /log} shows the entry. */
    @Override
    public String toString() {
        return "CONFIG " + String.join(",", voters) + (next == null ? "" : " -> " + String.join(",", next));
    }

    private static SortedSet<String> split(String list) {
        SortedSet<String> ids = new TreeSet<>();
        for (String id : list.split(",")) {
            if (!id.isBlank()) {
                ids.add(id.trim());
            }
        }
        return ids;
    }

    private static SortedSet<String> sorted(Set<String> ids) {
        return Collections.unmodifiableSortedSet(new TreeSet<>(ids));
    }
}
