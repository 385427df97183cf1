# Shared by the bench/ scripts (sourced, not run): builds a module's main and test classes through
# the reactor, offline, and runs a benchmark's main class with the CLI's JVM options.
#
#   bench_run MODULE CLASS [ARG ...]
#
# The classpath is the module's own classes, its test classes and its test-scope dependencies as the
# reactor resolves them (sibling modules from their target/classes, not from ~/.m2). The JVM runs
# with the options the clstr script gives a stage (C1 only, the serial collector) unless
# BENCH_JAVA_OPTS replaces them; BENCH_MAVEN_ARGS adds Maven options to the build (it runs offline,
# -o, so Maven must have fetched the dependency plugin once).

bench_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"

bench_run() {
  local module="$1" main="$2"
  shift 2
  local cpfile="$bench_root/$module/target/bench.classpath"
  # shellcheck disable=SC2086 # BENCH_MAVEN_ARGS is a list of options
  (cd "$bench_root" && mvn -B -q -o ${BENCH_MAVEN_ARGS:-} -pl "$module" -am test-compile \
      dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath) \
    || { echo "bench: building $module failed" >&2; return 2; }
  # shellcheck disable=SC2086 # BENCH_JAVA_OPTS is a list of options
  java ${BENCH_JAVA_OPTS:--XX:TieredStopAtLevel=1 -XX:+UseSerialGC} \
    -cp "$bench_root/$module/target/test-classes:$bench_root/$module/target/classes:$(cat "$cpfile")" \
    "$main" "$@"
}
