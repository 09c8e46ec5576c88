package report

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gcrun/gcrun/engine/result"
	"github.com/google/go-cmp/cmp"
)

// fleetOtherKey signs reports that testKey's key ring must not accept.
var fleetOtherKey = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{9}, ed25519.SeedSize))

const fleetDir = "testdata/summary/fleet"

func fleetReport(host, machineID string, end time.Time, results []result.Result) *Report {
	meta := sampleMeta()
	meta.Host.Hostname, meta.Host.MachineID = host, machineID
	meta.StartTime, meta.EndTime = end.Add(-2*time.Second), end
	return New(meta, results)
}

func fleetResults(statuses map[*result.Rule]result.Status) []result.Result {
	var out []result.Result
	for _, rule := range []*result.Rule{ruleMOTD, ruleSSH, ruleShadow, ruleAIDE, ruleSELinux, ruleFirewall, ruleCore} {
		st, ok := statuses[rule]
		if !ok {
			continue
		}
		r := result.Result{Rule: rule, Status: st}
		if st == result.StatusError {
			r.Error = "collector failed"
		}
		out = append(out, r)
	}
	return out
}

func fleetJSON(t testing.TB, r *Report) []byte {
	t.Helper()
	data, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func fleetSign(t testing.TB, payload []byte, key ed25519.PrivateKey) []byte {
	t.Helper()
	env, err := Sign(payload, key)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

// fleetFiles is the small fleet of testdata/summary/fleet: plain and signed
// reports, a host with two reports, a tampered envelope, one signed by an
// unknown key, and files that are not reports.
func fleetFiles(t testing.TB) map[string][]byte {
	P, F, E, N := result.StatusPass, result.StatusFail, result.StatusError, result.StatusNotApplicable
	files := map[string][]byte{}
	files["web-01.json"] = fleetJSON(t, sampleReport())
	files["web-02.dsse.json"] = fleetSign(t, fleetJSON(t, fleetReport("web-02", "22222222222222222222222222222222", t0.Add(time.Hour),
		fleetResults(map[*result.Rule]result.Status{ruleMOTD: P, ruleSSH: P, ruleShadow: P, ruleAIDE: P, ruleSELinux: N, ruleFirewall: P}))), testKey)
	files["db/db-01.json"] = fleetJSON(t, fleetReport("db-01", "dbdbdbdbdbdbdbdbdbdbdbdbdbdbdbdb", t0.Add(2*time.Hour),
		fleetResults(map[*result.Rule]result.Status{ruleSSH: F, ruleShadow: P, ruleAIDE: E, ruleMOTD: P, ruleFirewall: F})))
	files["db/old/db-01.json"] = fleetJSON(t, fleetReport("db-01", "dbdbdbdbdbdbdbdbdbdbdbdbdbdbdbdb", t0.Add(-24*time.Hour),
		fleetResults(map[*result.Rule]result.Status{ruleSSH: P, ruleShadow: P, ruleAIDE: P, ruleMOTD: P, ruleFirewall: P})))
	// A clone of web-01's image that kept its machine id, scanned an hour
	// before web-01: one host for the summary, with both names shown.
	files["clones/web-01-clone.json"] = fleetJSON(t, fleetReport("web-01-clone", "4c4c4544003957108052b4c04f384833", t0.Add(-time.Hour),
		fleetResults(map[*result.Rule]result.Status{ruleSSH: P, ruleMOTD: P})))
	files["app-01.json"] = fleetJSON(t, fleetReport("app-01", "", t0.Add(3*time.Hour),
		fleetResults(map[*result.Rule]result.Status{ruleSSH: P, ruleMOTD: P, ruleCore: F})))

	// Signed, then the payload changed: ssh fails, the tampered copy says
	// it passes.
	tampered := fleetJSON(t, fleetReport("web-03", "33333333333333333333333333333333", t0.Add(4*time.Hour),
		fleetResults(map[*result.Rule]result.Status{ruleSSH: F, ruleMOTD: P})))
	var env Envelope
	if err := json.Unmarshal(fleetSign(t, tampered, testKey), &env); err != nil {
		t.Fatal(err)
	}
	forged := bytes.Replace(tampered, []byte(`"status": "fail"`), []byte(`"status": "pass"`), 1)
	env.Payload = base64.StdEncoding.EncodeToString(forged)
	files["tampered.dsse.json"], _ = json.MarshalIndent(env, "", "  ")

	files["foreign.dsse.json"] = fleetSign(t, fleetJSON(t, fleetReport("web-05", "55555555555555555555555555555555", t0.Add(5*time.Hour),
		fleetResults(map[*result.Rule]result.Status{ruleSSH: F, ruleShadow: F, ruleMOTD: P}))), fleetOtherKey)

	files["broken.json"] = []byte(`{"schemaVersion": "1.1.0", "host": {"hostname": "trunc`)
	files["package.json"] = []byte(`{"name": "not-a-report", "version": "1.0.0"}` + "\n")
	files["future.json"] = []byte(`{"schemaVersion": "2.0.0", "rules": []}` + "\n")
	files["README.txt"] = []byte("not read: only *.json files are\n")
	return files
}

func writeFleet(t testing.TB, dir string) {
	t.Helper()
	for name, data := range fleetFiles(t) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// The committed fleet is what fleetFiles generates (-update rewrites it).
func TestSummaryFleetFixture(t *testing.T) {
	for name, data := range fleetFiles(t) {
		if *update {
			if err := os.MkdirAll(filepath.Dir(filepath.Join(fleetDir, name)), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		golden(t, "summary/fleet/"+name, data)
	}
}

func fleetSummarize(t testing.TB, inputs []string, opts SummaryOptions) *FleetSummary {
	t.Helper()
	s, err := Summarize(context.Background(), inputs, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func fleetRing(t testing.TB) KeyRing {
	ring, err := NewKeyRing(testPub())
	if err != nil {
		t.Fatal(err)
	}
	return ring
}

func TestSummaryGolden(t *testing.T) {
	if *update {
		TestSummaryFleetFixture(t)
	}
	missing := "testdata/summary/missing.json"
	for _, tc := range []struct {
		name string
		opts SummaryOptions
	}{
		{"summary", SummaryOptions{}},
		{"summary-keys", SummaryOptions{Keys: fleetRing(t)}},
	} {
		s := fleetSummarize(t, []string{fleetDir, missing}, tc.opts)
		var text, color, js, html bytes.Buffer
		if err := WriteSummaryText(&text, s, TextOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := WriteSummaryText(&color, s, TextOptions{Color: true}); err != nil {
			t.Fatal(err)
		}
		if err := WriteSummaryJSON(&js, s); err != nil {
			t.Fatal(err)
		}
		if err := WriteSummaryHTML(&html, s); err != nil {
			t.Fatal(err)
		}
		golden(t, "summary/"+tc.name+".txt", text.Bytes())
		golden(t, "summary/"+tc.name+"-color.txt", color.Bytes())
		golden(t, "summary/"+tc.name+".json", js.Bytes())
		golden(t, "summary/"+tc.name+".html", html.Bytes())

		var back FleetSummary
		if err := json.Unmarshal(js.Bytes(), &back); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(s, &back); diff != "" {
			t.Errorf("%s: JSON round trip (-want +got):\n%s", tc.name, diff)
		}
	}
}

func fleetProblemKinds(s *FleetSummary) map[string]string {
	m := map[string]string{}
	for _, p := range s.Problems {
		m[filepath.ToSlash(p.Path)] = p.Kind
	}
	return m
}

func TestSummarizeFleet(t *testing.T) {
	s := fleetSummarize(t, []string{fleetDir, "testdata/summary/missing.json"}, SummaryOptions{})
	wantTotals := FleetTotals{
		Files: 11, Hosts: 6, Compliant: 1, NonCompliant: 5, CompliantPercent: 16.7,
		// 100 (web-02), 50 (web-01), 40 (db-01), 66.67 (app-01), 100
		// (web-03 as tampered), 33.33 (web-05)
		AverageScore: 65, Superseded: 2, Problems: 4, Unverified: 3, Unsigned: 3,
		OldestReport: t0.Add(1500 * time.Millisecond), NewestReport: t0.Add(5 * time.Hour),
	}
	if diff := cmp.Diff(wantTotals, s.Totals); diff != "" {
		t.Errorf("totals (-want +got):\n%s", diff)
	}
	wantHosts := []FleetHost{
		{Hostname: "app-01", OS: "Ubuntu 24.04.1 LTS", Path: fleetDir + "/app-01.json", EndTime: t0.Add(3 * time.Hour),
			ComplianceStatus: NonCompliant, Summary: Summary{Total: 3, Pass: 2, Fail: 1}, Score: 66.7, Signature: SignatureUnsigned},
		{Hostname: "db-01", MachineID: "dbdbdbdbdbdbdbdbdbdbdbdbdbdbdbdb", OS: "Ubuntu 24.04.1 LTS", Path: fleetDir + "/db/db-01.json", EndTime: t0.Add(2 * time.Hour),
			ComplianceStatus: NonCompliant, Summary: Summary{Total: 5, Pass: 2, Fail: 2, Error: 1}, Score: 40, Signature: SignatureUnsigned},
		{Hostname: "web-01", MachineID: "4c4c4544003957108052b4c04f384833", OS: "Ubuntu 24.04.1 LTS", Path: fleetDir + "/web-01.json", EndTime: t0.Add(1500 * time.Millisecond),
			ComplianceStatus: NonCompliant, Summary: Summary{Total: 9, Pass: 3, Fail: 2, NotApplicable: 1, Error: 1, Waived: 2}, Score: 50, Signature: SignatureUnsigned},
		{Hostname: "web-02", MachineID: "22222222222222222222222222222222", OS: "Ubuntu 24.04.1 LTS", Path: fleetDir + "/web-02.dsse.json", EndTime: t0.Add(time.Hour),
			ComplianceStatus: Compliant, Summary: Summary{Total: 6, Pass: 5, NotApplicable: 1}, Score: 100, Signature: SignatureUnverified},
		// The tampered report is counted as it reads when no keys are
		// given: this is what keys are for. Its recorded status still
		// says NonCompliant, and the worse wins.
		{Hostname: "web-03", MachineID: "33333333333333333333333333333333", OS: "Ubuntu 24.04.1 LTS", Path: fleetDir + "/tampered.dsse.json", EndTime: t0.Add(4 * time.Hour),
			ComplianceStatus: NonCompliant, Summary: Summary{Total: 2, Pass: 2}, Score: 100, Signature: SignatureUnverified},
		{Hostname: "web-05", MachineID: "55555555555555555555555555555555", OS: "Ubuntu 24.04.1 LTS", Path: fleetDir + "/foreign.dsse.json", EndTime: t0.Add(5 * time.Hour),
			ComplianceStatus: NonCompliant, Summary: Summary{Total: 3, Pass: 1, Fail: 2}, Score: 33.3, Signature: SignatureUnverified},
	}
	if diff := cmp.Diff(wantHosts, s.Hosts); diff != "" {
		t.Errorf("hosts (-want +got):\n%s", diff)
	}
	wantWorst := []string{"web-05", "db-01", "web-01", "app-01", "web-03"}
	var gotWorst []string
	for _, h := range s.WorstHosts {
		gotWorst = append(gotWorst, h.Hostname)
	}
	if diff := cmp.Diff(wantWorst, gotWorst); diff != "" {
		t.Errorf("worst hosts (-want +got):\n%s", diff)
	}

	// ssh.permit_root_login: fail on web-01, db-01, web-05; pass on
	// app-01, web-02, web-03 (tampered).
	var ssh FleetRule
	for _, r := range s.Rules {
		if r.ID == "ssh.permit_root_login" {
			ssh = r
		}
	}
	wantSSH := FleetRule{Baseline: "linux-base", ID: "ssh.permit_root_login", Title: "SSH root login is disabled", Severity: result.SeverityCritical,
		Summary: Summary{Total: 6, Pass: 3, Fail: 3}, FailPercent: 50}
	if diff := cmp.Diff(wantSSH, ssh); diff != "" {
		t.Errorf("ssh rule (-want +got):\n%s", diff)
	}
	var worstRules []string
	for _, r := range s.WorstRules {
		worstRules = append(worstRules, fmt.Sprintf("%s %d", r.ID, r.Summary.Fail+r.Summary.Error))
	}
	wantRules := []string{"ssh.permit_root_login 3", "files.shadow_mode 2", "pkg.aide_installed 2",
		"net.firewall_enabled 1", "kernel.core_dumps 1"}
	if diff := cmp.Diff(wantRules, worstRules); diff != "" {
		t.Errorf("worst rules (-want +got):\n%s", diff)
	}

	wantDup := []FleetDuplicate{
		{Hostname: "db-01", MachineID: "dbdbdbdbdbdbdbdbdbdbdbdbdbdbdbdb",
			Kept: fleetDir + "/db/db-01.json", Superseded: []string{fleetDir + "/db/old/db-01.json"}},
		{Hostname: "web-01", MachineID: "4c4c4544003957108052b4c04f384833", Kept: fleetDir + "/web-01.json",
			Superseded: []string{fleetDir + "/clones/web-01-clone.json"}, Hostnames: []string{"web-01", "web-01-clone"}},
	}
	if diff := cmp.Diff(wantDup, s.Duplicates); diff != "" {
		t.Errorf("duplicates (-want +got):\n%s", diff)
	}
	wantProblems := map[string]string{
		fleetDir + "/broken.json":       ProblemInvalid,
		fleetDir + "/future.json":       ProblemInvalid,
		fleetDir + "/package.json":      ProblemInvalid,
		"testdata/summary/missing.json": ProblemUnreadable,
	}
	if diff := cmp.Diff(wantProblems, fleetProblemKinds(s)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

func TestSummarizeWithKeys(t *testing.T) {
	s := fleetSummarize(t, []string{fleetDir}, SummaryOptions{Keys: fleetRing(t)})
	if len(s.Hosts) != 1 || s.Hosts[0].Hostname != "web-02" || s.Hosts[0].Signature != SignatureVerified || s.Hosts[0].KeyID != KeyID(testPub()) {
		t.Fatalf("hosts: %+v", s.Hosts)
	}
	if !s.SignaturesRequired || s.Totals.Verified != 1 || s.Totals.Hosts != 1 {
		t.Errorf("totals: %+v", s.Totals)
	}
	want := map[string]string{
		fleetDir + "/app-01.json":              ProblemUnsigned,
		fleetDir + "/broken.json":              ProblemInvalid,
		fleetDir + "/clones/web-01-clone.json": ProblemUnsigned,
		fleetDir + "/db/db-01.json":            ProblemUnsigned,
		fleetDir + "/db/old/db-01.json":        ProblemUnsigned,
		fleetDir + "/foreign.dsse.json":        ProblemVerificationFailed,
		fleetDir + "/future.json":              ProblemUnsigned,
		fleetDir + "/package.json":             ProblemUnsigned,
		fleetDir + "/tampered.dsse.json":       ProblemVerificationFailed,
		fleetDir + "/web-01.json":              ProblemUnsigned,
	}
	if diff := cmp.Diff(want, fleetProblemKinds(s)); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	for _, p := range s.Problems {
		switch filepath.Base(p.Path) {
		case "tampered.dsse.json":
			if !strings.Contains(p.Error, ErrBadSignature.Error()) {
				t.Errorf("tampered: %s", p.Error)
			}
		case "foreign.dsse.json":
			if !strings.Contains(p.Error, ErrWrongKey.Error()) || !strings.Contains(p.Error, KeyID(fleetOtherKey.Public().(ed25519.PublicKey))) {
				t.Errorf("foreign: %s", p.Error)
			}
		}
	}

	// Both keys: the foreign report is verified too; the tampered one
	// still is not.
	ring, err := NewKeyRing(testPub(), fleetOtherKey.Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	s = fleetSummarize(t, []string{fleetDir}, SummaryOptions{Keys: ring})
	if s.Totals.Verified != 2 || fleetProblemKinds(s)[fleetDir+"/tampered.dsse.json"] != ProblemVerificationFailed {
		t.Errorf("two keys: totals %+v, problems %v", s.Totals, fleetProblemKinds(s))
	}

	// An empty key ring fails closed.
	s = fleetSummarize(t, []string{fleetDir}, SummaryOptions{Keys: KeyRing{}})
	if s.Totals.Hosts != 0 || s.Totals.Problems != 11 {
		t.Errorf("empty key ring: totals %+v", s.Totals)
	}
}

// The signed-envelope checks agree with Verify on every kind of damage.
func TestSummaryVerifyAgreesWithVerify(t *testing.T) {
	payload := sampleJSON(t)
	good := fleetSign(t, payload, testKey)
	var env map[string]any
	if err := json.Unmarshal(good, &env); err != nil {
		t.Fatal(err)
	}
	mutate := func(f func(m map[string]any)) []byte {
		var m map[string]any
		_ = json.Unmarshal(good, &m)
		f(m)
		data, _ := json.Marshal(m)
		return data
	}
	sig0 := func(m map[string]any) map[string]any { return m["signatures"].([]any)[0].(map[string]any) }
	flipped := bytes.Clone(payload)
	flipped[len(flipped)/2] ^= 1
	cases := map[string][]byte{
		"good":              good,
		"payload changed":   mutate(func(m map[string]any) { m["payload"] = base64.StdEncoding.EncodeToString(flipped) }),
		"sig changed":       mutate(func(m map[string]any) { sig0(m)["sig"] = base64.StdEncoding.EncodeToString(make([]byte, 64)) }),
		"sig short":         mutate(func(m map[string]any) { sig0(m)["sig"] = "AAAA" }),
		"sig not base64":    mutate(func(m map[string]any) { sig0(m)["sig"] = "!!" }),
		"sig missing":       mutate(func(m map[string]any) { delete(sig0(m), "sig") }),
		"keyid other":       mutate(func(m map[string]any) { sig0(m)["keyid"] = strings.Repeat("0", 64) }),
		"keyid missing":     mutate(func(m map[string]any) { delete(sig0(m), "keyid") }),
		"keyid number":      mutate(func(m map[string]any) { sig0(m)["keyid"] = 5 }),
		"no signatures":     mutate(func(m map[string]any) { m["signatures"] = []any{} }),
		"signatures null":   mutate(func(m map[string]any) { m["signatures"] = nil }),
		"signatures object": mutate(func(m map[string]any) { m["signatures"] = map[string]any{} }),
		"signature string":  mutate(func(m map[string]any) { m["signatures"] = []any{"x"} }),
		"payloadType other": mutate(func(m map[string]any) { m["payloadType"] = "application/json" }),
		"payloadType gone":  mutate(func(m map[string]any) { delete(m, "payloadType") }),
		"payloadType num":   mutate(func(m map[string]any) { m["payloadType"] = 1 }),
		"payload gone":      mutate(func(m map[string]any) { delete(m, "payload") }),
		"payload number":    mutate(func(m map[string]any) { m["payload"] = 1 }),
		"payload newline":   mutate(func(m map[string]any) { p := m["payload"].(string); m["payload"] = p[:10] + "\n" + p[10:] }),
		"payload urlsafe":   mutate(func(m map[string]any) { m["payload"] = base64.URLEncoding.EncodeToString(payload) + "_-" }),
		"second good sig":   mutate(func(m map[string]any) { m["signatures"] = append(m["signatures"].([]any), sig0(m)) }),
		"second bad sig": mutate(func(m map[string]any) {
			m["signatures"] = append(m["signatures"].([]any), map[string]any{"keyid": KeyID(testPub()), "sig": base64.StdEncoding.EncodeToString(make([]byte, 64))})
		}),
		"extra member":     mutate(func(m map[string]any) { m["comment"] = "unsigned, ignored" }),
		"duplicate member": append(bytes.TrimSuffix(bytes.TrimSpace(good), []byte("}")), []byte(`, "payload": "e30="}`)...),
		"duplicate in sig": bytes.Replace(good, []byte(`"keyid"`), []byte(`"sig": "x", "keyid"`), 1),
		"trailing data":    append(bytes.Clone(good), []byte("{}")...),
	}
	ring := fleetRing(t)
	for name, data := range cases {
		_, _, wantErr := Verify(data, testPub())
		var gotErr error
		var d scanDoc
		if err := scanDocument(data, &d); err != nil {
			gotErr = fmt.Errorf("%w: %v", ErrMalformedEnvelope, err)
		} else if !d.envelope {
			t.Fatalf("%s: not seen as an envelope", name)
		} else if env, err := envelopeFromScan(&d, nil); err != nil {
			gotErr = err
		} else {
			_, _, gotErr = verifyEnvelope(env, ring, nil)
		}
		for _, sentinel := range []error{nil, ErrMalformedEnvelope, ErrPayloadType, ErrUnsigned, ErrMissingKeyID, ErrWrongKey, ErrBadSignature} {
			if sentinel == nil {
				if (wantErr == nil) != (gotErr == nil) {
					t.Errorf("%s: Verify: %v; summary: %v", name, wantErr, gotErr)
				}
				continue
			}
			if errors.Is(wantErr, sentinel) != errors.Is(gotErr, sentinel) {
				t.Errorf("%s: Verify: %v; summary: %v", name, wantErr, gotErr)
			}
		}
	}
}

func TestAppendPAE(t *testing.T) {
	for _, tc := range [][2]string{{"", ""}, {MediaType, "{}\n"}, {"t", "é"}} {
		want := PAE(tc[0], []byte(tc[1]))
		if got := appendPAE([]byte("scratch"), tc[0], []byte(tc[1])); !bytes.Equal(got[len("scratch"):], want) {
			t.Errorf("appendPAE(%q, %q) = %q, want %q", tc[0], tc[1], got, want)
		}
	}
}

// realisticReport is noncompliant.json with statuses varied by seed.
func fleetRealistic(t testing.TB, base *Report, i int) *Report {
	rng := rand.New(rand.NewSource(int64(i)))
	r := *base
	r.Host.Hostname = fmt.Sprintf("host-%05d", i)
	r.Host.MachineID = fmt.Sprintf("%032x", i)
	r.EndTime = t0.Add(time.Duration(i) * time.Minute)
	r.StartTime = r.EndTime.Add(-time.Second)
	r.Rules = append([]RuleResult{}, base.Rules...)
	statuses := []result.Status{result.StatusPass, result.StatusPass, result.StatusPass, result.StatusFail, result.StatusNotApplicable}
	for j := range r.Rules {
		rr := &r.Rules[j]
		switch st := statuses[rng.Intn(len(statuses))]; {
		case rng.Intn(100) == 0:
			rr.Status, rr.Error, rr.Reasons = result.StatusError, "collector failed", []result.Reason{}
		case st == result.StatusFail && rr.Status == result.StatusFail:
			// keep the fixture's reasons
		default:
			rr.Status = st
			if st != result.StatusFail {
				rr.Reasons = []result.Reason{}
			}
		}
	}
	r.Summary = summarize(r.Rules)
	r.ComplianceStatus = complianceOf(r.Summary)
	return &r
}

func fleetReadReport(t testing.TB, path string) *Report {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r Report
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

// Summarize on files (the fast reader, several workers) and
// SummarizeReports on the same reports decoded by encoding/json agree.
func TestSummarizeMatchesSummarizeReports(t *testing.T) {
	base := fleetReadReport(t, "../runner/testdata/golden/noncompliant.json")
	dir := t.TempDir()
	var reports []*Report
	for i := range 40 {
		r := fleetRealistic(t, base, i)
		if i%10 == 3 {
			// an older report of an earlier host
			r.Host = reports[i-1].Host
			r.EndTime = reports[i-1].EndTime.Add(-time.Hour)
		}
		reports = append(reports, r)
		data := fleetJSON(t, r)
		if err := Validate(data); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("r%03d.json", i)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got := fleetSummarize(t, []string{dir}, SummaryOptions{Workers: 3, Top: -1})
	want := SummarizeReports(reports, SummaryOptions{Top: -1})
	// Paths differ (files vs reports[i]), and SummarizeReports has no
	// signature state.
	pathOf := map[string]string{}
	for i := range reports {
		pathOf[fmt.Sprintf("reports[%d]", i)] = filepath.Join(dir, fmt.Sprintf("r%03d.json", i))
	}
	fix := func(hs []FleetHost) {
		for i := range hs {
			hs[i].Path = pathOf[hs[i].Path]
			hs[i].Signature = SignatureUnsigned
		}
	}
	fix(want.Hosts)
	fix(want.WorstHosts)
	for i := range want.Duplicates {
		want.Duplicates[i].Kept = pathOf[want.Duplicates[i].Kept]
		for j, p := range want.Duplicates[i].Superseded {
			want.Duplicates[i].Superseded[j] = pathOf[p]
		}
	}
	want.Totals.Unsigned = want.Totals.Hosts
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Summarize vs SummarizeReports (-want +got):\n%s", diff)
	}
	if got.Totals.Hosts != 36 || got.Totals.Superseded != 4 || len(got.Rules) != len(base.Rules) {
		t.Errorf("totals %+v, %d rules", got.Totals, len(got.Rules))
	}
	// Spot-check one rule against a direct count.
	r0 := reports[0].Rules[0]
	var want0 Summary
	for i, r := range reports {
		if i%10 == 3 {
			continue
		}
		want0.Total++
		switch r.Rules[0].Status {
		case result.StatusPass:
			want0.Pass++
		case result.StatusFail:
			want0.Fail++
		case result.StatusNotApplicable:
			want0.NotApplicable++
		case result.StatusError:
			want0.Error++
		}
	}
	for _, fr := range got.Rules {
		if fr.ID == r0.ID && fr.Baseline == r0.Baseline {
			if diff := cmp.Diff(want0, fr.Summary); diff != "" {
				t.Errorf("%s (-want +got):\n%s", r0.ID, diff)
			}
		}
	}

	// One worker or many, the result is the same.
	if diff := cmp.Diff(got, fleetSummarize(t, []string{dir}, SummaryOptions{Workers: 1, Top: -1})); diff != "" {
		t.Errorf("1 worker vs 3 (-3 +1):\n%s", diff)
	}
}

// Files that are not usable reports are listed, never fatal.
func TestSummarizeBadFiles(t *testing.T) {
	dir := t.TempDir()
	good := fleetJSON(t, sampleReport())
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("good.json", good)
	bad := map[string]string{
		"empty.json":        "",
		"truncated.json":    string(good[:len(good)/2]),
		"array.json":        "[1, 2]",
		"trailing.json":     string(good) + "x",
		"no-version.json":   `{"host": {"hostname": "x"}, "rules": []}`,
		"version-num.json":  `{"schemaVersion": 1, "endTime": "2026-01-01T00:00:00Z", "rules": []}`,
		"rules-object.json": `{"schemaVersion": "1.1.0", "endTime": "2026-01-01T00:00:00Z", "rules": {}}`,
		"rule-string.json":  `{"schemaVersion": "1.1.0", "endTime": "2026-01-01T00:00:00Z", "rules": ["x"]}`,
		"status-num.json":   `{"schemaVersion": "1.1.0", "endTime": "2026-01-01T00:00:00Z", "rules": [{"id": "a", "status": 1}]}`,
		"host-array.json":   `{"schemaVersion": "1.1.0", "endTime": "2026-01-01T00:00:00Z", "host": [], "rules": []}`,
		"no-endtime.json":   `{"schemaVersion": "1.1.0", "rules": []}`,
		"bad-endtime.json":  `{"schemaVersion": "1.1.0", "endTime": "yesterday", "rules": []}`,
		"bad-escape.json":   `{"schemaVersion": "1.1.0", "endTime": "2026-01-01T00:00:00Z", "rules": [{"id": "\x"}]}`,
		"envelope-bad.json": `{"payloadType": "application/vnd.gcrun.report+json", "payload": "!!", "signatures": []}`,
		"payload-env.json": `{"payloadType": "application/vnd.gcrun.report+json", "payload": "` +
			base64.StdEncoding.EncodeToString([]byte(`{"payload": "x"}`)) + `", "signatures": [{"keyid": "k", "sig": "s"}]}`,
	}
	for name, data := range bad {
		write(name, []byte(data))
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.json"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "dir.json"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("good.json", filepath.Join(dir, "link.json")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("nowhere.json", filepath.Join(dir, "dangling.json")); err != nil {
		t.Fatal(err)
	}

	done := make(chan *FleetSummary)
	go func() { done <- fleetSummarize(t, []string{dir, filepath.Join(dir, "good.json")}, SummaryOptions{}) }()
	var s *FleetSummary
	select {
	case s = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Summarize hangs (on the FIFO?)")
	}
	kinds := map[string]string{}
	for _, p := range s.Problems {
		kinds[filepath.Base(p.Path)] = p.Kind
		if p.Error == "" {
			t.Errorf("%s: no error message", p.Path)
		}
	}
	want := map[string]string{"fifo.json": ProblemUnreadable, "dangling.json": ProblemUnreadable}
	for name := range bad {
		want[name] = ProblemInvalid
	}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	// good.json is listed once although given twice; link.json is the
	// same host and report: a duplicate.
	if s.Totals.Files != len(bad)+4 || s.Totals.Hosts != 1 || s.Totals.Superseded != 1 {
		t.Errorf("totals: %+v", s.Totals)
	}
}

// Hand-edited reports: unknown statuses count as error, a rule listed twice
// counts once with the worse status, a recorded NonCompliant wins.
func TestSummarizeOddReports(t *testing.T) {
	r := sampleReport()
	r.Rules[0].Status = "bogus"           // banner.motd: error
	r.Rules = append(r.Rules, r.Rules[5]) // net.firewall_enabled, pass, again...
	r.Rules[len(r.Rules)-1].Status = result.StatusFail
	r.Rules = append(r.Rules, RuleResult{ID: "x", Baseline: "b", Severity: "weird"}) // no status: error
	s := SummarizeReports([]*Report{r, nil}, SummaryOptions{})
	h := s.Hosts[0]
	if diff := cmp.Diff(Summary{Total: 10, Pass: 1, Fail: 3, NotApplicable: 1, Error: 3, Waived: 2}, h.Summary); diff != "" {
		t.Errorf("host summary (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]FleetProblem{{Path: "reports[1]", Kind: ProblemInvalid, Error: "nil report"}}, s.Problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}

	c := New(sampleMeta(), []result.Result{{Rule: ruleMOTD, Status: result.StatusPass}})
	c.ComplianceStatus = NonCompliant
	s = SummarizeReports([]*Report{c}, SummaryOptions{})
	if s.Hosts[0].ComplianceStatus != NonCompliant || s.Hosts[0].Score != 100 {
		t.Errorf("recorded NonCompliant: %+v", s.Hosts[0])
	}
	// No rule that can fail: score 100.
	n := New(sampleMeta(), []result.Result{{Rule: ruleSELinux, Status: result.StatusNotApplicable}})
	if got := SummarizeReports([]*Report{n}, SummaryOptions{}).Hosts[0]; got.Score != 100 || got.ComplianceStatus != Compliant {
		t.Errorf("only not_applicable: %+v", got)
	}
}

func TestSummarizeProgressAndCancel(t *testing.T) {
	var calls [][2]int
	s := fleetSummarize(t, []string{fleetDir}, SummaryOptions{Workers: 2, Progress: func(done, total int) {
		calls = append(calls, [2]int{done, total})
	}})
	if len(calls) != s.Totals.Files+1 {
		t.Fatalf("%d progress calls for %d files", len(calls), s.Totals.Files)
	}
	for i, c := range calls {
		if c != [2]int{i, s.Totals.Files} {
			t.Errorf("call %d: %v", i, c)
		}
	}

	if s := fleetSummarize(t, nil, SummaryOptions{}); s.Totals.Files != 0 || len(s.Hosts) != 0 {
		t.Errorf("no inputs: %+v", s.Totals)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Summarize(ctx, []string{fleetDir}, SummaryOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}

	// Cancelled from the progress callback, half way.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	_, err := Summarize(ctx, []string{fleetDir}, SummaryOptions{Workers: 1, Progress: func(done, total int) {
		if done == 3 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled half way: err = %v", err)
	}
}

func TestSummaryTop(t *testing.T) {
	var reports []*Report
	for i := range 15 {
		reports = append(reports, fleetReport(fmt.Sprintf("h%02d", i), fmt.Sprintf("%032x", i), t0,
			fleetResults(map[*result.Rule]result.Status{ruleSSH: result.StatusFail, ruleMOTD: result.StatusPass})))
	}
	if s := SummarizeReports(reports, SummaryOptions{}); len(s.WorstHosts) != DefaultSummaryTop {
		t.Errorf("default top: %d worst hosts", len(s.WorstHosts))
	}
	if s := SummarizeReports(reports, SummaryOptions{Top: 3}); len(s.WorstHosts) != 3 || len(s.WorstRules) != 1 {
		t.Errorf("top 3: %d worst hosts, %d worst rules", len(s.WorstHosts), len(s.WorstRules))
	}
	if s := SummarizeReports(reports, SummaryOptions{Top: -1}); len(s.WorstHosts) != 15 {
		t.Errorf("top -1: %d worst hosts", len(s.WorstHosts))
	}
	// An empty fleet renders.
	empty := SummarizeReports(nil, SummaryOptions{})
	for _, f := range []func() error{
		func() error { return WriteSummaryText(&bytes.Buffer{}, empty, TextOptions{}) },
		func() error { return WriteSummaryJSON(&bytes.Buffer{}, empty) },
		func() error { return WriteSummaryHTML(&bytes.Buffer{}, empty) },
	} {
		if err := f(); err != nil {
			t.Error(err)
		}
	}
	for _, f := range []func() error{
		func() error { return WriteSummaryText(&bytes.Buffer{}, nil, TextOptions{}) },
		func() error { return WriteSummaryJSON(&bytes.Buffer{}, nil) },
		func() error { return WriteSummaryHTML(&bytes.Buffer{}, nil) },
	} {
		if err := f(); err == nil {
			t.Error("nil summary: no error")
		}
	}
}

// Hostile strings are escaped in HTML and sanitised in text.
func TestSummaryHostileStrings(t *testing.T) {
	r := sampleReport()
	r.Host.Hostname = "<script>alert(1)</script>\x1b[2J\u202e"
	r.Rules[1].Title = `"><img src=x onerror=alert(1)>`
	r.Rules[1].ID = "id\x1b]0;pwned\x07"
	s := SummarizeReports([]*Report{r}, SummaryOptions{})
	var html, text bytes.Buffer
	if err := WriteSummaryHTML(&html, s); err != nil {
		t.Fatal(err)
	}
	if err := WriteSummaryText(&text, s, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	h := html.String()
	for _, bad := range []string{"<script", "<img", "\x1b", "\u202e"} {
		if strings.Contains(h, bad) {
			t.Errorf("HTML contains %q", bad)
		}
	}
	if !strings.Contains(h, "&lt;script&gt;alert(1)&lt;/script&gt;\\x1b[2J\\u202e") {
		t.Errorf("HTML lacks the escaped hostname:\n%s", h)
	}
	if !strings.Contains(h, `content="default-src 'none'; style-src 'unsafe-inline'"`) {
		t.Error("HTML lacks the Content-Security-Policy")
	}
	tx := text.String()
	for i := 0; i < len(tx); i++ {
		if c := tx[i]; (c < 0x20 && c != '\n') || c == 0x7f {
			t.Fatalf("control byte %#x in text:\n%s", c, tx)
		}
	}
	if !strings.Contains(tx, `id\x1b]0;pwned\x07`) {
		t.Errorf("text lacks the sanitised rule id:\n%s", tx)
	}
}

func TestLoadKeyRing(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pemOf := func(pub ed25519.PublicKey) []byte {
		data, err := MarshalPublicKeyPEM(pub)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	keys := filepath.Join(dir, "keys")
	if err := os.Mkdir(keys, 0o755); err != nil {
		t.Fatal(err)
	}
	write("keys/web-02.pem", pemOf(testPub()))
	write("keys/web-05.pem", pemOf(fleetOtherKey.Public().(ed25519.PublicKey)))
	write("keys/notes.txt", []byte("ignored"))
	ring, err := LoadKeyRing(keys)
	if err != nil {
		t.Fatal(err)
	}
	want := KeyRing{KeyID(testPub()): testPub(), KeyID(fleetOtherKey.Public().(ed25519.PublicKey)): fleetOtherKey.Public().(ed25519.PublicKey)}
	if diff := cmp.Diff(want, ring); diff != "" {
		t.Errorf("ring (-want +got):\n%s", diff)
	}
	single := write("one.pem", pemOf(testPub()))
	if ring, err := LoadKeyRing(single); err != nil || len(ring) != 1 {
		t.Errorf("one file: %v, %v", ring, err)
	}

	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	privPEM, err := MarshalPrivateKeyPEM(testKey)
	if err != nil {
		t.Fatal(err)
	}
	for name, path := range map[string]string{
		"empty dir":   empty,
		"missing":     filepath.Join(dir, "nope.pem"),
		"private key": write("priv.pem", privPEM),
		"garbage":     write("garbage.pem", []byte("hello")),
	} {
		if _, err := LoadKeyRing(path); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := NewKeyRing(ed25519.PublicKey{1, 2, 3}); err == nil {
		t.Error("NewKeyRing accepted a 3-byte key")
	}
}
