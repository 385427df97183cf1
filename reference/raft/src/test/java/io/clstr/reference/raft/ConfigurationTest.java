package io.clstr.reference.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/** Configurations: their log encoding, the two majorities of a joint one, and the history a log keeps. */
class ConfigurationTest {

    private static final IntUnaryOperator MAJORITY = size -> size / 2 + 1;

    @Test
    void aConfigurationEntryRoundTripsAndIsToldFromCommands() {
        Configuration joint = Configuration.joint(List.of("a:1", "b:1", "c:1"), List.of("c:1", "d:1"));
        byte[] command = joint.encode();
        assertTrue(Configuration.isEntry(command));
        assertEquals(joint, Configuration.decode(command));
        assertEquals("CONFIG a:1,b:1,c:1 -> c:1,d:1", joint.toString());
        assertFalse(Configuration.isEntry(new byte[] {0, 0, 0, 0, 1, 'k'}), "a kv PUT starts with 0");
        assertFalse(Configuration.isEntry("{\"op\":1}".getBytes()), "JSON commands start with {");
        assertFalse(Configuration.isEntry(new byte[0]), "a no-op is no configuration");
    }

    @Test
    void aJointConfigurationNeedsAMajorityOfBothSets() {
        Configuration joint = Configuration.joint(List.of("a", "b", "c"), List.of("c", "d", "e", "f", "g"));
        Set<String> newSideOnly = Set.of("d", "e", "f");
        assertFalse(joint.isQuorum(newSideOnly::contains, MAJORITY, false), "C_new alone decides nothing");
        assertTrue(joint.isQuorum(newSideOnly::contains, MAJORITY, true), "the bug joint-quorum-new-only");
        Set<String> both = Set.of("a", "c", "d", "e");
        assertTrue(joint.isQuorum(both::contains, MAJORITY, false));
        Set<String> oldSideOnly = Set.of("a", "b", "c");
        assertFalse(joint.isQuorum(oldSideOnly::contains, MAJORITY, false), "C_old alone decides nothing");
        assertEquals(List.of("a", "b", "c", "d", "e", "f", "g"), List.copyOf(joint.members()));
    }

    @Test
    void anEmptyConfigurationHasNoQuorum() {
        Configuration spare = Configuration.of(List.of());
        assertFalse(spare.isQuorum(id -> true, MAJORITY, false));
        assertFalse(spare.isVoter("a"));
    }

    @Test
    void theLatestAppendedConfigurationIsInForceUntilTruncatedOrCompacted() {
        ConfigHistory history = new ConfigHistory(Configuration.of(List.of("a", "b", "c")));
        assertFalse(history.appended(new LogEntry(1, 1, 0, new byte[] {1, 2})));
        Configuration four = Configuration.of(List.of("a", "b", "c", "d"));
        Configuration three = Configuration.of(List.of("b", "c", "d"));
        assertTrue(history.appended(new LogEntry(5, 1, 0, four.encode())));
        assertTrue(history.appended(new LogEntry(9, 2, 0, three.encode())));
        assertEquals(three, history.latest());
        assertEquals(9, history.latestIndex());
        assertEquals(four, history.at(8));
        assertEquals(Configuration.of(List.of("a", "b", "c")), history.at(4));

        history.truncatedFrom(9);
        assertEquals(four, history.latest(), "an uncommitted configuration goes with its entry");

        history.compactedTo(7, four);
        assertEquals(four, history.latest());
        assertEquals(7, history.latestIndex());
        assertEquals(four, history.at(3), "below the snapshot the snapshot's configuration is all there is");
    }
}
