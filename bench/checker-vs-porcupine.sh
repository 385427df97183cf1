#!/usr/bin/env bash
# Times clstr's linearizability checker against Porcupine on the conformance corpus, side by side in
# one run: per round, per group, Porcupine and our checker run one after the other (which goes first
# alternates by round), cold (a fresh process, one pass) and warm (one process, WARMUP unmeasured
# passes, then the median of PASSES). Times are the checks only, parsing excluded, in both.
#
#   bench/checker-vs-porcupine.sh /path/to/porcupine [group...]
#
# The Porcupine checkout (github.com/anishathalye/porcupine) gets bench/porcupine/clstr_bench_test.go
# copied in for the build, which drives Porcupine's own test parsers and models; the copy is removed
# again. Groups: jepsen kv-partitioned kv-unpartitioned (default: all three), c50-unpartitioned.
# Environment: ROUNDS (3), WARMUP (3), PASSES (5), MODES ("cold warm"), LIMIT_S (time limit per
# history, 60), CORPUS (default: ../shared/conformance/porcupine beside the repository), JAVA_OPTS
# (default: a stage run's, -XX:TieredStopAtLevel=1 -XX:+UseSerialGC), GO (go).
set -euo pipefail

if [ $# -lt 1 ] || [ ! -f "$1/checker.go" ]; then
  echo "usage: $0 <porcupine checkout> [group...]" >&2
  exit 2
fi
porcupine="$(cd "$1" && pwd -P)"
shift
groups=("$@")
[ ${#groups[@]} -gt 0 ] || groups=(jepsen kv-partitioned kv-unpartitioned)

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
corpus="${CORPUS:-$(dirname "$root")/shared/conformance/porcupine}"
rounds="${ROUNDS:-3}"
warmup="${WARMUP:-3}"
passes="${PASSES:-5}"
modes="${MODES:-cold warm}"
limit="${LIMIT_S:-60}"
java_opts="${JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}"
go="${GO:-go}"
[ -f "$corpus/verdicts.tsv" ] || { echo "corpus missing: $corpus/verdicts.tsv (set CORPUS)" >&2; exit 2; }

work="$(mktemp -d)"
driver="$porcupine/clstr_bench_test.go"
cleanup() { rm -rf "$work"; rm -f "$driver"; }
trap cleanup EXIT

# Porcupine: its package's test binary with our driver in it.
cp "$root/bench/porcupine/clstr_bench_test.go" "$driver"
(cd "$porcupine" && "$go" test -c -o "$work/porcupine.test" .)
rm -f "$driver"

# Our checker: the linearizability package and the benchmark's three test classes, nothing else.
src="$root/clstr-junit/src"
pkg="io/clstr/junit/linearizability"
javac --release 17 -d "$work/classes" "$src/main/java/$pkg"/*.java \
  "$src/test/java/$pkg"/{CheckerBenchmark,CorpusRun,PorcupineFormats}.java

# run_porcupine|run_ours GROUP WARMUP PASSES: prints the median of the measured passes, then the
# largest number of histories without a verdict in one pass.
# Awk helpers (mawk has no asort): sort a[1..k] in place, median of a sorted a[1..k].
awk_lib='function isort(a, k,  i, j, v) { for (i = 2; i <= k; i++) { v = a[i]
    for (j = i - 1; j >= 1 && a[j] > v; j--) a[j + 1] = a[j]; a[j + 1] = v } }
  function med(a, k) { return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }'
summarise() { awk "$awk_lib"'/^pass /{ t[++n] = $3; if ($4 > u) u = $4 } END {
  if (n == 0) { print "failed"; exit 1 }
  isort(t, n); print med(t, n), u + 0 }'; }
run_porcupine() {
  (cd "$porcupine" && CLSTR_CORPUS="$corpus" CLSTR_GROUP="$1" CLSTR_WARMUP="$2" CLSTR_PASSES="$3" \
    CLSTR_LIMIT_S="$limit" "$work/porcupine.test" -test.run '^TestClstrBench$') | summarise
}
run_ours() {
  # shellcheck disable=SC2086 # java_opts is a list of options
  java $java_opts -Dclstr.porcupine="$corpus" -cp "$work/classes" \
    io.clstr.junit.linearizability.CheckerBenchmark "$1" "$2" "$3" "$limit" | summarise
}

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# Porcupine $(git -C "$porcupine" rev-parse --short HEAD 2>/dev/null || echo '?'), $("$go" version)"
echo "# ours: $(java -version 2>&1 | head -n 1), JAVA_OPTS=$java_opts"
echo "# rounds $rounds; warm: $warmup warm-up passes, median of $passes; limit ${limit}s per history"
echo "# round mode group porcupine_ms ours_ms porcupine/ours [no verdict: porcupine ours]"
results="$work/results"
for ((r = 1; r <= rounds; r++)); do
  for mode in $modes; do
    if [ "$mode" = cold ]; then w=0; p=1; else w="$warmup"; p="$passes"; fi
    for g in "${groups[@]}"; do
      if ((r % 2)); then
        read -r pt pu < <(run_porcupine "$g" "$w" "$p")
        read -r ot ou < <(run_ours "$g" "$w" "$p")
      else
        read -r ot ou < <(run_ours "$g" "$w" "$p")
        read -r pt pu < <(run_porcupine "$g" "$w" "$p")
      fi
      line="$(awk -v r="$r" -v m="$mode" -v g="$g" -v pt="$pt" -v ot="$ot" -v pu="$pu" -v ou="$ou" 'BEGIN {
        printf "%d %s %s %.1f %.1f %.2f", r, m, g, pt, ot, (ot > 0 ? pt / ot : 0)
        if (pu + ou > 0) printf " [no verdict: %d %d]", pu, ou
        printf "\n" }')"
      echo "$line"
      echo "$line" >>"$results"
    done
  done
done
echo "# $(date -u '+%H:%M UTC'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| mode | group | Porcupine (ms, median of rounds, range) | ours (ms) | Porcupine ÷ ours (median, range) |"
echo "|---|---|---|---|---|"
for mode in $modes; do
  for g in "${groups[@]}"; do
    awk -v m="$mode" -v g="$g" "$awk_lib"'$2 == m && $3 == g { n++; p[n] = $4; o[n] = $5; q[n] = $6 }
      END { if (n == 0) exit
        isort(p, n); isort(o, n); isort(q, n)
        printf "| %s | %s | %.1f (%.1f–%.1f) | %.1f (%.1f–%.1f) | %.1f× (%.1f–%.1f) |\n", m, g,
          med(p, n), p[1], p[n], med(o, n), o[1], o[n], med(q, n), q[1], q[n] }' "$results"
  done
done
