package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gcrun/gcrun/engine/result"
	"github.com/google/go-cmp/cmp"
)

// edit applies f to the generic JSON form of data and re-encodes it.
func edit(t testing.TB, data []byte, f func(doc any)) []byte {
	t.Helper()
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	f(doc)
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// walkTo returns the container holding the value at ptr and the last token.
func walkTo(doc any, ptr string) (any, string) {
	toks := strings.Split(ptr, "/")[1:]
	cur := doc
	for _, tok := range toks[:len(toks)-1] {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[tok]
		case []any:
			i, _ := strconv.Atoi(tok)
			cur = c[i]
		}
	}
	return cur, toks[len(toks)-1]
}

func set(ptr string, v any) func(any) {
	return func(doc any) {
		parent, last := walkTo(doc, ptr)
		switch c := parent.(type) {
		case map[string]any:
			c[last] = v
		case []any:
			i, _ := strconv.Atoi(last)
			c[i] = v
		}
	}
}

func del(ptr string) func(any) {
	return func(doc any) {
		parent, last := walkTo(doc, ptr)
		delete(parent.(map[string]any), last)
	}
}

func TestSchemaAcceptsFullReport(t *testing.T) {
	data, err := os.ReadFile("testdata/report.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := Validate(data); err != nil {
		t.Fatalf("testdata/report.json: %v", err)
	}
	// A scanned image is described.
	img := edit(t, data, set("/image", map[string]any{"format": "oci-archive", "reference": "debian:12", "digest": "sha256:00", "layers": 2.0}))
	if err := Validate(img); err != nil {
		t.Errorf("report with image: %v", err)
	}
	// Free-form parts of reasons really are free-form.
	for _, v := range []any{nil, 1.5, "s", true, []any{1.0, "x"}, map[string]any{"a": map[string]any{"b": []any{}}}} {
		doc := edit(t, data, func(doc any) {
			set("/rules/1/reasons/0/expected", v)(doc)
			set("/rules/1/reasons/0/actual", v)(doc)
		})
		if err := Validate(doc); err != nil {
			t.Errorf("expected/actual = %v: %v", v, err)
		}
	}
}

