#!/usr/bin/env bash
# Harness overhead per stage (BENCHMARKS.md, "Harness overhead per stage"): runs every stage of
# every challenge against its reference, in the process runtime and, where a Docker engine answers
# and the base image clstr/java:17 exists, in the docker runtime, and prints per stage its wall time,
# the time its spec makes it wait (eventually/consistently windows, settles, node starts and stops,
# the nodes' answers) and the rest: clstr's own time, as overhead and as a share of the wall time.
#
#   bench/stage-overhead.sh [challenge...]      (default: kv-store queue lock)
#
# VIA=cli (default) runs the stages as a learner does, `clstr test --so-far` in the reference's
# folder (all stages in order in one JVM, the CLI's class data archive, its warm-up started before
# the build); VIA=maven runs them through Maven, as ReferenceTest does (a cold JVM without the
# archive, the warm-up started only when the test kit runs the first stage).
# Environment: STAGES=<key>,<key> narrows the stages (VIA=cli runs each alone, `clstr test <key>`, so
# each is the first stage of its JVM; VIA=maven passes -Dclstr.stages); ROUNDS=N runs each challenge
# N times (default 1); RUNTIMES=process skips docker even where it works, RUNTIMES=docker runs only
# docker (one runtime per locked run keeps each measurement short); LOG=<file> keeps the output.
# A benchmark, not a test: it asserts nothing about speed. A stage that failed (on a loaded machine
# a node can miss its 10 s health timeout) still has its row, marked in the passed column.
set -euo pipefail
cd "$(dirname "$0")/.."

challenges=("$@")
if [ ${#challenges[@]} -eq 0 ]; then
    challenges=(kv-store queue lock)
fi
rounds="${ROUNDS:-1}"
via="${VIA:-cli}"
case "$via" in
    cli | maven) ;;
    *) echo "VIA must be cli or maven, was '$via'" >&2; exit 2 ;;
esac

docker_ready() { docker info >/dev/null 2>&1 && docker image inspect clstr/java:17 >/dev/null 2>&1; }
runtimes=(process)
if [ "${RUNTIMES:-}" = process ]; then
    echo "docker runtime: skipped (RUNTIMES=process)" >&2
elif [ "${RUNTIMES:-}" = docker ]; then
    docker_ready || {
        echo "RUNTIMES=docker: no Docker engine answers, or no image clstr/java:17 (bash .ci/docker-setup)" >&2
        exit 2
    }
    runtimes=(docker)
elif docker_ready; then
    runtimes=(process docker)
else
    echo "docker runtime: skipped (no Docker engine answers, or no image clstr/java:17: bash .ci/docker-setup)" >&2
fi

out=$(mktemp)
rows=$(mktemp)
trap 'rm -f "$out" "$rows"' EXIT
[ -z "${LOG:-}" ] || : >"$LOG"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start, $(date -u '+%Y-%m-%d %H:%M UTC'), VIA=$via" >&2

# The references' build commands build their jars when missing; build them first, so that no stage's
# time holds a Maven build (the build then stays a check that the jar exists).
for challenge in "${challenges[@]}"; do
    if [ ! -f "reference/$challenge/target/reference-$challenge.jar" ]; then
        echo "building reference/$challenge" >&2
        mvn -B -o -q -pl "reference/$challenge" -am package -DskipTests >&2
    fi
done

