package io.clstr.junit.lock;

import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.junit.history.Completion;
import io.clstr.junit.history.Entry;
import io.clstr.junit.history.ScriptedHistory;
import io.clstr.junit.history.Violation;
import io.clstr.junit.lock.WatchOutput.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The watch check on hand-made histories: ones that must pass and ones that must fail, with what the failure names. */
class WatchChecksTest {

    /** Builds a history with times in milliseconds; the watcher is client 9. */
    private static final class Script extends ScriptedHistory<WatchInput, WatchOutput> {
        Entry<WatchInput, WatchOutput> put(int client, String key, String value, long revision, long callMs) {
            return add(
                    client,
                    new WatchInput.Put(key, value),
                    new WatchOutput.Written(revision),
                    Completion.OK,
                    callMs,
                    callMs + 10);
        }

        Entry<WatchInput, WatchOutput> put(int client, String key, String value, Completion completion, long callMs) {
            return add(client, new WatchInput.Put(key, value), null, completion, callMs, callMs + 10);
        }

        Entry<WatchInput, WatchOutput> delete(int client, String key, long revision, long callMs) {
            return add(
                    client,
                    new WatchInput.Delete(key),
                    new WatchOutput.Written(revision),
                    Completion.OK,
                    callMs,
                    callMs + 10);
        }

        Entry<WatchInput, WatchOutput> watch(String key, boolean prefix, long from, long callMs, Event... events) {
            return add(
                    9,
                    new WatchInput.Watch(key, from, prefix),
                    new WatchOutput.Events(List.of(events)),
                    Completion.OK,
                    callMs,
                    callMs + 10);
        }

        Entry<WatchInput, WatchOutput> watch(long from, long callMs, Event... events) {
            return watch("k", false, from, callMs, events);
        }
    }

    private static Event put(long revision, String value) {
        return Event.put(revision, "k", value);
    }

    private static List<Violation> check(Script s) {
        return s.check(WatchChecks.eventsMatchWrites());
    }

    @Test
    void passesWhenTheEventsAreTheAcknowledgedWritesInOrder() {
        Script s = new Script();
        s.watch(1, 0); // nothing yet
        s.put(1, "k", "a", 1, 100);
        s.put(2, "k", "b", 2, 100);
        s.put(3, "k", "c", Completion.INFO, 150); // unknown outcome: it did happen, at revision 3
        s.delete(4, "k", 4, 200);
        s.put(1, "k", "refused", Completion.FAIL, 250);
        s.put(1, "other", "x", 5, 260); // not watched
        s.watch(1, 300, put(1, "a"), put(2, "b"));
        s.watch(1, 310, put(1, "a")); // a replay after a lost answer may repeat events
        s.watch(3, 320, put(3, "c"), Event.delete(4, "k"));
        assertThat(check(s)).isEmpty();
    }

    @Test
    void aPrefixWatchCoversEveryKeyUnderIt() {
        Script s = new Script();
        s.put(1, "p/a", "a", 1, 100);
        s.put(2, "p/b", "b", 2, 100);
        s.put(3, "q", "c", 3, 100);
        s.watch("p/", true, 1, 300, Event.put(1, "p/a", "a"), Event.put(2, "p/b", "b"));
        assertThat(check(s)).isEmpty();
    }

    @Test
    void failsForEventsOutOfOrderBelowTheRevisionAskedOrOutsideTheWatch() {
        Script s = new Script();
        s.put(1, "k", "a", 1, 100);
        s.put(2, "k", "b", 2, 100);
        s.put(2, "j", "j", 3, 100);
        s.watch(1, 300, put(2, "b"), put(1, "a"));
        s.watch(2, 310, put(1, "a"));
        s.watch(1, 320, put(1, "a"), Event.put(3, "j", "j"));
        assertThat(check(s))
                .filteredOn(v -> v.property().equals("watch order"))
                .extracting(Violation::text)
                .containsExactly(
                        "#3 (client 9) watched k from revision 1 and got revision 1 after revision 2 (revisions 2, 1)",
                        "#4 (client 9) watched k from revision 2 and got revision 1, below the revision it asked for"
                                + " (revisions 1)",
                        "#5 (client 9) watched k from revision 1 and got an event of key j, outside the watch"
                                + " (revisions 1, 3)");
    }

