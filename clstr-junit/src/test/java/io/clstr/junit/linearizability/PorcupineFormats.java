package io.clstr.junit.linearizability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for the Porcupine corpus (jepsen etcd logs, kv EDN lines) and its location and verdicts. */
final class PorcupineFormats {

    private static final Pattern JEPSEN =
            Pattern.compile("jepsen\\.util - (\\d+)\\s+:(invoke|ok|fail|info)\\s+:(read|write|cas)\\s+(.*?)\\s*$");
    private static final Pattern CAS = Pattern.compile("\\[(\\S+) (\\S+)]");
    private static final Pattern EDN = Pattern.compile(
            "\\{:process (\\d+), :type :(invoke|ok|fail|info), :f :(get|put|append), :key \"([^\"]*)\", :value (nil|\"[^\"]*\")}");

    /** One row of verdicts.tsv. */
    record Row(String file, String model, boolean linearizable, int events, double referenceMs) {}

    private PorcupineFormats() {}

    /** The corpus folder: -Dclstr.porcupine, else ../shared/conformance/porcupine next to the repository root. */
    static Path corpus() {
        String override = System.getProperty("clstr.porcupine");
        if (override != null) {
            return Path.of(override);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null
                && !(Files.isDirectory(dir.resolve("clstr-junit")) && Files.exists(dir.resolve("pom.xml")))) {
            dir = dir.getParent();
        }
        Path root = dir == null ? Path.of("").toAbsolutePath() : dir;
        return root.resolveSibling("shared").resolve("conformance").resolve("porcupine");
    }

    /** The rows of verdicts.tsv in {@code corpus}. */
    static List<Row> rows(Path corpus) throws IOException {
        List<Row> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(corpus.resolve("verdicts.tsv"));
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            rows.add(
                    new Row(f[0], f[1], f[2].equals("linearizable"), Integer.parseInt(f[3]), Double.parseDouble(f[4])));
        }
        return rows;
    }

    /** A jepsen etcd log as a register history: failed cas happened not, timed-out reads dropped, :info open. */
    static List<Operation<RegisterInput, Object>> jepsen(Path file) throws IOException {
        List<Operation<RegisterInput, Object>> ops = new ArrayList<>();
        Map<Integer, Operation<RegisterInput, Object>> pending = new HashMap<>();
        long time = 0;
        for (String line : Files.readAllLines(file)) {
            Matcher m = JEPSEN.matcher(line);
            if (!m.find()) {
                continue;
            }
            time++;
            int process = Integer.parseInt(m.group(1));
            String type = m.group(2);
            String f = m.group(3);
            String value = m.group(4);
            if (type.equals("invoke")) {
                RegisterInput in =
                        switch (f) {
                            case "read" -> RegisterInput.read();
                            case "write" -> RegisterInput.write(value);
                            default -> casInput(value);
                        };
                pending.put(process, Operation.open(process, in, time));
                continue;
            }
            Operation<RegisterInput, Object> call = pending.remove(process);
            if (call == null || (type.equals("fail") && f.equals("read"))) {
                continue;
            }
            if (type.equals("info")) {
                ops.add(call);
                continue;
            }
            Object out =
                    switch (f) {
                        case "read" -> value.equals("nil") ? Models.ABSENT : value;
                        case "write" -> Boolean.TRUE;
                        default -> type.equals("ok");
                    };
            ops.add(Operation.completed(process, call.input(), out, call.callNanos(), time));
        }
        ops.addAll(pending.values());
        return ops;
    }

    private static RegisterInput casInput(String value) {
        Matcher m = CAS.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad cas: " + value);
        }
        return RegisterInput.cas(m.group(1), m.group(2));
    }

    /** A kv EDN history: one map per line; an invoke without completion stays open. */
    static List<Operation<KvInput, Object>> kv(Path file) throws IOException {
        List<Operation<KvInput, Object>> ops = new ArrayList<>();
        Map<Integer, Operation<KvInput, Object>> pending = new HashMap<>();
        long time = 0;
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) {
                continue;
            }
            Matcher m = EDN.matcher(line);
            if (!m.find()) {
                throw new IllegalArgumentException("bad kv line: " + line);
            }
            time++;
            int process = Integer.parseInt(m.group(1));
            String type = m.group(2);
            String key = m.group(4);
            String value = m.group(5).equals("nil")
                    ? ""
                    : m.group(5).substring(1, m.group(5).length() - 1);
            if (type.equals("invoke")) {
                KvInput in =
                        switch (m.group(3)) {
                            case "get" -> KvInput.get(key);
                            case "put" -> KvInput.put(key, value);
                            default -> KvInput.append(key, value);
                        };
                pending.put(process, Operation.open(process, in, time));
                continue;
            }
            Operation<KvInput, Object> call = pending.remove(process);
            if (call == null || type.equals("fail")) {
                continue;
            }
            if (type.equals("info")) {
                ops.add(call);
                continue;
            }
            Object out = call.input().kind() == KvInput.Kind.GET ? value : Boolean.TRUE;
            ops.add(Operation.completed(process, call.input(), out, call.callNanos(), time));
        }
        ops.addAll(pending.values());
        return ops;
    }
}
