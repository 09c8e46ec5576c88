package packtest

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gcrun/gcrun/engine"
)

// Report is the outcome of testing several packs, as `gcrun test` prints
// it.
type Report struct {
	Packs []PackReport
	// CoverageMin, when set, is the least total coverage each pack must
	// have (a percentage, compared exactly).
	CoverageMin *big.Rat
}

// PackReport is one pack's result, or why it could not be tested.
type PackReport struct {
	Dir    string
	Result *Result // nil when Err is set
	Err    error   // the pack is broken (usually a *engine.LoadError)
}

// PackStatus is the outcome of testing one pack.
type PackStatus string

// The outcomes of testing a pack, from best to worst.
const (
	PackPass  PackStatus = "pass"
	PackFail  PackStatus = "fail"  // a test failed, or coverage is below the minimum
	PackError PackStatus = "error" // the pack is broken: nothing could be tested
)

// BelowMin reports whether the pack's coverage is below min; a pack
// tested without coverage is not.
func (p PackReport) BelowMin(min *big.Rat) bool {
	return min != nil && p.Result != nil && p.Result.Coverage != nil && p.Result.Coverage.Total.Below(min)
}

// Status is the pack's outcome under the minimum coverage min (nil: none).
func (p PackReport) Status(min *big.Rat) PackStatus {
	switch {
	case p.Err != nil || p.Result == nil:
		return PackError
	case p.Result.Failed() || p.BelowMin(min):
		return PackFail
	}
	return PackPass
}

// Status is the worst outcome of every pack.
func (r *Report) Status() PackStatus {
	worst := PackPass
	for _, p := range r.Packs {
		switch p.Status(r.CoverageMin) {
		case PackError:
			return PackError
		case PackFail:
			worst = PackFail
		}
	}
	return worst
}

// counts tallies tests by status.
type counts struct {
	Tests           int `json:"tests"`
	Passed          int `json:"passed"`
	Failed          int `json:"failed"`
	Errors          int `json:"errors"`
	Skipped         int `json:"skipped"`
	Fixtures        int `json:"fixtures"`
	FixturesPassed  int `json:"fixtures_passed"`
	FixturesFailed  int `json:"fixtures_failed"`
	FixturesErrored int `json:"fixtures_errors"`
}

func countOf(r *Result) counts {
	var c counts
	if r == nil {
		return c
	}
	for _, t := range r.Tests {
		c.Tests++
		switch t.Status {
		case StatusPass:
			c.Passed++
		case StatusFail:
			c.Failed++
		case StatusError:
			c.Errors++
		case StatusSkip:
			c.Skipped++
		}
	}
	for _, f := range r.Fixtures {
		c.Fixtures++
		switch f.Status {
		case StatusPass:
			c.FixturesPassed++
		case StatusFail:
			c.FixturesFailed++
		default:
			c.FixturesErrored++
		}
	}
	return c
}

// problems lists a pack error's problems, one per line, file:line first.
func problems(err error) []engine.Problem {
	var le *engine.LoadError
	if errors.As(err, &le) {
		return le.Problems
	}
	return []engine.Problem{{Message: err.Error()}}
}

