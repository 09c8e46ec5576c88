package engine

import "github.com/gcrun/gcrun/engine/result"

// The result types live in package result so that readers of results need
// not link OPA; these aliases keep them at hand for users of the engine.
type (
	// Status is the outcome of one rule.
	Status = result.Status
	// Severity ranks rules.
	Severity = result.Severity
	// Location is a place in a source file.
	Location = result.Location
	// Rule is a rule's metadata, as declared in its package's annotations.
	Rule = result.Rule
	// Reason says why a rule failed or does not apply.
	Reason = result.Reason
	// Result is the outcome of evaluating one rule against one set of facts.
	Result = result.Result
	// Waiver is the exception under which a rule has StatusWaived.
	Waiver = result.Waiver
)

// The statuses a rule can have.
const (
	StatusPass          = result.StatusPass
	StatusFail          = result.StatusFail
	StatusNotApplicable = result.StatusNotApplicable
	StatusError         = result.StatusError
	StatusWaived        = result.StatusWaived
)

// The severities a rule can have.
const (
	SeverityCritical = result.SeverityCritical
	SeverityHigh     = result.SeverityHigh
	SeverityMedium   = result.SeverityMedium
	SeverityLow      = result.SeverityLow
	SeverityInfo     = result.SeverityInfo
)
