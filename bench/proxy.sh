#!/usr/bin/env bash
# The embedded Toxiproxy proxy against a direct connection and haproxy (mode tcp, one thread) on
# loopback. BENCHMARKS.md, "Embedded Toxiproxy proxy overhead".
#
#   bench/proxy.sh [CONNECTIONS SECONDS_PER_ROUND ROUNDS LATENCY_REQUESTS]     (defaults 4 2 5 5000)
set -euo pipefail
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
bench_run clstr-toxiproxy io.clstr.toxiproxy.ProxyBenchmark "$@"