// WriteText writes the report for people: failures with their details,
// one summary line per pack, coverage when measured. Verbose lists every
// test with its time, and the lines coverage missed.
func (r *Report) WriteText(w io.Writer, verbose bool) error {
	var b strings.Builder
	for _, p := range r.Packs {
		if p.Err != nil {
			fmt.Fprintf(&b, "ERROR %s: the pack is broken:\n", p.Dir)
			for _, pr := range problems(p.Err) {
				fmt.Fprintf(&b, "    %s\n", pr)
			}
			continue
		}
		res := p.Result
		for _, t := range res.Tests {
			if t.Status == StatusPass && !verbose {
				continue
			}
			fmt.Fprintf(&b, "%-5s %s (%s:%d, %s)\n", strings.ToUpper(string(t.Status)), t.Name, t.File, t.Line, round(t.Duration))
			if t.Message != "" {
				fmt.Fprintf(&b, "%s\n", indent(t.Message, "    "))
			}
			if t.Output != "" && t.Status != StatusPass {
				fmt.Fprintf(&b, "    print output:\n%s\n", indent(strings.TrimRight(t.Output, "\n"), "        "))
			}
		}
		for _, f := range res.Fixtures {
			if f.Status == StatusPass && !verbose {
				continue
			}
			fmt.Fprintf(&b, "%-5s fixture %s (%s, %d rules, %s)\n", strings.ToUpper(string(f.Status)), f.Name, f.Dir, f.Rules, round(f.Duration))
			if len(f.Excluded) > 0 {
				fmt.Fprintf(&b, "    not compared (not evaluated): %s\n", strings.Join(f.Excluded, ", "))
			}
			if f.Message != "" {
				msg := f.Message
				if f.Diff != "" {
					msg += " (-want +got):"
				}
				fmt.Fprintf(&b, "%s\n", indent(msg, "    "))
			}
			if f.Diff != "" {
				fmt.Fprintf(&b, "%s\n", indent(strings.TrimRight(f.Diff, "\n"), "    "))
			}
			for _, d := range f.Details {
				fmt.Fprintf(&b, "%s\n", indent(d, "    "))
			}
		}
		c := countOf(res)
		fmt.Fprintf(&b, "%s %s %s (%s): Rego tests %s, fixtures %s, %s\n",
			strings.ToUpper(string(p.Status(r.CoverageMin))), res.Name, res.Version, res.Dir,
			tally(c.Tests, c.Passed, c.Failed, c.Errors, c.Skipped),
			tally(c.Fixtures, c.FixturesPassed, c.FixturesFailed, c.FixturesErrored, 0),
			round(res.Duration))
		if cov := res.Coverage; cov != nil {
			fmt.Fprintf(&b, "coverage of %s (%d packages):\n", res.Name, len(cov.Packages))
			for _, pc := range cov.Packages {
				fmt.Fprintf(&b, "  %8s %9s  %s", pc.Lines, fmt.Sprintf("%d/%d", pc.Lines.Covered, pc.Lines.Total), pc.Package)
				if pc.RuleID != "" {
					fmt.Fprintf(&b, " (%s)", pc.RuleID)
				}
				b.WriteString("\n")
				if verbose && len(pc.NotCovered) > 0 {
					fmt.Fprintf(&b, "             not covered: %s\n", strings.Join(pc.NotCovered, ", "))
				}
			}
			fmt.Fprintf(&b, "  total %s (%d of %d lines)", cov.Total, cov.Total.Covered, cov.Total.Total)
			if r.CoverageMin != nil {
				if p.BelowMin(r.CoverageMin) {
					fmt.Fprintf(&b, ": below the minimum of %s%%", FormatPercent(r.CoverageMin))
				} else {
					fmt.Fprintf(&b, ": meets the minimum of %s%%", FormatPercent(r.CoverageMin))
				}
			}
			b.WriteString("\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// tally says "12 (10 passed, 1 failed, 1 error)".
func tally(total, passed, failed, errs, skipped int) string {
	if total == 0 {
		return "0"
	}
	parts := []string{fmt.Sprintf("%d passed", passed)}
	if failed > 0 {
		parts = append(parts, fmt.Sprintf("%d failed", failed))
	}
	if errs > 0 {
		parts = append(parts, fmt.Sprintf("%d errors", errs))
	}
	if skipped > 0 {
		parts = append(parts, fmt.Sprintf("%d skipped", skipped))
	}
	return fmt.Sprintf("%d (%s)", total, strings.Join(parts, ", "))
}

func round(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// jsonProblem is a problem in the JSON report.
type jsonProblem struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
}

type jsonPack struct {
	Dir      string        `json:"dir"`
	Name     string        `json:"name,omitempty"`
	Version  string        `json:"version,omitempty"`
	Status   PackStatus    `json:"status"`
	Problems []jsonProblem `json:"problems,omitempty"`
	Summary  *counts       `json:"summary,omitempty"`
	Tests    []Test        `json:"tests,omitempty"`
	Fixtures []Fixture     `json:"fixtures,omitempty"`
	Coverage *Coverage     `json:"coverage,omitempty"`
	BelowMin bool          `json:"coverage_below_min,omitempty"`
	Duration *float64      `json:"duration_ms,omitempty"`
}

// WriteJSON writes the report as one JSON document:
//
//	{"status": "pass|fail|error", "coverage_min": "90", "packs": [{"dir", "name", "version",
//	  "status", "problems", "summary", "tests", "fixtures", "coverage", "duration_ms"}]}
func (r *Report) WriteJSON(w io.Writer) error {
	doc := struct {
		Status      PackStatus `json:"status"`
		CoverageMin string     `json:"coverage_min,omitempty"`
		Packs       []jsonPack `json:"packs"`
	}{Status: r.Status(), Packs: []jsonPack{}}
	if r.CoverageMin != nil {
		doc.CoverageMin = FormatPercent(r.CoverageMin)
	}
	for _, p := range r.Packs {
		jp := jsonPack{Dir: p.Dir, Status: p.Status(r.CoverageMin)}
		if p.Err != nil {
			for _, pr := range problems(p.Err) {
				jp.Problems = append(jp.Problems, jsonProblem{File: pr.Location.File, Line: pr.Location.Line, Message: pr.Message})
			}
		} else {
			res := p.Result
			c := countOf(res)
			d := ms(res.Duration)
			jp.Name, jp.Version, jp.Summary, jp.Duration = res.Name, res.Version, &c, &d
			jp.Tests, jp.Fixtures, jp.Coverage = res.Tests, res.Fixtures, res.Coverage
			jp.BelowMin = p.BelowMin(r.CoverageMin)
		}
		doc.Packs = append(doc.Packs, jp)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// JUnit XML, as Jenkins, GitLab and GitHub test reporters read it.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Time      string        `xml:"time,attr"`
	Failure   *junitMessage `xml:"failure,omitempty"`
	Error     *junitMessage `xml:"error,omitempty"`
	Skipped   *junitMessage `xml:"skipped,omitempty"`
	SystemOut *junitText    `xml:"system-out,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",cdata"`
}

type junitText struct {
	Text string `xml:",cdata"`
}

// xmlText replaces what XML 1.0 cannot carry even in CDATA (control
// characters, invalid UTF-8) with U+FFFD, so that print output of any
// kind leaves the document valid. encoding/xml splits "]]>" itself.
func xmlText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return r
		case r < 0x20, r == 0xFFFE, r == 0xFFFF, r >= 0xD800 && r <= 0xDFFF, r == utf8.RuneError:
			return '\uFFFD'
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

func message(msg, typ, text string) *junitMessage {
	return &junitMessage{Message: xmlText(firstLine(msg)), Type: typ, Text: xmlText(text)}
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

// firstLine is a message's first line, for the message attribute.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// WriteJUnit writes the report as JUnit XML: one testsuite per pack, with
// a testcase per Rego test and per fixture; a broken pack is a suite with
// one erroring testcase, and a coverage minimum is a testcase of its own.
func (r *Report) WriteJUnit(w io.Writer) error {
	doc := junitSuites{Name: "gcrun test"}
	var total time.Duration
	for _, p := range r.Packs {
		s := junitSuite{Name: p.Dir, Time: seconds(0)}
		if p.Err != nil {
			var lines []string
			for _, pr := range problems(p.Err) {
				lines = append(lines, pr.String())
			}
			s.Properties = []junitProperty{{Name: "dir", Value: p.Dir}}
			s.Cases = append(s.Cases, junitCase{
				Name: "load", Classname: p.Dir, Time: seconds(0),
				Error: message("the pack is broken: "+lines[0], "load", strings.Join(lines, "\n")),
			})
		} else {
			res := p.Result
			s.Name = res.Name
			s.Time = seconds(res.Duration)
			total += res.Duration
			s.Properties = []junitProperty{{Name: "dir", Value: res.Dir}, {Name: "version", Value: res.Version}}
			for _, t := range res.Tests {
				c := junitCase{
					Name: strings.TrimPrefix(t.Name, "data."+t.Package+"."), Classname: "data." + t.Package,
					File: t.File, Line: t.Line, Time: seconds(t.Duration),
				}
				if t.Output != "" {
					c.SystemOut = &junitText{Text: xmlText(t.Output)}
				}
				switch t.Status {
				case StatusFail:
					msg := t.Message
					if msg == "" {
						msg = "test failed"
					}
					c.Failure = message(msg, "fail", msg)
				case StatusError:
					c.Error = message(t.Message, "error", t.Message)
				case StatusSkip:
					c.Skipped = message("todo_ test", "", "")
				}
				s.Cases = append(s.Cases, c)
			}
			for _, f := range res.Fixtures {
				c := junitCase{Name: f.Name, Classname: "fixtures", File: f.Dir, Time: seconds(f.Duration)}
				switch f.Status {
				case StatusFail:
					text := f.Message + " (-want +got):\n" + f.Diff + "\n" + strings.Join(f.Details, "\n")
					c.Failure = message(f.Message, "fixture", text)
				case StatusError:
					c.Error = message(f.Message, "error", f.Message)
				}
				s.Cases = append(s.Cases, c)
			}
			if cov := res.Coverage; cov != nil {
				s.Properties = append(s.Properties, junitProperty{Name: "coverage", Value: cov.Total.String()})
				if r.CoverageMin != nil {
					c := junitCase{Name: "total >= " + FormatPercent(r.CoverageMin) + "%", Classname: "coverage", Time: seconds(0)}
					if p.BelowMin(r.CoverageMin) {
						var text []string
						for _, pc := range cov.Packages {
							text = append(text, pc.NotCovered...)
						}
						c.Failure = message(
							fmt.Sprintf("coverage %s (%d of %d lines) is below the minimum of %s%%", cov.Total, cov.Total.Covered, cov.Total.Total, FormatPercent(r.CoverageMin)),
							"coverage", "not covered:\n"+strings.Join(text, "\n"))
					}
					s.Cases = append(s.Cases, c)
				}
			}
		}
		for _, c := range s.Cases {
			s.Tests++
			switch {
			case c.Failure != nil:
				s.Failures++
			case c.Error != nil:
				s.Errors++
			case c.Skipped != nil:
				s.Skipped++
			}
		}
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Skipped += s.Skipped
		doc.Suites = append(doc.Suites, s)
	}
	doc.Time = seconds(total)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