    @Test
    void failsWhenARevisionShowsAnotherWriteThanTheAcknowledgedOne() {
        Script s = new Script();
        Entry<WatchInput, WatchOutput> write = s.put(1, "k", "a", 1, 100);
        s.put(2, "k", "b", Completion.INFO, 100);
        Entry<WatchInput, WatchOutput> poll = s.watch(1, 300, put(1, "b"));
        List<Violation> found = check(s);
        assertThat(found)
                .extracting(Violation::toString)
                .contains("one write per revision: revision 1 is put k = \"b\" in #2 (client 9)'s events, but"
                        + " #0 (client 1) was acknowledged at revision 1: put k = \"a\"");
        assertThat(found.get(0).entries()).containsExactly(write.id(), poll.id());
    }

    @Test
    void failsWhenTwoPollsShowDifferentWritesAtOneRevision() {
        Script s = new Script();
        s.put(1, "k", "a", Completion.INFO, 100);
        s.put(2, "k", "b", Completion.INFO, 100);
        s.watch(1, 300, put(1, "a"));
        s.watch(1, 400, put(1, "b"));
        assertThat(check(s))
                .extracting(Violation::text)
                .containsExactly("revision 1 is put k = \"a\" in #2 (client 9)'s events and put k = \"b\" in"
                        + " #3 (client 9)'s");
    }

    @Test
    void failsForEventsNoWriteThatMayHaveHappenedExplains() {
        Script s = new Script();
        s.put(1, "k", "refused", Completion.FAIL, 100);
        s.put(1, "k", "acked", 2, 110);
        s.put(1, "j", "elsewhere", Completion.INFO, 120);
        s.watch(1, 300, put(1, "refused"), put(2, "acked"), put(3, "ghost"), put(4, "acked"), put(5, "elsewhere"));
        s.watch(6, 310, Event.delete(6, "k"));
        assertThat(check(s))
                .filteredOn(v -> v.property().equals("nothing unexpected"))
                .extracting(Violation::text)
                .containsExactly(
                        "revision 1 (put k = \"refused\") in #3 (client 9)'s events was written by #0 (client 1),"
                                + " which was refused",
                        "revision 3 (put k = \"ghost\") in #3 (client 9)'s events matches no write",
                        "revision 4 (put k = \"acked\") in #3 (client 9)'s events was written by #1 (client 1),"
                                + " acknowledged at revision 2",
                        "revision 5 (put k = \"elsewhere\") in #3 (client 9)'s events has the value #2 (client 1)"
                                + " wrote to j",
                        "revision 6 (delete k) in #4 (client 9)'s events matches no delete of k acknowledged at that"
                                + " revision or of unknown outcome");
    }

    @Test
    void aWriteAcknowledgedWithoutARevisionIsMatchedByItsValue() {
        Script s = new Script();
        s.put(1, "k", "a", -1, 100);
        s.watch(1, 300, put(5, "a"));
        assertThat(check(s)).isEmpty();
    }

    @Test
    void aDeleteOfUnknownOutcomeExplainsADeleteEvent() {
        Script s = new Script();
        s.add(1, new WatchInput.Delete("k"), null, Completion.INFO, 100, 0);
        s.watch(1, 300, Event.delete(1, "k"));
        assertThat(check(s)).isEmpty();
    }

    @Test
    void failsForAnAcknowledgedWriteTheWatchPassedOverOrNeverReached() {
        Script s = new Script();
        s.put(1, "k", "a", 1, 100);
        Entry<WatchInput, WatchOutput> skipped = s.put(2, "k", "b", 2, 100);
        s.put(3, "k", "c", 3, 100);
        Entry<WatchInput, WatchOutput> late = s.put(1, "k", "d", 4, 200);
        s.watch(1, 300, put(1, "a"), put(3, "c"));
        Entry<WatchInput, WatchOutput> last = s.watch(4, 400);
        List<Violation> found = check(s);
        assertThat(found)
                .extracting(Violation::toString)
                .containsExactly(
                        "no missing events: put k = \"b\" was acknowledged at revision 2 (#1 (client 2)) and is in"
                                + " no poll's events, though #4 (client 9) watched k from revision 1 and got"
                                + " revisions 1, 3",
                        "no missing events: put k = \"d\" was acknowledged at revision 4 (#3 (client 1)) and is in"
                                + " no poll's events, though #5 (client 9) watched k from revision 4 and got none");
        assertThat(found.get(0).entries()).containsExactly(skipped.id(), 4);
        assertThat(found.get(1).entries()).containsExactly(late.id(), last.id());
    }

    @Test
    void writesNoPollWatchedFromAreNotLookedFor() {
        Script s = new Script();
        s.put(1, "k", "a", 1, 100);
        s.put(1, "k", "b", 2, 100);
        s.watch(2, 300, put(2, "b")); // the watcher started at revision 2
        assertThat(check(s)).isEmpty();
    }
}
