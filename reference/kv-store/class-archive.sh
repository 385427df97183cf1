#!/bin/sh
# Writes target/reference-kv-store.jsa, a class data archive of what a node loads while it starts
# (Jackson, the HTTP server, the Raft core: about 1 200 classes); clstr.yaml's run command maps it,
# which halves the CPU a node spends before it answers (about 1.0 s to 0.6 s). clstr.yaml's build
# command runs this when the archive is missing or older than the jar or than java's install.
#
# It starts one node alone, with the nodes' JVM options (node.options, as the run command) plus
# -XX:ArchiveClassesAtExit, on a
# port of its own and a data folder of its own, waits until the node says it listens, and ends it
# with SIGTERM: the JVM writes the archive as it exits. Best effort: when it fails (the port taken,
# the node not listening within 60 s), it says so and exits 0, and nodes start without the archive.
# The JVM checks an archive against the jar and its libraries and ignores one that does not match.
set -u
cd "$(dirname "$0")" || exit 0
jar=target/reference-kv-store.jar
archive=target/reference-kv-store.jsa
[ -f "$jar" ] || exit 0
work="$(mktemp -d)" || exit 0
trap 'rm -rf "$work"' EXIT

# $1: a port; 0 when the archive was written
record() {
  ADDR="127.0.0.1:$1" PEERS="" DATA_DIR="$work/data" \
    java @node.options "-XX:ArchiveClassesAtExit=$work/archive.jsa" '-Xlog:cds*=off' -jar "$jar" >"$work/node.log" 2>&1 &
  node=$!
  tries=0
  until grep -q "listening on port" "$work/node.log"; do
    if ! kill -0 "$node" 2>/dev/null || [ "$tries" -ge 600 ]; then
      kill -KILL "$node" 2>/dev/null
      wait "$node" 2>/dev/null
      return 1
    fi
    tries=$((tries + 1))
    sleep 0.1
  done
  # one answered request too, when curl is there: the classes that serve one are recorded as well
  if command -v curl >/dev/null 2>&1; then
    curl -s -o /dev/null --max-time 10 "http://127.0.0.1:$1/health"
  fi
  kill -TERM "$node"
  wait "$node"
  [ -s "$work/archive.jsa" ] && mv -f "$work/archive.jsa" "$archive.$$" && mv -f "$archive.$$" "$archive"
}

base=$((30000 + $$ % 20000))
for port in "$base" $((base + 7919)) $((base + 15401)); do
  rm -rf "$work/data" "$work/archive.jsa"
  if record "$port"; then
    exit 0
  fi
done
echo "class-archive.sh: no class data archive for the reference's nodes (they start without it); the last try printed:"
tail -n 5 "$work/node.log"
exit 0
