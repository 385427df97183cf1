package io.clstr.cli.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MarkdownRendererTest {
    private static final String GUIDE = """
            # Leader Election

            A candidate needs **votes** from a majority; see [Raft](https://raft.github.io).

            ## Steps

            - send `RequestVote`
            * count votes
            2. become leader

            ```go
            func main() {}
            ```

            > Terms only grow.

            ---
            """;

    @Test
    void plainKeepsTheLayoutWithoutMarkup() {
        String text = String.join("\n", new MarkdownRenderer(Terminal.plain()).render(GUIDE));

        assertThat(text).isEqualTo("""
                Leader Election
                ===============

                A candidate needs votes from a majority; see Raft (https://raft.github.io).

                Steps
                -----

                  - send `RequestVote`
                  - count votes
                  2. become leader

                    func main() {}

                │ Terms only grow.

                ────────────────────────────────────────""");
    }

    @Test
    void terminalMakesHeadingsBoldAndUnderlinedAndCodeColoured() {
        String text = String.join("\n", new MarkdownRenderer(Terminal.coloured()).render(GUIDE));

        assertThat(text)
                .contains(
                        "\u001b[1;4mLeader Election\u001b[0m",
                        "\u001b[1mvotes\u001b[0m",
                        "  • send \u001b[36mRequestVote\u001b[0m",
                        "    \u001b[36mfunc main() {}\u001b[0m")
                .doesNotContain("**", "```", "# ");
    }
}