func TestSchemaRejects(t *testing.T) {
	base := sampleJSON(t)
	type want struct{ ptr, msg string }
	tests := []struct {
		name string
		edit func(any)
		want []want
	}{
		{"missing top-level field", del("/rules"), []want{{"/rules", "missing required property"}}},
		{"missing rule title", del("/rules/0/title"), []want{{"/rules/0/title", "missing required property"}}},
		{"missing nested host field", del("/host/os/family"), []want{{"/host/os/family", "missing required property"}}},
		{"missing reasons", del("/rules/0/reasons"), []want{{"/rules/0/reasons", "missing required property"}}},
		{"null reasons", set("/rules/0/reasons", nil), []want{{"/rules/0/reasons", "got null, want array"}}},
		{"bad status", set("/rules/1/status", "failed"), []want{{"/rules/1/status", "value must be one of"}}},
		{"bad severity", set("/rules/0/severity", "urgent"), []want{{"/rules/0/severity", "value must be one of"}}},
		{"extra top-level property", set("/extra", 1), []want{{"/extra", "property not allowed"}}},
		{"extra nested property", set("/host/os/kernel", "6.8"), []want{{"/host/os/kernel", "property not allowed"}}},
		{"extra reason property", set("/rules/1/reasons/0/why", "x"), []want{{"/rules/1/reasons/0/why", "property not allowed"}}},
		{"camel-case mismatch", func(doc any) {
			del("/schemaVersion")(doc)
			set("/SchemaVersion", "1.0.0")(doc)
		}, []want{{"/SchemaVersion", "property not allowed"}, {"/schemaVersion", "missing required property"}}},
		{"other schema version", set("/schemaVersion", "2.0.0"), []want{{"/schemaVersion", "value must be one of '1.0.0', '1.1.0'"}}},
		{"bad compliance status", set("/complianceStatus", "compliant"), []want{{"/complianceStatus", "value must be one of"}}},
		{"bad digest", set("/baselines/0/digest", "sha256:ABC"), []want{{"/baselines/0/digest", "does not match pattern"}}},
		{"bad time", set("/startTime", "yesterday"), []want{{"/startTime", "not valid date-time"}}},
		{"negative duration", set("/rules/0/durationMs", -1), []want{{"/rules/0/durationMs", "minimum"}}},
		{"huge duration", set("/rules/0/durationMs", 1e30), []want{{"/rules/0/durationMs", "maximum"}}},
		{"fractional duration", set("/collectors/0/durationMs", 1.5), []want{{"/collectors/0/durationMs", "want integer"}}},
		{"error rule without error", del("/rules/3/error"), []want{{"/rules/3/error", "missing required property"}}},
		{"error collector without error", del("/collectors/1/error"), []want{{"/collectors/1/error", "missing required property"}}},
		{"empty reason phrase", set("/rules/1/reasons/0/phrase", ""), []want{{"/rules/1/reasons/0/phrase", "minLength"}}},
		{"evidence not an object", set("/rules/1/evidence", []any{}), []want{{"/rules/1/evidence", "want object"}}},
		{"empty root", set("/root", ""), []want{{"/root", "minLength"}}},
		{"image without layers", set("/image", map[string]any{"format": "docker-archive"}), []want{{"/image/layers", "missing required property"}}},
		{"image of unknown format", set("/image", map[string]any{"format": "zip", "layers": 1}), []want{{"/image/format", "value must be one of"}}},
		// Beyond JSON Schema: the summary must agree with the rules.
		{"summary disagrees", set("/summary/pass", 5), []want{{"/summary/pass", "is 5, but 3 rules have status pass"}}},
		{"summary hides error", func(doc any) {
			set("/summary/error", 0)(doc)
			set("/summary/pass", 4)(doc)
		}, []want{{"/summary/pass", "is 4, but 3 rules have status pass"}, {"/summary/error", "is 0, but 1 rule has status error"}}},
		{"compliance contradicts rules", set("/complianceStatus", "Compliant"), []want{{"/complianceStatus", "is Compliant, but with 2 failing and 1 erroring rules the report is NonCompliant"}}},
		{"rule removed but summary kept", func(doc any) {
			m := doc.(map[string]any)
			m["rules"] = m["rules"].([]any)[:1]
		}, []want{
			{"/summary/total", "is 9, but 1 rules are listed"},
			{"/summary/pass", "is 3, but 1 rule has status pass"},
			{"/summary/fail", "is 2, but 0 rules have status fail"},
			{"/summary/not_applicable", "is 1, but 0"},
			{"/summary/error", "is 1, but 0"},
			{"/summary/waived", "is 2, but 0"},
			{"/complianceStatus", "is NonCompliant, but with 0 failing and 0 erroring rules the report is Compliant"},
			{"/waivers/0/state", "is active, but rule sudo.use_pty is not listed"},
			{"/waivers/2/state", "is active, but rule audit.immutable is not listed"},
		}},
		// Waivers (schema 1.1.0). Rules 7 (run) and 8 (not run) are
		// waived; waivers 0 and 2 are theirs, 1 is expired, 3 unused.
		{"bad status waive", set("/rules/7/status", "waive"), []want{{"/rules/7/status", "value must be one of"}, {"/rules/7/waiver", "property not allowed here"}}},
		{"waived rule without waiver", del("/rules/7/waiver"), []want{{"/rules/7/waiver", "missing required property"}}},
		{"waiver on a rule not waived", set("/rules/0/waiver", map[string]any{"justification": "j", "expires": "2027-01-01T00:00:00Z", "run": false}), []want{{"/rules/0/waiver", "property not allowed here"}}},
		{"run without raw status", del("/rules/7/waiver/rawStatus"), []want{{"/rules/7/waiver/rawStatus", "missing required property"}}},
		{"raw status without run", set("/rules/8/waiver/rawStatus", "pass"), []want{{"/rules/8/waiver/rawStatus", "property not allowed here"}}},
		{"raw status waived", set("/rules/7/waiver/rawStatus", "waived"), []want{{"/rules/7/waiver/rawStatus", "value must be one of"}}},
		{"raw error without error", set("/rules/7/waiver/rawStatus", "error"), []want{{"/rules/7/error", "missing required property"}}},
		{"empty justification", set("/rules/7/waiver/justification", ""), []want{{"/rules/7/waiver/justification", "minLength"}}},
		{"waiver without expiry", del("/rules/8/waiver/expires"), []want{{"/rules/8/waiver/expires", "missing required property"}}},
		{"extra rule waiver property", set("/rules/7/waiver/ticket", "SEC-1"), []want{{"/rules/7/waiver/ticket", "property not allowed"}}},
		{"bad waiver expiry", set("/waivers/0/expires", "2027-03-31"), []want{{"/waivers/0/expires", "not valid date-time"}}},
		{"bad waiver state", set("/waivers/0/state", "waived"), []want{{"/waivers/0/state", "value must be one of"}}},
		{"waiver without run", del("/waivers/3/run"), []want{{"/waivers/3/run", "missing required property"}}},
		{"extra waiver property", set("/waivers/1/why", "x"), []want{{"/waivers/1/why", "property not allowed"}}},
		{"summary hides waived", set("/summary/waived", 0), []want{{"/summary/waived", "is 0, but 2 rules have status waived"}}},
		{"waived rule counted as pass", func(doc any) {
			set("/summary/waived", 1)(doc)
			set("/summary/pass", 4)(doc)
		}, []want{{"/summary/pass", "is 4, but 3 rules have status pass"}, {"/summary/waived", "is 1, but 2 rules have status waived"}}},
		{"active waiver, rule not waived", set("/waivers/0/id", "ssh.permit_root_login"), []want{
			{"/waivers/0/state", "is active, but rule ssh.permit_root_login has status fail"},
			{"/rules/7/status", "is waived, but no waiver for sudo.use_pty is listed"},
		}},
		{"active waiver, rule not listed", set("/waivers/3/state", "active"), []want{{"/waivers/3/state", "is active, but rule usb.storage_disabled is not listed"}}},
		{"expired waiver, rule waived", set("/waivers/0/state", "expired"), []want{{"/waivers/0/state", "is expired, but rule sudo.use_pty has status waived"}}},
		{"unused waiver, rule listed", set("/waivers/3/id", "kernel.core_dumps"), []want{{"/waivers/3/state", "is unused, but rule kernel.core_dumps is listed with status pass"}}},
		{"two waivers for one rule", set("/waivers/3/id", "sudo.use_pty"), []want{{"/waivers/3/id", "waiver for sudo.use_pty is also /waivers/0"}}},
		{"waived rule missing from waivers", func(doc any) {
			m := doc.(map[string]any)
			m["waivers"] = m["waivers"].([]any)[1:]
		}, []want{{"/rules/7/status", "is waived, but no waiver for sudo.use_pty is listed"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := edit(t, base, tt.edit)
			err := Validate(data)
			if !errors.Is(err, ErrInvalidReport) {
				t.Fatalf("Validate = %v, want ErrInvalidReport", err)
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("error %T is not a *ValidationError", err)
			}
			var gotPtrs, wantPtrs []string
			for _, p := range ve.Problems {
				gotPtrs = append(gotPtrs, p.Pointer)
			}
			for _, w := range tt.want {
				wantPtrs = append(wantPtrs, w.ptr)
			}
			if diff := cmp.Diff(wantPtrs, gotPtrs); diff != "" {
				t.Fatalf("problem pointers (-want +got):\n%s\nerror: %v", diff, err)
			}
			for i, w := range tt.want {
				if !strings.Contains(ve.Problems[i].Message, w.msg) {
					t.Errorf("problem %q: message %q does not contain %q", w.ptr, ve.Problems[i].Message, w.msg)
				}
				ptr := w.ptr
				if ptr == "" {
					ptr = "(document)"
				}
				if !strings.Contains(err.Error(), "at "+ptr+": ") {
					t.Errorf("error %q does not name %q", err, ptr)
				}
			}
		})
	}
}

func TestValidateNotAnObject(t *testing.T) {
	err := Validate([]byte(`["a report"]`))
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Validate = %v, want a *ValidationError", err)
	}
	want := []Problem{{Pointer: "", Message: "got array, want object"}}
	if diff := cmp.Diff(want, ve.Problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if !strings.Contains(err.Error(), "at (document): got array, want object") {
		t.Errorf("error = %q", err)
	}
}

func TestValidateNotJSON(t *testing.T) {
	for _, in := range []string{"", "  \n", "{", "not json", `{"schemaVersion":"1.0.0"} trailing`, "{}{}"} {
		err := Validate([]byte(in))
		if !errors.Is(err, ErrInvalidReport) {
			t.Errorf("Validate(%q) = %v, want ErrInvalidReport", in, err)
		}
	}
}

func TestValidationErrorListsAtMostTen(t *testing.T) {
	var problems []Problem
	for i := range 15 {
		problems = append(problems, Problem{Pointer: fmt.Sprintf("/rules/%d", i), Message: "bad"})
	}
	msg := (&ValidationError{Problems: problems}).Error()
	if !strings.HasPrefix(msg, "invalid report: at /rules/0: bad; at /rules/1: bad;") || !strings.HasSuffix(msg, "at /rules/9: bad; and 5 more") {
		t.Errorf("Error() = %q", msg)
	}
}

// memberPointers lists the JSON pointers of all object members in doc.
func memberPointers(doc any, prefix string, out *[]string) {
	switch v := doc.(type) {
	case map[string]any:
		for k, child := range v {
			p := prefix + "/" + escapeToken(k)
			*out = append(*out, p)
			memberPointers(child, p, out)
		}
	case []any:
		for i, child := range v {
			memberPointers(child, prefix+"/"+strconv.Itoa(i), out)
		}
	}
}

// TestSchemaRequiresEverythingGoAlwaysWrites keeps schema.json and the Go
// types in step: in a report with no optional field set, every member is
// one Go always writes, so deleting any of them must be rejected, and
// exactly at that member. (TestSchemaAcceptsFullReport checks the converse:
// the schema allows every field Go can write.) A waived rule's waiver and
// the waivers section are optional in general, but required where they are
// present here; only the section itself may go.
func TestSchemaRequiresEverythingGoAlwaysWrites(t *testing.T) {
	rule := &result.Rule{ID: "min.rule", Severity: result.SeverityLow}
	waived := &result.Rule{ID: "min.waived", Severity: result.SeverityLow}
	expires := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	r := New(Meta{
		Root:       "/",
		Tool:       Tool{Name: "gcrun"},
		Baselines:  []Baseline{{Name: "b", Digest: "sha256:" + hex64('0')}},
		Collectors: []Collector{{Name: "c", Status: CollectorOK}},
		Waivers:    []Waiver{{ID: "min.waived", Justification: "j", Expires: expires, State: WaiverActive}},
	}, []result.Result{
		{Rule: rule, Status: result.StatusFail, Reasons: []result.Reason{{Code: "c", Phrase: "p"}}},
		{Rule: waived, Status: result.StatusWaived, Waiver: &result.Waiver{Justification: "j", Expires: expires, Run: true, RawStatus: result.StatusPass}},
	})
	data, err := r.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if err := Validate(data); err != nil {
		t.Fatalf("minimal report: %v", err)
	}
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var ptrs []string
	memberPointers(doc, "", &ptrs)
	sort.Strings(ptrs)
	if len(ptrs) < 30 {
		t.Fatalf("only %d members found: %v", len(ptrs), ptrs)
	}
	for _, ptr := range ptrs {
		if ptr == "/waivers" {
			continue
		}
		err := Validate(edit(t, data, del(ptr)))
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("deleting %s: Validate = %v, want a *ValidationError", ptr, err)
			continue
		}
		found := false
		for _, p := range ve.Problems {
			found = found || p.Pointer == ptr
		}
		if !found {
			t.Errorf("deleting %s: problems %v do not name it", ptr, ve.Problems)
		}
	}
}