# Appends one row per "timing: " line of $out: "<stage> wall W s, waits A s (<kinds>), overhead O s (P %): <parts>".
# Through Maven a stage's report starts "[docker ]<stage> (<s> s):" and a failure shows in it; through
# the CLI the stage's "PASSED"/"FAILED" line follows its timing line.
rows_of() {
    awk -v challenge="$1" -v round="$2" -v runtime="$3" '
        function flush() { if (row != "") { print row "\t" passed; row = "" } }
        /^(docker )?[a-z0-9-]+ \([0-9.]+ s\):$/ { flush(); passed = "yes"; next }
        /^  (FAILED |stage failed: )/ { passed = "no" }
        /^ *timing: [a-z0-9-]+ wall / {
            flush()
            line = substr($0, index($0, "timing: ") + 8)
            split(line, words, " "); stage = words[1]
            match(line, / wall [0-9.]+ s/); wall = substr(line, RSTART + 6, RLENGTH - 8)
            match(line, /, waits [0-9.]+ s/); waits = substr(line, RSTART + 8, RLENGTH - 10)
            match(line, /, overhead [0-9.]+ s/); over = substr(line, RSTART + 11, RLENGTH - 13)
            match(line, /s \([0-9.]+ %\)/); pct = substr(line, RSTART + 3, RLENGTH - 6)
            match(line, /waits [0-9.]+ s \([^)]*\)/); kinds = substr(line, RSTART, RLENGTH)
            sub(/^waits [0-9.]+ s \(/, "", kinds); sub(/\)$/, "", kinds)
            parts = ""
            if (match(line, /%\): .*/)) parts = substr(line, RSTART + 4)
            row = sprintf("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s", round, challenge, stage, runtime, wall, waits, kinds, over, pct, parts)
            if (passed == "") passed = "yes"
            if ($0 ~ /^timing: /) passed = "?" # through the CLI: the PASSED/FAILED line follows
            next
        }
        /^PASSED/ { passed = "yes"; flush() }
        /^FAILED/ { passed = "no"; flush() }
        END { flush() }' "$out" >>"$rows"
}

# Runs one measured command into $out; its exit status is reported, not fatal.
measure() {
    local status=0
    "$@" >"$out" 2>&1 || status=$?
    [ -z "${LOG:-}" ] || cat "$out" >>"$LOG"
    if [ "$status" -ne 0 ]; then
        echo "  exit $status: a stage failed (LOG=<file> keeps the output)" >&2
        grep -E '^\[ERROR\] +(Tests run|[A-Za-z]+Test\.)|^FAILED' "$out" | head -5 >&2 || true
    fi
}

for round in $(seq 1 "$rounds"); do
    for challenge in "${challenges[@]}"; do
        for runtime in "${runtimes[@]}"; do
            echo "round $round/$rounds: $challenge, $runtime runtime, via $via" >&2
            if [ "$via" = maven ]; then
                tests='ReferenceTest#referencePassesStage'
                [ "$runtime" = process ] || tests='ReferenceTest#referencePassesStageInTheDockerRuntime'
                args=(-B -o test -pl "challenge-$challenge" -am "-Dtest=$tests" -Dsurefire.failIfNoSpecifiedTests=false)
                [ -z "${STAGES:-}" ] || args+=("-Dclstr.stages=$STAGES")
                measure mvn "${args[@]}"
                rows_of "$challenge" "$round" "$runtime"
            elif [ -z "${STAGES:-}" ]; then
                measure env CLSTR_TIMING=1 ./clstr -C "reference/$challenge" test --so-far --runtime "$runtime"
                rows_of "$challenge" "$round" "$runtime"
            else
                for stage in ${STAGES//,/ }; do
                    measure env CLSTR_TIMING=1 ./clstr -C "reference/$challenge" test "$stage" --runtime "$runtime"
                    rows_of "$challenge" "$round" "$runtime"
                done
            fi
        done
    done
done

echo
echo "| round | challenge | stage | runtime | passed | wall (s) | waits (s) | of which | overhead (s) | overhead % | largest overhead parts |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $11, $5, $6, $7, $8, $9, $10 }' "$rows"
# The overhead of a row is its wall time times its percentage: the line rounds both times to 0.1 s,
# which for a stage of one second (0.08 s of overhead shown as 0.1) would make the sum a quarter off.
awk -F'\t' '
    { n[$4]++; wall[$4] += $5; over[$4] += $5 * $9 / 100; if ($9 + 0 > 10) high[$4]++ }
    END {
        for (r in n) {
            printf "%s runtime: %d stage runs, wall %.1f s, overhead %.1f s (%.1f %% of the wall time), %d over 10 %%\n",
                r, n[r], wall[r], over[r], (wall[r] > 0 ? 100 * over[r] / wall[r] : 0), high[r] + 0
        }
    }' "$rows"
echo "machine: load average $(cut -d' ' -f1-3 /proc/loadavg) at the end" >&2
