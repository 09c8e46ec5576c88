package report

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/gcrun/gcrun/engine/result"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// SchemaID is the $id of the report schema. It names the schema; nothing
// fetches it.
const SchemaID = "https://github.com/gcrun/gcrun/report/schema-1.2.0.json"

//go:embed schema.json
var schemaJSON []byte

// Schema returns the JSON Schema (draft 2020-12) of reports of version
// SchemaVersion, e.g. for a command that prints it. The caller owns the copy.
func Schema() []byte { return bytes.Clone(schemaJSON) }

// ErrInvalidReport is wrapped by every error Validate returns, and by
// Verify's error when a correctly signed payload is not a valid report.
var ErrInvalidReport = errors.New("invalid report")

// ValidationError lists what is wrong with a report. It unwraps to
// ErrInvalidReport.
type ValidationError struct {
	Problems []Problem
}

// Problem is one thing wrong with a report.
type Problem struct {
	// Pointer is the RFC 6901 JSON pointer of the offending value ("" is the
	// whole document). For a missing property it points at the property
	// that should be there, for a property that is not allowed at that
	// property, so that every problem names the exact place to look.
	Pointer string
	// Message says what is wrong, in English.
	Message string
}

// maxListedProblems caps the problems spelled out in Error(): a report that
// is wrong everywhere would otherwise produce an unreadable message. All of
// them remain in Problems.
const maxListedProblems = 10

// Error lists the problems as "at /pointer: message", separated by "; ".
func (e *ValidationError) Error() string {
	var sb strings.Builder
	sb.WriteString(ErrInvalidReport.Error())
	sb.WriteString(": ")
	for i, p := range e.Problems {
		if i == maxListedProblems {
			fmt.Fprintf(&sb, "; and %d more", len(e.Problems)-i)
			break
		}
		if i > 0 {
			sb.WriteString("; ")
		}
		ptr := p.Pointer
		if ptr == "" {
			ptr = "(document)"
		}
		fmt.Fprintf(&sb, "at %s: %s", ptr, p.Message)
	}
	return sb.String()
}

// Unwrap returns ErrInvalidReport so callers can use errors.Is.
func (e *ValidationError) Unwrap() error { return ErrInvalidReport }

// compiledSchema compiles the embedded schema on first use. It is a
// sync.OnceValues so the result is immutable and shared by all goroutines,
// and so that programs that never validate never pay for compiling.
var compiledSchema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return nil, fmt.Errorf("embedded report schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	// Draft 2020-12 treats "format" as an annotation by default; we want
	// startTime and endTime to really be RFC 3339 date-times.
	c.AssertFormat()
	if err := c.AddResource(SchemaID, doc); err != nil {
		return nil, fmt.Errorf("embedded report schema: %w", err)
	}
	sch, err := c.Compile(SchemaID)
	if err != nil {
		return nil, fmt.Errorf("embedded report schema: %w", err)
	}
	return sch, nil
})

var printer = message.NewPrinter(language.English)

// Validate checks that data is a report of version SchemaVersion: JSON that
// matches the schema, whose summary counts agree with its rules, whose
// complianceStatus agrees with its summary, and whose waivers section (when
// present) agrees with the rules: every waived rule has an active waiver,
// every active waiver a waived rule, an expired waiver's rule is not waived
// and an unused waiver's rule is not listed. These are beyond what JSON
// Schema can express, and a reader that looks only at the summary or the
// waivers must not be misled. A non-nil error is a *ValidationError (or, only if the
// embedded schema itself were broken, an error saying so).
func Validate(data []byte) error {
	_, err := parse(data)
	return err
}

// parse validates data and decodes it into a Report.
func parse(data []byte) (*Report, error) {
	sch, err := compiledSchema()
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, invalid("", "empty input, want a JSON report")
		}
		return nil, invalid("", "not JSON: "+err.Error())
	}
	if err := sch.Validate(doc); err != nil {
		var ve *jsonschema.ValidationError
		if !errors.As(err, &ve) {
			return nil, invalid("", err.Error())
		}
		return nil, &ValidationError{Problems: problemsOf(ve)}
	}
	var r Report
	if err := json.Unmarshal(data, &r); err != nil {
		// The schema admits some values Go cannot hold, e.g. a durationMs
		// beyond int64 or a leap second.
		return nil, invalid("", "decode: "+err.Error())
	}
	if problems := inconsistencies(&r); len(problems) > 0 {
		return nil, &ValidationError{Problems: problems}
	}
	return &r, nil
}

func invalid(ptr, msg string) *ValidationError {
	return &ValidationError{Problems: []Problem{{Pointer: ptr, Message: msg}}}
}