func TestSchemaIsACopy(t *testing.T) {
	s := Schema()
	s[0] = 'X'
	if Schema()[0] != '{' {
		t.Error("Schema() must return a copy")
	}
	var doc map[string]any
	if err := json.Unmarshal(Schema(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc["$id"] != SchemaID {
		t.Errorf("$id = %v, want SchemaID %q", doc["$id"], SchemaID)
	}
	props := doc["properties"].(map[string]any)
	versions, _ := props["schemaVersion"].(map[string]any)["enum"].([]any)
	if len(versions) == 0 || versions[len(versions)-1] != SchemaVersion {
		t.Errorf("schema's schemaVersion enum = %v, want it to end with %q", versions, SchemaVersion)
	}
}

func TestValidateConcurrent(t *testing.T) {
	good := sampleJSON(t)
	bad := edit(t, good, set("/rules/0/status", "nope"))
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			for range 20 {
				if err := Validate(good); err != nil {
					t.Errorf("goroutine %d: %v", i, err)
				}
				if err := Validate(bad); err == nil {
					t.Errorf("goroutine %d: bad report validated", i)
				}
			}
		})
	}
	wg.Wait()
}

// bigReport is a report of n rules, for benchmarks.
func bigReport(b testing.TB, n int) []byte {
	res := make([]result.Result, 0, n)
	samples := sampleResults()
	for i := range n {
		r := samples[i%len(samples)]
		rule := *r.Rule
		rule.ID = fmt.Sprintf("%s_%d", rule.ID, i)
		r.Rule = &rule
		res = append(res, r)
	}
	data, err := New(sampleMeta(), res).JSON()
	if err != nil {
		b.Fatal(err)
	}
	return data
}

