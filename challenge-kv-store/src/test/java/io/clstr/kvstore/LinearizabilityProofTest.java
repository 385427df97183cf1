package io.clstr.kvstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.clstr.testkit.StageRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The last test of stage 5 catches a bug on its own, through the recorded history (the bank's row
 * for the same bug may be caught earlier in the stage, by a test that looks at one write).
 */
class LinearizabilityProofTest {

    /**
     * The last test of stage 5 catches a bug on its own, through the recorded history: run alone
     * with {@code ack-before-commit}, the checker proves the history not linearizable and the
     * failure names an HTML timeline that exists.
     */
    @Test
    void linearizabilityCheckCatchesAcknowledgedWritesThatAreLost() throws IOException {
        StageRun.Outcome outcome =
                Bank.REFERENCE.run(LogReplication.class, "ack-before-commit", "linearizableUnderFaults");
        System.out.print("REFERENCE_BUG=ack-before-commit, Linearizable Under Faults alone: " + outcome.report());
        assertThat(outcome.stageFailure()).as(outcome.report()).isNull();
        assertThat(outcome.tests()).as(outcome.report()).hasSize(1);
        StageRun.TestOutcome test = outcome.tests().get(0);
        assertThat(test.name()).isEqualTo("Linearizable Under Faults");
        assertThat(test.status()).as(outcome.report()).isEqualTo(StageRun.Status.FAILED);
        String message = test.failure().getMessage();
        assertThat(message).as(outcome.report()).startsWith("history is not shown linearizable: NOT_LINEARIZABLE");
        Matcher timeline = Pattern.compile("Timeline: (\\S+\\.html)").matcher(message);
        assertThat(timeline.find()).as(message).isTrue();
        Path html = Path.of(timeline.group(1));
        assertThat(html).isRegularFile().startsWith(Bank.REFERENCE.folder().resolve(".clstr/timelines"));
        assertThat(Files.readString(html))
                .as("the faults of the run are marked on the timeline")
                .contains(" KILL", " START", "PARTITION: ", "PARTITION HEALED")
                .containsPattern("class=\"op [a-z]+ violating\"");
    }
}
