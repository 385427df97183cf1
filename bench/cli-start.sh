#!/usr/bin/env bash
# How long `clstr test` takes from the command to the first test of the first stage, with the CLI
# already built: `./clstr -C reference/kv-store test http-api`, RUNS times (default 10, after one
# warm-up run that also builds whatever is stale). BENCHMARKS.md, "CLI start".
#
#   bench/cli-start.sh [RUNS]
#
# With RUNS pairs instead: `bench/cli-start.sh RUNS paired` alternates the clstr script (its class data
# archive in use) and the same java command line without the archive, run by run;
# `bench/cli-start.sh RUNS against OTHER` alternates this checkout's clstr script and the one of the
# checkout OTHER (another commit, built there: its CLI and its reference/kv-store), run by run.
#
# The first test's first request follows its TEST event in the run log (.clstr/logs/http-api/
# cluster.jsonl) within a millisecond; the phases come from the same log: the command until the
# node's START event (JVM, command line, stage discovery, build step, runtime), START until CLUSTER
# READY (the reference node's own start), READY until the first TEST. It also reads, when the first
# TEST event appears, the CPU time the CLI's JVM and the node have used (/proc, 10 ms ticks): what a
# loaded machine does not change much. CLSTR_JAVA_OPTS passes through.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd -P)"
runs="${1:-10}"
mode="${2:-}"
other=""
if [ "$mode" = against ]; then
  other="$(cd "${3:?against needs the folder of the other checkout}" && pwd -P)"
  [ -x "$other/clstr" ] || { echo "cli-start: no clstr script in $other" >&2; exit 2; }
fi
jar="$(find "$root/clstr-cli/target" -maxdepth 1 -name 'clstr-cli-*.jar' ! -name '*-sources.jar' | head -n 1)"

when() { # the time of the first line of $2 that contains $1, in seconds since the epoch
  date -d "$(grep -m1 -F "$1" "$2" | sed 's/.*"time":"\([^"]*\)".*/\1/')" +%s.%N
}

first_test_in() { # true when the run log $1 has the first test's TEST event
  local line
  [ -f "$1" ] || return 1
  while IFS= read -r line; do
    case "$line" in *'"TEST: '*) return 0 ;; esac
  done <"$1"
  return 1
}

cpu_ticks() { # user + system clock ticks of process $1 so far (fields 14 and 15 of /proc/PID/stat)
  sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $12 + $13 }'
}

run_once() { # $1: "plain" runs java without the class data archive, "other" the other checkout's clstr
  # script, anything else this checkout's clstr script
  local start end pid cli_cpu=0 node_cpu=0 child tick checkout="$root" logs
  if [ "${1:-}" = other ]; then
    checkout="$other"
  fi
  logs="$checkout/reference/kv-store/.clstr/logs/http-api"
  tick="$(getconf CLK_TCK)"
  rm -rf "$logs"
  start="$(date +%s.%N)"
  if [ "${1:-}" = plain ]; then
    java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$jar:$root/clstr-cli/target/lib/*" io.clstr.cli.Main \
      -C "$root/reference/kv-store" test http-api >/dev/null 2>&1 &
  else # with the archive in place the script execs java: the same process
    "$checkout/clstr" -C "$checkout/reference/kv-store" test http-api >/dev/null 2>&1 &
  fi
  pid=$!
  # the CPU time of the CLI's JVM and of the node when the first test starts, read as it happens. The
  # loop starts no process (bash builtins only; its pause is a read that times out on a FIFO that nothing
  # writes to): a grep and a sleep every 10 ms, as it was, took enough of two cores from the run it
  # measured to make its first test 0.4-0.6 s later
  while kill -0 "$pid" 2>/dev/null; do
    if first_test_in "$logs/cluster.jsonl"; then
      cli_cpu="$(cpu_ticks "$pid")"
      for child in $(pgrep -P "$pid"); do
        node_cpu=$((node_cpu + $(cpu_ticks "$child") + 0))
        for grandchild in $(pgrep -P "$child"); do node_cpu=$((node_cpu + $(cpu_ticks "$grandchild") + 0)); done
      done
      break
    fi
    read -r -t 0.005 -u 7 _ || true
  done
  wait "$pid" || {
    echo "cli-start: clstr test http-api failed on the reference; run it by hand to see why" >&2
    exit 1
  }
  end="$(date +%s.%N)"
  echo "$start $(when '"START"' "$logs/n1.jsonl") $(when 'CLUSTER READY' "$logs/cluster.jsonl") \
$(when '"TEST: ' "$logs/cluster.jsonl") $end $(awk -v c="$cli_cpu" -v n="$node_cpu" -v t="$tick" 'BEGIN { print c / t, n / t }')"
}

main() {
# fd 7: a FIFO that nothing writes to, for run_once's pauses without a sleep process
local tick
tick="$(mktemp -u)"
mkfifo "$tick"
exec 7<>"$tick"
rm -f "$tick"
echo "warm-up run (builds the CLI or the reference when stale)"
run_once >/dev/null
if [ -n "$other" ]; then
  run_once other >/dev/null
fi
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$mode" = paired ]; then
  results="$(for _ in $(seq "$runs"); do run_once; run_once plain; done)"
elif [ -n "$other" ]; then
  results="$(for _ in $(seq "$runs"); do run_once; run_once other; done)"
else
  results="$(for _ in $(seq "$runs"); do run_once; done)"
fi
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -z "$mode" ]; then
  summary "clstr script" "$results"
else
  summary "clstr script ($root)" "$(echo "$results" | awk 'NR % 2 == 1')"
  summary "$(if [ -n "$other" ]; then echo "clstr script of $other"; else echo "without the class data archive"; fi)" \
    "$(echo "$results" | awk 'NR % 2 == 0')"
fi
}

summary() { # $1: a title; $2: lines of run_once
  echo
  echo "$1:"
  echo "$2" | awk -v runs="$runs" '
  function median(a, n,   i, j, t) {
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  {
    launch[NR] = $2 - $1; node[NR] = $3 - $2; ready[NR] = $4 - $3; first[NR] = $4 - $1; whole[NR] = $5 - $1
    clicpu[NR] = $6; nodecpu[NR] = $7
    printf "run %2d: first test after %.2f s (command to node start %.2f, node start %.2f, ready to test %.3f); whole command %.2f s; CPU by the first test: CLI %.2f s, node %.2f s\n", NR, first[NR], launch[NR], node[NR], ready[NR], whole[NR], clicpu[NR], nodecpu[NR]
    if (NR == 1 || first[NR] < lo) lo = first[NR]
    if (NR == 1 || first[NR] > hi) hi = first[NR]
  }
  END {
    printf "\nmedian of %d runs: first test after %.2f s (%.2f to %.2f); command to node start %.2f s, node start to ready %.2f s, ready to first test %.3f s; whole command %.2f s\nCPU time by the first test (median): the CLI'"'"'s JVM %.2f s, the node %.2f s\n", runs, median(first, runs), lo, hi, median(launch, runs), median(node, runs), median(ready, runs), median(whole, runs), median(clicpu, runs), median(nodecpu, runs)
  }'
}

main