func BenchmarkValidate(b *testing.B) {
	data := bigReport(b, 500)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if err := Validate(data); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSchemaAcceptsVersion100: reports written before waivers existed
// (schemaVersion 1.0.0, no summary.waived) stay valid, signed ones
// included; a 1.1.0 report must carry summary.waived.
func TestSchemaAcceptsVersion100(t *testing.T) {
	data := sampleJSON(t)
	old := edit(t, data, func(doc any) {
		// What 1.0.0 could say: no waived rules, no waivers section.
		m := doc.(map[string]any)
		summary := m["summary"].(map[string]any)
		for _, r := range m["rules"].([]any) {
			rule := r.(map[string]any)
			if rule["status"] == "waived" {
				raw, _ := rule["waiver"].(map[string]any)["rawStatus"].(string)
				if raw == "" || raw == "error" {
					raw = "pass"
					delete(rule, "error")
				}
				rule["status"] = raw
				summary[raw] = summary[raw].(float64) + 1
				delete(rule, "waiver")
			}
		}
		delete(m, "waivers")
		set("/schemaVersion", "1.0.0")(doc)
		del("/summary/waived")(doc)
	})
	if err := Validate(old); err != nil {
		t.Errorf("1.0.0 report: %v", err)
	}
	if err := Validate(edit(t, data, del("/summary/waived"))); err == nil {
		t.Error("1.1.0 report without summary.waived validated")
	}
}
