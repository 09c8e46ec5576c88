// Package result holds the types of rule results: what the engine produces
// and reports consume. It has no dependencies, so that code which only reads,
// renders or verifies results (the report package, a receiver of reports)
// does not link the Rego engine.
package result

import "time"

// Status is the outcome of one rule.
type Status string

// The statuses a rule can have.
const (
	StatusPass          Status = "pass"
	StatusFail          Status = "fail"
	StatusNotApplicable Status = "not_applicable"
	StatusError         Status = "error"
	// StatusWaived is a rule under an active waiver: an accepted exception
	// with a justification and an expiry. The engine never produces it;
	// whoever applies the waivers does (see Waiver), and a waived rule never
	// makes a host non-compliant.
	StatusWaived Status = "waived"
)

// Severity ranks rules.
type Severity string

// The severities a rule can have.
const (
	SeverityCritical Severity = "critical"
	SeverityHigh     Severity = "high"
	SeverityMedium   Severity = "medium"
	SeverityLow      Severity = "low"
	SeverityInfo     Severity = "info"
)

// Valid reports whether s is one of the defined severities.
func (s Severity) Valid() bool {
	switch s {
	case SeverityCritical, SeverityHigh, SeverityMedium, SeverityLow, SeverityInfo:
		return true
	}
	return false
}

// Location is a place in a source file.
type Location struct {
	File string `json:"file"`
	Line int    `json:"line,omitempty"`
}

// Rule is a rule's metadata, as declared in its package's annotations.
type Rule struct {
	ID          string              `json:"id"`
	Title       string              `json:"title"`
	Description string              `json:"description,omitempty"`
	Severity    Severity            `json:"severity"`
	References  map[string][]string `json:"references,omitempty"`
	Remediation string              `json:"remediation,omitempty"`
	Tags        []string            `json:"tags,omitempty"`
	// Files are paths and globs the files collector must stat for the rule.
	Files []string `json:"files,omitempty"`
	// Package is the Rego package path, e.g. "data.gcrun.linux.ssh.root_login".
	Package string `json:"package"`
	// Baseline names the baseline that defines the rule.
	Baseline string `json:"baseline"`
	// Location is where the package is declared.
	Location Location `json:"location"`
	// Facts lists the top-level input keys (collector names) the rule reads;
	// "*" means the whole input.
	Facts []string `json:"facts"`
	// Remediable says the rule declares automatic fixes (a remediate
	// rule); see Engine.Remediation.
	Remediable bool `json:"remediable,omitempty"`
}

// Reason says why a rule failed or does not apply.
type Reason struct {
	Code     string         `json:"code"`
	Phrase   string         `json:"phrase"`
	Expected any            `json:"expected,omitempty"`
	Actual   any            `json:"actual,omitempty"`
	Evidence map[string]any `json:"evidence,omitempty"`
}

// Waiver is the exception under which a rule has StatusWaived.
type Waiver struct {
	// Justification says why the rule is waived; never empty.
	Justification string `json:"justification"`
	// Expires is the instant the waiver stops applying (a date in a
	// waiver file means the end of that day, UTC: the next midnight).
	Expires time.Time `json:"expires"`
	// Run says whether the rule was still evaluated. When it was, RawStatus
	// is the status it would have had, and the result's Reasons, Evidence
	// and Error are the real ones; when not, RawStatus is empty.
	Run       bool   `json:"run"`
	RawStatus Status `json:"rawStatus,omitempty"`
}

// Result is the outcome of evaluating one rule against one set of facts.
type Result struct {
	Rule     *Rule
	Status   Status
	Reasons  []Reason
	Evidence map[string]any
	// Error explains StatusError (or, for StatusWaived, a RawStatus of
	// StatusError).
	Error string
	// Waiver is set with StatusWaived, and only then.
	Waiver   *Waiver
	Duration time.Duration
}
