package io.clstr.cli.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TerminalTest {

    @Test
    void coloursOnlyOnAConsole() {
        assertThat(Terminal.detect(true, Map.of()).colour()).isTrue();
        assertThat(Terminal.detect(false, Map.of()).colour()).isFalse();
    }

    @Test
    void noColorTurnsColourOffUnlessEmpty() {
        assertThat(Terminal.detect(true, Map.of("NO_COLOR", "1")).colour()).isFalse();
        assertThat(Terminal.detect(true, Map.of("NO_COLOR", "")).colour()).isTrue();
    }

    @Test
    void dumbTerminalsGetNoColour() {
        assertThat(Terminal.detect(true, Map.of("TERM", "dumb")).colour()).isFalse();
    }

    @Test
    void plainTextIsUnchanged() {
        Terminal t = Terminal.plain();
        assertThat(t.red("x") + t.green("y") + t.bold("z") + t.heading("h")).isEqualTo("xyzh");
        assertThat(Terminal.coloured().red("x")).isEqualTo("\u001b[31mx\u001b[0m");
    }

    @Test
    void forceColorColoursEvenWithoutATerminal() {
        assertThat(Terminal.detect(false, Map.of("FORCE_COLOR", "1")).colour()).isTrue();
        assertThat(Terminal.detect(false, Map.of("FORCE_COLOR", "0")).colour()).isFalse();
        assertThat(Terminal.detect(false, Map.of("FORCE_COLOR", "1")).live())
                .as("a live line needs a real terminal")
                .isFalse();
    }

    @Test
    void aLiveLineOnlyOnAnInteractiveTerminalOutsideCi() {
        assertThat(Terminal.detect(true, Map.of()).live()).isTrue();
        assertThat(Terminal.detect(false, Map.of()).live()).isFalse();
        assertThat(Terminal.detect(true, Map.of("CI", "true")).live()).isFalse();
        assertThat(Terminal.detect(true, Map.of("NO_COLOR", "1")).live()).isFalse();
        assertThat(Terminal.detect(true, Map.of("TERM", "dumb")).live()).isFalse();
    }
}
