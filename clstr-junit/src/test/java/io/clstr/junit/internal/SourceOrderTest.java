package io.clstr.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

class SourceOrderTest {

    /** Not a stage (no cluster): only the ordering annotation, as @Stage carries it. */
    @org.junit.jupiter.api.TestMethodOrder(SourceOrder.class)
    static class Written {
        static final List<String> RAN = new ArrayList<>();

        @Test
        void zebra() {
            RAN.add("zebra");
        }

        @Test
        void apple() {
            RAN.add("apple");
        }

        @Test
        void mango() {
            RAN.add("mango");
        }

        @Test
        void banana() {
            RAN.add("banana");
        }
    }

    @Test
    void testsRunInTheOrderTheyAreWritten() {
        Written.RAN.clear();
        var events = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(Written.class))
                .execute()
                .testEvents();
        events.assertStatistics(s -> s.succeeded(4));
        assertThat(Written.RAN).containsExactly("zebra", "apple", "mango", "banana");
        assertThat(events.stream()
                        .filter(e -> e.getType() == EventType.STARTED)
                        .map(Event::getTestDescriptor)
                        .map(d -> d.getDisplayName()))
                .containsExactly("zebra()", "apple()", "mango()", "banana()");
    }

    @Test
    void firstLinesComeFromTheClassFile() {
        var lines = SourceOrder.firstLines(Written.class);
        assertThat(lines).containsKeys("zebra()V", "apple()V", "mango()V", "banana()V");
        assertThat(lines.get("zebra()V")).isLessThan(lines.get("apple()V"));
        assertThat(lines.get("mango()V")).isLessThan(lines.get("banana()V"));
    }
}
