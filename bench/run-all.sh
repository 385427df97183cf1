#!/usr/bin/env bash
# Re-runs every benchmark of BENCHMARKS.md, one after the other (never two at once: each pairs the
# things it compares round by round, and a second benchmark would load one side more than the other).
#
#   bench/run-all.sh [PORCUPINE_CHECKOUT]
#
# The checker is timed against Porcupine when a checkout is given (bench/checker-vs-porcupine.sh),
# and alone otherwise (CheckerBenchmark). The docker comparison runs when a Docker engine answers.
# Each section's output starts with its BENCHMARKS.md title; the load average is printed between them.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd -P)"
cd "$root"
failed=()

section() { # $1: the BENCHMARKS.md title; the rest: the command
  local title="$1"
  shift
  echo
  echo "=== $title ($(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg))"
  "$@" || { echo "=== $title: FAILED (exit $?)"; failed+=("$title"); }
}

docker_benchmarks() {
  (. bench/lib.sh && bench_run clstr-junit io.clstr.junit.internal.docker.ClusterStartBenchmark reference/kv-store 5) &&
    for _ in 1 2 3; do
      mvn -o test -pl challenge-kv-store -am -Dtest='ReferenceTest#referencePassesStage*' \
        -Dsurefire.failIfNoSpecifiedTests=false | grep -E '^(docker )?[a-z-]+ \([0-9.]+ s\):'
    done
}

checker_alone() { # each group: 3 warm-up passes, then 5 measured (their times, in ms, one line each)
  local group
  for group in jepsen kv-partitioned kv-unpartitioned; do
    (. bench/lib.sh && bench_run clstr-junit io.clstr.junit.linearizability.CheckerBenchmark "$group" 3 5) || return
  done
}

section "Embedded Toxiproxy proxy overhead" bench/proxy.sh
section "Load generator: clstr's client against wrk" bench/client.sh
section "CLI start" bench/cli-start.sh
if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  section "Docker runtime vs process runtime" docker_benchmarks
else
  echo
  echo "=== Docker runtime vs process runtime: skipped (no Docker engine answers \`docker info\`)"
fi
if [ $# -ge 1 ]; then
  section "Linearizability checker vs Porcupine" bench/checker-vs-porcupine.sh "$1"
else
  section "Linearizability checker vs Porcupine (checker alone: give a Porcupine checkout to compare)" checker_alone
fi

echo
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}"
  exit 1
fi
echo "all benchmarks ran"
