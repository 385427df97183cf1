#!/usr/bin/env bash
# clstr's client (concurrently with 50 in flight: checked GETs and recorded GETs) against wrk with
# 50 connections on one minimal loopback server. BENCHMARKS.md, "Load generator".
#
#   bench/client.sh [SECONDS_PER_ROUND ROUNDS IN_FLIGHT]     (defaults 3 5 50)
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_run clstr-junit io.clstr.junit.history.ClientBenchmark "$@"
