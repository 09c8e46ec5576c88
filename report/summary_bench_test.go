package report

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// benchFleetSize is the fleet the summary must handle in under 10 s on two
// cores.
const benchFleetSize = 10000

// fleetTemplate is a report in which the host, the end time and every
// rule's status are placeholders, split at them: writing a report is then
// concatenation, so that generating 10,000 realistic reports takes seconds
// rather than the minutes 10,000 JSON encodings would.
type fleetTemplate struct {
	parts [][]byte // len(slots)+1
	slots []string // "host", "machine", "end" or "status"
}

func newFleetTemplate(tb testing.TB, base *Report) *fleetTemplate {
	r := *base
	r.Host.Hostname, r.Host.MachineID = "@@host@@", "@@machine@@"
	r.Rules = append([]RuleResult{}, base.Rules...)
	for i := range r.Rules {
		r.Rules[i].Status = "@@status@@"
	}
	data, err := r.JSON()
	if err != nil {
		tb.Fatal(err)
	}
	end := []byte(`"endTime": "` + r.EndTime.UTC().Format(time.RFC3339Nano) + `"`)
	data = bytes.Replace(data, end, []byte(`"endTime": "@@end@@"`), 1)
	t := &fleetTemplate{}
	for {
		i := bytes.Index(data, []byte("@@"))
		if i < 0 {
			t.parts = append(t.parts, data)
			return t
		}
		j := bytes.Index(data[i+2:], []byte("@@"))
		t.parts = append(t.parts, data[:i])
		t.slots = append(t.slots, string(data[i+2:i+2+j]))
		data = data[i+2+j+2:]
	}
}

// report writes host i's report: a status drawn per rule (mostly pass,
// some fail and not_applicable, 1 % error), a unique host, an end time.
// Reasons and evidence stay those of the template, so the size and shape
// are the real report's; the summary field is not updated (Summarize
// recounts the rules and never reads it).
func (t *fleetTemplate) report(buf *bytes.Buffer, i int) {
	rng := rand.New(rand.NewSource(int64(i)))
	statuses := []string{"pass", "pass", "pass", "fail", "not_applicable"}
	buf.Reset()
	for k, slot := range t.slots {
		buf.Write(t.parts[k])
		switch slot {
		case "host":
			fmt.Fprintf(buf, "host-%05d", i)
		case "machine":
			fmt.Fprintf(buf, "%032x", i)
		case "end":
			buf.WriteString(t0.Add(time.Duration(i) * time.Second).Format(time.RFC3339Nano))
		case "status":
			if rng.Intn(100) == 0 {
				buf.WriteString("error")
			} else {
				buf.WriteString(statuses[rng.Intn(len(statuses))])
			}
		}
	}
	buf.Write(t.parts[len(t.parts)-1])
}

// writeFleet writes n reports into dir, signed with key when key is not
// nil, on all cores.
func (t *fleetTemplate) writeFleet(tb testing.TB, dir string, n int, key ed25519.PrivateKey) {
	var wg sync.WaitGroup
	errs := make(chan error, runtime.GOMAXPROCS(0))
	workers := runtime.GOMAXPROCS(0)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf, env bytes.Buffer
			for i := w; i < n; i += workers {
				t.report(&buf, i)
				data := buf.Bytes()
				if key != nil {
					env.Reset()
					writeTestEnvelope(&env, data, key)
					data = env.Bytes()
				}
				if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("host-%05d.json", i)), data, 0o644); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		tb.Fatal(err)
	}
}

// writeTestEnvelope writes what Sign writes, without Sign's validation of
// the payload (10 ms a report): the benchmark's reports are valid by
// construction, apart from their summary field.
func writeTestEnvelope(buf *bytes.Buffer, payload []byte, key ed25519.PrivateKey) {
	sig := ed25519.Sign(key, PAE(MediaType, payload))
	fmt.Fprintf(buf, "{\n  \"payloadType\": %q,\n  \"payload\": \"%s\",\n  \"signatures\": [\n    {\n      \"keyid\": %q,\n      \"sig\": %q\n    }\n  ]\n}\n",
		MediaType, base64.StdEncoding.EncodeToString(payload), KeyID(key.Public().(ed25519.PublicKey)), base64.StdEncoding.EncodeToString(sig))
}

