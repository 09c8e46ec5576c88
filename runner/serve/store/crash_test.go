package store

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/gcrun/gcrun/engine/result"
	"github.com/gcrun/gcrun/report"
)

// envCrashDB makes TestSQLiteCrashChild the writer TestSQLiteCrash kills.
const envCrashDB = "GCRUN_STORE_CRASH_DB"

const crashRules = 50

// crashHost is the child's host: the same key in every child, so that
// enrolment is idempotent across them.
func crashHost() Host {
	pub := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)).Public().(ed25519.PublicKey)
	return Host{ID: "h-crash", PublicKey: pub, KeyID: report.KeyID(pub), Hostname: "crash", EnrolledAt: t0}
}

func crashReport(t testing.TB, seq int64) Report {
	var rules []report.RuleResult
	for i := range crashRules {
		st := result.StatusPass
		if (int64(i)+seq)%4 == 0 {
			st = result.StatusFail
		}
		rules = append(rules, rule(fmt.Sprintf("R-%03d", i), "linux", st,
			result.Reason{Code: "c", Phrase: strings.Repeat("p", 200)}))
	}
	return newReport(t, "h-crash", fmt.Sprintf("r-%d", seq), seq, t0.Add(time.Duration(seq)*time.Minute),
		[]report.Baseline{linux10}, rules...)
}

// TestSQLiteCrashChild is not a test on its own: TestSQLiteCrash runs the
// test binary again with envCrashDB set, and this stores reports in a loop,
// printing "stored <id>" after each commit, until it is killed.
func TestSQLiteCrashChild(t *testing.T) {
	path := os.Getenv(envCrashDB)
	if path == "" {
		t.Skip("the writer process of TestSQLiteCrash")
	}
	ctx := context.Background()
	s, err := OpenSQLite(ctx, path)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	h, err := s.EnrollHost(ctx, crashHost())
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	deadline := time.Now().Add(time.Minute)
	for seq := h.LastSequence + 1; time.Now().Before(deadline); seq++ {
		r := crashReport(t, seq)
		if _, _, err := s.PutReport(ctx, r); err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		fmt.Printf("stored %s\n", r.ID)
	}
	fmt.Println("error: not killed within a minute")
	os.Exit(1)
}

// TestSQLiteCrash kills a writer (SIGKILL) in the middle of storing
// reports, several times, and checks that the database is intact, that
// every report the writer acknowledged is there, and that every report is
// there in full (all its results, the latest state and the host's last
// sequence moved with it) or not at all.
func TestSQLiteCrash(t *testing.T) {
	path := newSQLiteDB(t)
	acked := map[string]bool{}
	for round := range 5 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestSQLiteCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), envCrashDB+"="+path)
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		killAfter := 5 + rand.IntN(20)
		sc := bufio.NewScanner(out)
		n, killed := 0, false
		for sc.Scan() {
			line := sc.Text()
			if id, ok := strings.CutPrefix(line, "stored "); ok {
				acked[id] = true
				n++
			} else if strings.HasPrefix(line, "error") {
				t.Errorf("round %d: writer: %s", round, line)
			}
			if n == killAfter && !killed {
				// Land anywhere in the next report's transaction.
				time.Sleep(time.Duration(rand.IntN(3000)) * time.Microsecond)
				if err := cmd.Process.Kill(); err != nil {
					t.Fatal(err)
				}
				killed = true
			}
		}
		// Lines written before the kill are still read above: they were
		// acknowledged. Wait reports the kill.
		if err := cmd.Wait(); err == nil || !killed {
			t.Fatalf("round %d: writer ended by itself (%v) after %d reports", round, err, n)
		}
	}

	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var check string
	if err := raw.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check = %q, %v", check, err)
	}
	rows, err := raw.Query(`PRAGMA foreign_key_check`)
	if err != nil {
		t.Fatal(err)
	}
	if rows.Next() {
		t.Error("foreign_key_check reports violations")
	}
	rows.Close()

	s := openDB(t, path)
	got := query(t, s, `SELECT r.report_id, r.sequence, r.n_total, COUNT(res.rule_id) FROM reports r
LEFT JOIN results res ON res.report_seq = r.seq GROUP BY r.seq, r.report_id, r.sequence, r.n_total ORDER BY r.sequence`)
	present := map[string]bool{}
	for i, r := range got {
		present[r[0]] = true
		if want := fmt.Sprint(i + 1); r[1] != want || r[0] != "r-"+want {
			t.Errorf("report %d is %s with sequence %s: sequences must be contiguous", i+1, r[0], r[1])
		}
		if r[2] != fmt.Sprint(crashRules) || r[3] != r[2] {
			t.Errorf("report %s: %s results for %s rules, want %d", r[0], r[3], r[2], crashRules)
		}
	}
	for id := range acked {
		if !present[id] {
			t.Errorf("acknowledged report %s is missing", id)
		}
	}
	h, err := s.Host(context.Background(), "h-crash")
	if err != nil {
		t.Fatal(err)
	}
	if h.LastSequence != int64(len(got)) {
		t.Errorf("host last sequence %d, %d reports stored", h.LastSequence, len(got))
	}
	states, err := s.LatestStates(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(states) != crashRules {
		t.Errorf("%d latest states, want %d", len(states), crashRules)
	}
	for _, st := range states {
		if want := fmt.Sprintf("r-%d", len(got)); st.ReportID != want {
			t.Errorf("latest state of %s from %s, want %s", st.RuleID, st.ReportID, want)
		}
	}
	t.Logf("%d reports stored over 5 kills, %d acknowledged", len(got), len(acked))
}
