package io.clstr.junit.internal.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.BuildResponseItem;
import io.clstr.junit.internal.Progress;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An image build's output as the engine streams it: whole lines to the live line at once, and to the tail, without
 * the engine's bookkeeping.
 */
class BuildOutputTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The lines the build told the live line, in order. */
    private final List<String> shown = new ArrayList<>();

    private final BuildOutput output = new BuildOutput(20, new Progress.Work() {
        @Override
        public void latest(String line) {
            shown.add(line);
        }

        @Override
        public void close() {}
    });

    private void engineSends(Map<String, Object> item) throws IOException {
        output.onNext(JSON.convertValue(item, BuildResponseItem.class));
    }

    @Test
    void eachWholeLineIsShownAsItComesAndTheTailKeepsTheStepsAndWhatTheyPrinted() throws IOException {
        engineSends(Map.of("stream", "Step 3/7 : RUN make\n"));
        engineSends(Map.of("stream", " ---> Running in 5c1e0a7d\n"));
        assertThat(shown).as("the engine's bookkeeping is not shown").containsExactly("Step 3/7 : RUN make");

        // a line split across items, in colour, with a tab; then a progress bar redrawn with carriage returns
        engineSends(Map.of("stream", "\u001b[31mcompiling\tpart "));
        assertThat(shown).as("half a line is not shown").hasSize(1);
        engineSends(Map.of("stream", "1\u001b[0m\r\n 50%\r100%\n"));
        engineSends(Map.of("stream", "Removing intermediate container 5c1e0a7d\n"));
        engineSends(Map.of("stream", "main.go:3: undefined: x"));

        assertThat(shown).containsExactly("Step 3/7 : RUN make", "compiling part 1", " 50%", "100%");
        assertThat(output.tail(20))
                .containsExactly("Step 3/7 : RUN make", "compiling part 1", " 50%", "100%", "main.go:3: undefined: x");
        assertThat(shown).endsWith("main.go:3: undefined: x");
    }

    @Test
    void aBaseImagesPullIsShownButNotKept() throws IOException {
        engineSends(Map.of(
                "status",
                "Downloading",
                "id",
                "a1b2c3",
                "progress",
                "[==>      ] 1.2MB/5MB",
                "progressDetail",
                Map.of("current", 1200000, "total", 5000000)));

        assertThat(shown).containsExactly("a1b2c3: Downloading [==>      ] 1.2MB/5MB");
        assertThat(output.tail(20)).isEmpty();
    }

    @Test
    void theFirstErrorIsTheBuilds() throws IOException {
        engineSends(Map.of(
                "error",
                "The command '/bin/sh -c make' returned a non-zero code: 2",
                "errorDetail",
                Map.of("code", 2, "message", "The command '/bin/sh -c make' returned a non-zero code: 2")));
        output.failed("later");

        assertThat(output.error()).isEqualTo("The command '/bin/sh -c make' returned a non-zero code: 2");
    }
}