// The template writes reports Summarize reads as it reads the original,
// and signed ones that verify.
func TestFleetTemplate(t *testing.T) {
	base := fleetReadReport(t, "../runner/testdata/golden/noncompliant.json")
	tmpl := newFleetTemplate(t, base)
	if len(tmpl.slots) != len(base.Rules)+3 {
		t.Fatalf("%d slots for %d rules", len(tmpl.slots), len(base.Rules))
	}
	dir := t.TempDir()
	tmpl.writeFleet(t, dir, 20, nil)
	signed := t.TempDir()
	tmpl.writeFleet(t, signed, 20, testKey)
	s := fleetSummarize(t, []string{dir}, SummaryOptions{})
	v := fleetSummarize(t, []string{signed}, SummaryOptions{Keys: fleetRing(t)})
	if s.Totals.Hosts != 20 || s.Totals.Problems != 0 || v.Totals.Verified != 20 || v.Totals.Problems != 0 {
		t.Fatalf("plain %+v; signed %+v", s.Totals, v.Totals)
	}
	if len(s.Rules) != len(base.Rules) || s.Hosts[7].Hostname != "host-00007" || !s.Hosts[7].EndTime.Equal(t0.Add(7*time.Second)) {
		t.Errorf("%d rules; host 7: %+v", len(s.Rules), s.Hosts[7])
	}
	// The statuses are the drawn ones: recount host 7's from its file.
	r := fleetReadReport(t, filepath.Join(dir, "host-00007.json"))
	want := summarize(r.Rules)
	if s.Hosts[7].Summary != want {
		t.Errorf("host 7: %+v, want %+v", s.Hosts[7].Summary, want)
	}
	if want.Error == 0 && want.Fail == 0 {
		t.Errorf("host 7 has no failures: %+v", want)
	}
	// Signed and plain fleets sum up the same.
	for i := range v.Hosts {
		v.Hosts[i].Path, v.Hosts[i].Signature, v.Hosts[i].KeyID = s.Hosts[i].Path, s.Hosts[i].Signature, ""
	}
	if diff := cmp.Diff(s.Hosts, v.Hosts); diff != "" {
		t.Errorf("signed fleet's hosts (-plain +signed):\n%s", diff)
	}
	if diff := cmp.Diff(s.Rules, v.Rules); diff != "" {
		t.Errorf("signed fleet's rules (-plain +signed):\n%s", diff)
	}
}

// BenchmarkSummarize10k sums up 10,000 realistic reports (the shape and
// size of runner/testdata/golden/noncompliant.json, about 350 kB and 218
// rules each, statuses varied per host), written once into a temporary
// directory outside the timer: plain reports, and signed ones verified
// against a key.
//
//	go test ./report -run XXX -bench Summarize10k -benchtime 3x
func BenchmarkSummarize10k(b *testing.B) {
	base := fleetReadReport(b, "../runner/testdata/golden/noncompliant.json")
	tmpl := newFleetTemplate(b, base)
	root := b.TempDir()
	run := func(b *testing.B, dir string, opts SummaryOptions, signed bool) {
		for b.Loop() {
			s, err := Summarize(context.Background(), []string{dir}, opts)
			if err != nil {
				b.Fatal(err)
			}
			if s.Totals.Hosts != benchFleetSize || s.Totals.Problems != 0 || (signed && s.Totals.Verified != benchFleetSize) {
				b.Fatalf("totals: %+v", s.Totals)
			}
		}
	}
	var plain, signed string
	b.Run("plain", func(b *testing.B) {
		if plain == "" {
			plain = filepath.Join(root, "plain")
			if err := os.Mkdir(plain, 0o755); err != nil {
				b.Fatal(err)
			}
			tmpl.writeFleet(b, plain, benchFleetSize, nil)
			b.ResetTimer()
		}
		run(b, plain, SummaryOptions{}, false)
	})
	b.Run("signed", func(b *testing.B) {
		if signed == "" {
			signed = filepath.Join(root, "signed")
			if err := os.Mkdir(signed, 0o755); err != nil {
				b.Fatal(err)
			}
			tmpl.writeFleet(b, signed, benchFleetSize, testKey)
			b.ResetTimer()
		}
		run(b, signed, SummaryOptions{Keys: fleetRing(b)}, true)
	})
}

// BenchmarkSummaryScan is the fast reader alone on the 218-rule report,
// plain and in a DSSE envelope (a 470 kB base64 string).
func BenchmarkSummaryScan(b *testing.B) {
	data, err := os.ReadFile("../runner/testdata/golden/noncompliant.json")
	if err != nil {
		b.Fatal(err)
	}
	var env bytes.Buffer
	writeTestEnvelope(&env, data, testKey)
	for _, bc := range []struct {
		name string
		data []byte
	}{{"report", data}, {"envelope", env.Bytes()}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.data)))
			var d scanDoc
			for b.Loop() {
				if err := scanDocument(bc.data, &d); err != nil {
					b.Fatal(err)
				}
			}
			if !strings.HasPrefix(string(d.schemaVersion), "1.") && !d.envelope {
				b.Fatal("neither a report nor an envelope")
			}
		})
	}
}
