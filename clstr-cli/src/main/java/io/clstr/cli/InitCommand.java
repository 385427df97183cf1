package io.clstr.cli;

import io.clstr.cli.init.InitFiles;
import io.clstr.cli.init.Language;
import io.clstr.junit.Challenge;
import io.clstr.junit.SetupException;
import io.clstr.junit.StageInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code clstr init <challenge> [path] --language <lang>}: writes a new challenge folder's
 * Dockerfile, README.md, clstr.yaml, .gitignore, .dockerignore and a GitHub Actions workflow
 * ({@code .github/workflows/clstr.yml}, running {@code clstr test --so-far}), refusing when any exists.
 */
@Command(
        name = "init",
        aliases = "i",
        mixinStandardHelpOptions = true,
        description = "Start a challenge: write its files into <path> (default: here), never overwriting.",
        footer = {
            "",
            "Writes Dockerfile, README.md, clstr.yaml, .gitignore, .dockerignore and .github/workflows/clstr.yml"
                    + " (CI that runs clstr test --so-far on every push)."
        })
final class InitCommand implements Callable<Integer> {

    @ParentCommand
    ClstrCommand root;

    @Spec
    CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "<challenge>",
            description = "The challenge, such as kv-store (see clstr list).")
    String challengeKey;

    @Parameters(index = "1", arity = "0..1", paramLabel = "<path>", description = "The folder to write to.")
    Path path;

    @Option(
            names = {"-l", "--language"},
            required = true,
            paramLabel = "<language>",
            description = "The language you will write your server in: go, python, rust, java or node.")
    String language;

    @Override
    public Integer call() {
        Challenge challenge = Challenges.available(challengeKey);
        Language lang = Language.find(language)
                .orElseThrow(() -> new ParameterException(
                        spec.commandLine(), "unknown language `" + language + "`: choose one of " + Language.keys()));
        Path target = root.folder().resolve(path == null ? Path.of("") : path).normalize();
        Map<String, String> files = InitFiles.render(challenge, lang);
        List<String> existing = files.keySet().stream()
                .filter(f -> Files.exists(target.resolve(f)))
                .toList();
        if (!existing.isEmpty()) {
            throw new SetupException("will not overwrite " + String.join(", ", existing) + " in " + shown(target)
                    + ": move " + (existing.size() == 1 ? "it" : "them") + " away, or init another folder");
        }
        write(target, files);
        PrintWriter out = spec.commandLine().getOut();
        out.println("Created " + challenge.name() + " for " + lang.displayName() + " in " + shown(target) + ":");
        out.println("  " + String.join("  ", files.keySet()));
        out.println();
        out.println("Next: write your server (it listens on the port of $ADDR and answers GET /health),"
                + " then set `run:` in clstr.yaml or use Docker.");
        out.println("How clstr runs it (runtime: auto): with a `run:` command in clstr.yaml, as local processes;"
                + " without one, from this Dockerfile when a Docker engine answers.");
        String first = challenge.stages().isEmpty()
                ? ""
                : StageInfo.of(challenge.stages().get(0)).key();
        out.println("Read the first guide: clstr guide " + first + " · Test it: clstr test");
        out.flush();
        return ExitCode.OK;
    }

    private static void write(Path target, Map<String, String> files) {
        try {
            Files.createDirectories(target);
            for (Map.Entry<String, String> f : files.entrySet()) {
                Files.createDirectories(target.resolve(f.getKey()).getParent());
                Files.writeString(
                        target.resolve(f.getKey()),
                        f.getValue(),
                        StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the challenge folder " + target, e);
        }
    }

    private String shown(Path target) {
        Path base = root.context().workDir();
        return target.startsWith(base)
                ? (target.equals(base) ? "." : base.relativize(target).toString())
                : target.toString();
    }
}
