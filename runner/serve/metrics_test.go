package serve

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// parseMetrics parses the text exposition format strictly enough to catch
// malformed output: every sample belongs to a family declared by HELP and
// TYPE just before it.
func parseMetrics(t *testing.T, text string) map[string]float64 {
	t.Helper()
	sampleRE := regexp.MustCompile(`^([a-z_]+)(\{code="([a-z_]+)"\})? (-?[0-9]+)$`)
	out := map[string]float64{}
	family := ""
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "# HELP "):
			family = strings.Fields(line)[2]
		case strings.HasPrefix(line, "# TYPE "):
			f := strings.Fields(line)
			if f[2] != family || (f[3] != "counter" && f[3] != "gauge") {
				t.Errorf("bad TYPE line %q", line)
			}
		default:
			m := sampleRE.FindStringSubmatch(line)
			if m == nil || m[1] != family {
				t.Errorf("bad sample line %q (family %s)", line, family)
				continue
			}
			v, _ := strconv.ParseFloat(m[4], 64)
			key := m[1]
			if m[3] != "" {
				key += "{" + m[3] + "}"
			}
			if _, dup := out[key]; dup {
				t.Errorf("duplicate sample %s", key)
			}
			out[key] = v
		}
	}
	return out
}

func TestMetrics(t *testing.T) {
	st := newFakeStore()
	e := newEnv(t, st, func(o *Options) { o.MaxBody = 256 << 10 })
	a, b := e.enroll("alpha"), e.enroll("beta")
	_ = e.enroll("never")

	id, env := a.next(t, t0, nil)
	e.deliver(a.id, id, env) // stored
	e.deliver(a.id, id, env) // duplicate
	id, env = b.next(t, t0, nil)
	e.deliver(b.id, id, env)                                     // stored
	e.deliver(b.id, id+"x", env)                                 // bad_report (id mismatch)
	e.deliver("h-unknown", "r-1", env)                           // unknown_host
	e.deliver(a.id, "r-big", make([]byte, 1<<20))                // too_large (decompressed)
	e.do("POST", "/v1/reports", ingestHeaders(a.id, "r-2"), nil) // bad_request (empty body is not gzip)
	id, env = b.next(t, t0.Add(-30*24*time.Hour), nil)
	e.deliver(b.id, id, env) // replay (too old)
	st.setFail(errors.New("boom"), "PutReport")
	id, env = a.next(t, t0, nil)
	e.deliver(a.id, id, env) // unavailable
	st.setFail(nil)
	e.do("POST", "/v1/enroll", nil, []byte(`{"secret": "wrong"}`)) // enroll bad_secret

	// An hour later alpha and beta are stale; "never" always was.
	e.clock.Set(t0.Add(time.Hour))
	status, body := e.do("GET", "/metrics", nil, nil)
	if status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	got := parseMetrics(t, string(body))
	want := map[string]float64{
		"gcrun_serve_reports_ingested_total":                        2,
		"gcrun_serve_reports_duplicates_total":                      1,
		"gcrun_serve_reports_refused_total{bad_request}":            1,
		"gcrun_serve_reports_refused_total{unsupported_media_type}": 0,
		"gcrun_serve_reports_refused_total{too_large}":              1,
		"gcrun_serve_reports_refused_total{unknown_host}":           1,
		"gcrun_serve_reports_refused_total{revoked}":                0,
		"gcrun_serve_reports_refused_total{bad_report}":             1,
		"gcrun_serve_reports_refused_total{replay}":                 1,
		"gcrun_serve_reports_refused_total{overloaded}":             0,
		"gcrun_serve_reports_refused_total{unavailable}":            1,
		"gcrun_serve_reports_inflight":                              0,
		"gcrun_serve_store_errors_total":                            1,
		"gcrun_serve_enrollments_total":                             3,
		"gcrun_serve_rotations_total":                               0,
		"gcrun_serve_enroll_refused_total{bad_request}":             0,
		"gcrun_serve_enroll_refused_total{too_large}":               0,
		"gcrun_serve_enroll_refused_total{bad_secret}":              1,
		"gcrun_serve_enroll_refused_total{enrollment_disabled}":     0,
		"gcrun_serve_enroll_refused_total{unknown_host}":            0,
		"gcrun_serve_enroll_refused_total{revoked}":                 0,
		"gcrun_serve_enroll_refused_total{bad_signature}":           0,
		"gcrun_serve_enroll_refused_total{replay}":                  0,
		"gcrun_serve_enroll_refused_total{key_in_use}":              0,
		"gcrun_serve_enroll_refused_total{unavailable}":             0,
		"gcrun_serve_hosts":                                         3,
		"gcrun_serve_hosts_stale":                                   3,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("metrics (-want +got):\n%s", diff)
	}

	// Back to t0: alpha and beta are current; revoking beta drops it.
	e.clock.Set(t0)
	if err := st.RevokeHost(context.Background(), b.id, t0); err != nil {
		t.Fatal(err)
	}
	_, body = e.do("GET", "/metrics", nil, nil)
	got = parseMetrics(t, string(body))
	if got["gcrun_serve_hosts"] != 2 || got["gcrun_serve_hosts_stale"] != 1 {
		t.Errorf("hosts %v, stale %v; want 2 and 1", got["gcrun_serve_hosts"], got["gcrun_serve_hosts_stale"])
	}

	// The store down: counters still scraped, host gauges left out.
	st.setFail(errors.New("boom"), "Hosts")
	status, body = e.do("GET", "/metrics", nil, nil)
	got = parseMetrics(t, string(body))
	if _, ok := got["gcrun_serve_hosts"]; status != 200 || ok || got["gcrun_serve_reports_ingested_total"] != 2 {
		t.Errorf("store down: %d, %v", status, got)
	}
	if !bytes.Contains(body, []byte("# TYPE gcrun_serve_store_errors_total counter")) {
		t.Error("no TYPE line")
	}
}
