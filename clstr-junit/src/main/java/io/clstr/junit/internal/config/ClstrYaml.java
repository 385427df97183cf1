package io.clstr.junit.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.clstr.junit.SetupException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A challenge folder's {@code clstr.yaml}: which challenge and stage the learner is on,
 * the runtime, and for the process runtime the build and run commands.
 *
 * @param challenge the challenge key
 * @param stage     the current stage key
 * @param runtime   {@code auto}, {@code docker} or {@code process}
 * @param build     the build command (process runtime), or null
 * @param run       the run command (process runtime), or null
 * @param env       extra environment for every node
 * @param buildTimeout how long the build command may run ({@code build_timeout}, such as {@code 90s} or
 *     {@code 10m}), or null when clstr.yaml sets none
 */
public record ClstrYaml(
        String challenge,
        String stage,
        String runtime,
        String build,
        String run,
        Map<String, String> env,
        Duration buildTimeout) {

    /** The file name in a challenge folder. */
    public static final String FILE = "clstr.yaml";

    private static final Set<String> KEYS =
            Set.of("challenge", "stage", "runtime", "build", "build_timeout", "run", "env");
    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})\\s*(s|m|min)?");
    private static final Set<String> RUNTIMES = Set.of("auto", "docker", "process");
    private static final Pattern STAGE_LINE = Pattern.compile("^(stage\\s*:\\s*)(\\S+)(.*)$", Pattern.MULTILINE);

    public ClstrYaml {
        env = env == null ? Map.of() : Map.copyOf(env);
        runtime = runtime == null ? "auto" : runtime;
    }

    /** Reads {@code folder/clstr.yaml}; a missing, malformed or unknown-keyed file throws {@link SetupException}. */
    public static ClstrYaml read(Path folder) {
        Path file = folder.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new SetupException(
                    "no " + FILE + " in " + folder.toAbsolutePath().normalize()
                            + ": run clstr in a challenge folder, or create one with `clstr init <challenge>`");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new SetupException(FILE + " is not UTF-8 text: save it as UTF-8");
        } catch (IOException e) {
            throw new SetupException("cannot read " + file + ": " + e.getMessage());
        }
        return parse(text);
    }

    /** Parses the text of a {@code clstr.yaml}; malformed or unknown-keyed text throws {@link SetupException}. */
    public static ClstrYaml parse(String text) {
        Parsed last = lastParsed;
        if (last != null && last.text().equals(text)) {
            return last.yaml();
        }
        ClstrYaml yaml = parseAnew(text);
        lastParsed = new Parsed(text, yaml);
        return yaml;
    }

    /**
     * The last text parsed and what it gave: a run reads its clstr.yaml four times (the command
     * line, the stage filter, the challenge guard, the stage's cluster), the same text each time.
     */
    private record Parsed(String text, ClstrYaml yaml) {}

    private static volatile Parsed lastParsed;

    /** Thread-safe once built; building one costs milliseconds in a cold JVM. */
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static ClstrYaml parseAnew(String text) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (IOException e) {
            String reason = e.getMessage() == null
                    ? e.toString()
                    : e.getMessage().lines().findFirst().orElse("");
            throw new SetupException(FILE + " is not valid YAML: " + reason);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new SetupException(FILE + " is empty: it needs at least `challenge:` and `stage:`");
        }
        if (!root.isObject()) {
            throw new SetupException(
                    FILE + " must be a mapping of keys (challenge, stage, runtime, build, build_timeout, run, env)");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new SetupException(FILE + " has an unknown key `" + key
                        + "`: allowed keys are challenge, stage, runtime, build, build_timeout, run, env");
            }
        }
        String challenge = text(root, "challenge");
        String stage = text(root, "stage");
        if (challenge == null || challenge.isBlank()) {
            throw new SetupException(FILE + " needs `challenge:` (for example `challenge: kv-store`)");
        }
        if (stage == null || stage.isBlank()) {
            throw new SetupException(FILE + " needs `stage:` (the stage you are working on)");
        }
        String runtime = text(root, "runtime");
        if (runtime != null && !RUNTIMES.contains(runtime)) {
            throw new SetupException(FILE + " has runtime `" + runtime + "`: use auto, docker or process");
        }
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode envNode = root.get("env");
        if (envNode != null && !envNode.isNull()) {
            if (!envNode.isObject()) {
                throw new SetupException(FILE + ": `env` must be a mapping of NAME: value");
            }
            envNode.fields()
                    .forEachRemaining(e -> env.put(
                            e.getKey(),
                            e.getValue().isValueNode()
                                    ? e.getValue().asText()
                                    : e.getValue().toString()));
        }
        return new ClstrYaml(
                challenge,
                stage,
                runtime,
                blankToNull(text(root, "build")),
                blankToNull(text(root, "run")),
                env,
                buildTimeout(text(root, "build_timeout")));
    }

    /** {@code 90s}, {@code 10m} or {@code 600} (seconds); null when absent. */
    private static Duration buildTimeout(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new SetupException(
                    FILE + " has build_timeout `" + text.trim() + "`: give a duration such as 90s or 10m");
        }
        long n = Long.parseLong(m.group(1));
        return m.group(2) == null || m.group(2).equals("s") ? Duration.ofSeconds(n) : Duration.ofMinutes(n);
    }

    /** Rewrites only the {@code stage:} line of {@code folder/clstr.yaml}, keeping everything else. */
    public static void writeStage(Path folder, String stage) {
        Path file = folder.resolve(FILE);
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            Matcher m = STAGE_LINE.matcher(text);
            if (!m.find()) {
                throw new SetupException(FILE + " has no `stage:` line to update");
            }
            String updated = text.substring(0, m.start()) + m.group(1) + stage + m.group(3) + text.substring(m.end());
            Files.writeString(file, updated, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SetupException("cannot update " + file + ": " + e.getMessage());
        }
    }

    private static String text(JsonNode root, String key) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isValueNode()) {
            throw new SetupException(FILE + ": `" + key + "` must be a single value, not " + List.of(n.getNodeType()));
        }
        return n.asText();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