// problemsOf flattens the validator's error tree to its leaves, which are
// the actual violations (inner nodes only say "a subschema failed"), sorted
// by pointer so that messages are stable.
func problemsOf(ve *jsonschema.ValidationError) []Problem {
	var out []Problem
	seen := map[Problem]bool{}
	add := func(p Problem) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		ptr := pointer(e.InstanceLocation)
		switch k := e.ErrorKind.(type) {
		case *kind.Required:
			for _, name := range k.Missing {
				add(Problem{Pointer: ptr + "/" + escapeToken(name), Message: "missing required property"})
			}
		case *kind.AdditionalProperties:
			for _, name := range k.Properties {
				add(Problem{Pointer: ptr + "/" + escapeToken(name), Message: "property not allowed"})
			}
		case *kind.FalseSchema:
			// The schema forbids a property only in some cases (a waiver
			// on a rule that is not waived).
			add(Problem{Pointer: ptr, Message: "property not allowed here"})
		default:
			add(Problem{Pointer: ptr, Message: e.ErrorKind.LocalizedString(printer)})
		}
	}
	walk(ve)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Pointer != out[j].Pointer {
			return out[i].Pointer < out[j].Pointer
		}
		return out[i].Message < out[j].Message
	})
	return out
}

func pointer(tokens []string) string {
	var sb strings.Builder
	for _, t := range tokens {
		sb.WriteByte('/')
		sb.WriteString(escapeToken(t))
	}
	return sb.String()
}

// escapeToken escapes a JSON pointer reference token (RFC 6901 section 3).
func escapeToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// inconsistencies finds the ways in which r's summary and compliance status
// contradict its rules.
func inconsistencies(r *Report) []Problem {
	var out []Problem
	want := summarize(r.Rules)
	check := func(field string, got, want int) {
		if got == want {
			return
		}
		msg := fmt.Sprintf("is %d, but %d rules have status %s", got, want, field)
		switch {
		case field == "total":
			msg = fmt.Sprintf("is %d, but %d rules are listed", got, want)
		case want == 1:
			msg = fmt.Sprintf("is %d, but 1 rule has status %s", got, field)
		}
		out = append(out, Problem{Pointer: "/summary/" + field, Message: msg})
	}
	check("total", r.Summary.Total, want.Total)
	check("pass", r.Summary.Pass, want.Pass)
	check("fail", r.Summary.Fail, want.Fail)
	check("not_applicable", r.Summary.NotApplicable, want.NotApplicable)
	check("error", r.Summary.Error, want.Error)
	check("waived", r.Summary.Waived, want.Waived)
	if c := complianceOf(want); r.ComplianceStatus != c {
		out = append(out, Problem{
			Pointer: "/complianceStatus",
			Message: fmt.Sprintf("is %s, but with %d failing and %d erroring rules the report is %s", r.ComplianceStatus, want.Fail, want.Error, c),
		})
	}
	return append(out, waiverInconsistencies(r)...)
}

// waiverInconsistencies finds the ways in which r's waivers section
// contradicts its rules. A report without the section (no waiver file) has
// nothing to contradict.
func waiverInconsistencies(r *Report) []Problem {
	if r.Waivers == nil {
		return nil
	}
	var out []Problem
	statusOf := map[string]result.Status{}
	for _, rule := range r.Rules {
		statusOf[rule.ID] = rule.Status
	}
	seen := map[string]int{}
	for i, w := range r.Waivers {
		ptr := fmt.Sprintf("/waivers/%d", i)
		if j, dup := seen[w.ID]; dup {
			out = append(out, Problem{Pointer: ptr + "/id", Message: fmt.Sprintf("waiver for %s is also /waivers/%d", w.ID, j)})
			continue
		}
		seen[w.ID] = i
		status, listed := statusOf[w.ID]
		switch {
		case w.State == WaiverActive && status != result.StatusWaived:
			msg := fmt.Sprintf("is active, but rule %s is not listed", w.ID)
			if listed {
				msg = fmt.Sprintf("is active, but rule %s has status %s", w.ID, status)
			}
			out = append(out, Problem{Pointer: ptr + "/state", Message: msg})
		case w.State == WaiverExpired && status == result.StatusWaived:
			out = append(out, Problem{Pointer: ptr + "/state", Message: fmt.Sprintf("is expired, but rule %s has status waived", w.ID)})
		case w.State == WaiverUnused && listed:
			out = append(out, Problem{Pointer: ptr + "/state", Message: fmt.Sprintf("is unused, but rule %s is listed with status %s", w.ID, status)})
		}
	}
	for i, rule := range r.Rules {
		if _, ok := seen[rule.ID]; rule.Status == result.StatusWaived && !ok {
			out = append(out, Problem{Pointer: fmt.Sprintf("/rules/%d/status", i), Message: fmt.Sprintf("is waived, but no waiver for %s is listed", rule.ID)})
		}
	}
	return out
}
