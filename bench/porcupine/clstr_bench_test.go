// Copied into a Porcupine checkout (package porcupine) by bench/checker-vs-porcupine.sh; drives
// Porcupine's own test-file parsers (parseJepsenLog, parseKvLog) and models (etcdModel, kvModel,
// kvNoPartitionModel) over the rows of clstr's conformance corpus, one group per process.
//
// Environment: CLSTR_CORPUS (folder holding verdicts.tsv), CLSTR_GROUP (jepsen, kv-partitioned,
// kv-unpartitioned, or c50-unpartitioned: c50-ok and c50-bad, not in verdicts.tsv), CLSTR_WARMUP
// and CLSTR_PASSES (passes before and during measurement), CLSTR_LIMIT_S (time limit per history).
// Prints one line per measured pass: "pass <group> <milliseconds> <histories without a verdict>",
// the time being the checks only (parsing excluded). A wrong verdict fails the test.

package porcupine

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

type clstrRow struct {
	file         string
	model        string
	linearizable bool
}

func clstrRows(t *testing.T, corpus, group string) []clstrRow {
	if group == "c50-unpartitioned" {
		return []clstrRow{
			{"kv/c50-ok.txt", "kv-unpartitioned", true},
			{"kv/c50-bad.txt", "kv-unpartitioned", false},
		}
	}
	f, err := os.Open(filepath.Join(corpus, "verdicts.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []clstrRow
	scanner := bufio.NewScanner(f)
	scanner.Scan() // the header
	for scanner.Scan() {
		fields := strings.Split(scanner.Text(), "\t")
		if len(fields) < 3 {
			continue
		}
		rowGroup := fields[1]
		if rowGroup == "register" {
			rowGroup = "jepsen"
		}
		if rowGroup == group {
			rows = append(rows, clstrRow{fields[0], fields[1], fields[2] == "linearizable"})
		}
	}
	if len(rows) == 0 {
		t.Fatalf("no rows of group %q in %s", group, corpus)
	}
	return rows
}

func clstrEnvInt(t *testing.T, name string, fallback int) int {
	v := os.Getenv(name)
	if v == "" {
		return fallback
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return n
}

func TestClstrBench(t *testing.T) {
	corpus := os.Getenv("CLSTR_CORPUS")
	group := os.Getenv("CLSTR_GROUP")
	if corpus == "" || group == "" {
		t.Skip("CLSTR_CORPUS and CLSTR_GROUP not set")
	}
	warmup := clstrEnvInt(t, "CLSTR_WARMUP", 0)
	passes := clstrEnvInt(t, "CLSTR_PASSES", 1)
	limit := time.Duration(clstrEnvInt(t, "CLSTR_LIMIT_S", 60)) * time.Second

	rows := clstrRows(t, corpus, group)
	histories := make([][]Event, len(rows))
	models := make([]Model, len(rows))
	for i, row := range rows {
		path := filepath.Join(corpus, row.file)
		switch row.model {
		case "register":
			histories[i], models[i] = parseJepsenLog(path), etcdModel
		case "kv-partitioned":
			histories[i], models[i] = parseKvLog(path), kvModel
		case "kv-unpartitioned":
			histories[i], models[i] = parseKvLog(path), kvNoPartitionModel
		default:
			t.Fatalf("unknown model %q", row.model)
		}
	}
	for pass := 0; pass < warmup+passes; pass++ {
		unknown := 0
		start := time.Now()
		for i, row := range rows {
			res := CheckEventsTimeout(models[i], histories[i], limit)
			if res == Unknown {
				unknown++
			} else if (res == Ok) != row.linearizable {
				t.Fatalf("%s %s: got %v", row.file, row.model, res)
			}
		}
		ms := float64(time.Since(start).Nanoseconds()) / 1e6
		if pass >= warmup {
			os.Stdout.WriteString("pass " + group + " " + strconv.FormatFloat(ms, 'f', 3, 64) + " " + strconv.Itoa(unknown) + "\n")
		}
	}
}
