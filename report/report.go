// Package report is gcrun's versioned JSON compliance report: its Go types,
// its JSON Schema, a human-readable text rendering, and DSSE signing and
// verification with ed25519 keys.
//
// The JSON report is the contract with everything downstream (CI gates,
// dashboards, auditors), so it is versioned (SchemaVersion), described by a
// strict schema (Validate) and can be signed (Sign, Verify) so that a report
// copied off a host can be shown to be the one gcrun produced there.
package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/gcrun/gcrun/engine/result"
)

// SchemaVersion is the version of the report format this package writes and
// the only one Validate accepts. It follows semver: a new optional field is a
// minor bump, anything that can break a reader is a major bump. Because the
// schema is strict (no unknown properties), a reader validates only reports of
// exactly its own version.
//
// 1.1.0 added waivers: the rule status waived, summary.waived, rules[].waiver
// and the waivers section. 1.2.0 added remediation (the remediation
// section, rules[].statusBefore and rules[].actions) and the agent section.
const SchemaVersion = "1.2.0"

// MediaType identifies a gcrun report. It is the DSSE payloadType of a signed
// report, so a signature over a report can never be replayed as a signature
// over some other kind of document (and vice versa).
const MediaType = "application/vnd.gcrun.report+json"

// The values of Report.ComplianceStatus.
const (
	Compliant    = "Compliant"
	NonCompliant = "NonCompliant"
)

// The values of Waiver.State.
const (
	// WaiverActive: the waiver applies; its rule has status waived.
	WaiverActive = "active"
	// WaiverExpired: the waiver's expiry has passed; its rule reports its
	// real status.
	WaiverExpired = "expired"
	// WaiverUnused: the waiver applies, but its rule was not evaluated
	// (a tailoring or pack left it out).
	WaiverUnused = "unused"
)

// The values of Collector.Status.
const (
	CollectorOK    = "ok"
	CollectorError = "error"
)

// Exit codes returned by Report.ExitCode. 2 is deliberately skipped: command
// line tools conventionally use it for usage errors, which must not be
// mistaken for a compliance verdict.
const (
	ExitCompliant    = 0
	ExitNonCompliant = 1
	ExitError        = 3
)

// Report is one scan's compliance report. It is what gcrun writes as JSON;
// see README.md and schema.json for the field-by-field contract.
type Report struct {
	// SchemaVersion is the report format version (SchemaVersion).
	SchemaVersion string `json:"schemaVersion"`
	// Tool names the program that produced the report.
	Tool Tool `json:"tool"`
	// Host identifies the scanned system.
	Host Host `json:"host"`
	// Root is the scanned root directory, "/" for the live host, or the
	// path of the image tarball when Image is set.
	Root string `json:"root"`
	// Image describes the container image or rootfs tarball that was
	// scanned instead of a directory; nil for a directory.
	Image *Image `json:"image,omitempty"`
	// Baselines are the baselines whose rules were evaluated.
	Baselines []Baseline `json:"baselines"`
	// StartTime and EndTime bracket the scan, in UTC.
	StartTime time.Time `json:"startTime"`
	EndTime   time.Time `json:"endTime"`
	// ComplianceStatus is Compliant or NonCompliant; see New for the rule.
	ComplianceStatus string `json:"complianceStatus"`
	// Summary counts the rules by status.
	Summary Summary `json:"summary"`
	// Collectors lists the fact collectors that ran and how they fared.
	Collectors []Collector `json:"collectors"`
	// Rules holds one entry per evaluated rule, in evaluation order.
	Rules []RuleResult `json:"rules"`
	// Remediation summarises the remediation run (or plan) this report
	// comes from; nil for an audit.
	Remediation *Remediation `json:"remediation,omitempty"`
	// Agent identifies the agent run that produced the report (gcrun
	// agent); nil for reports of gcrun evaluate. It is signed with the
	// rest, so a receiver can tell replays and origin from it.
	Agent *Agent `json:"agent,omitempty"`
	// Waivers lists every waiver the scan was given, in the order of the
	// waiver file, with its state; absent when no waiver file was given.
	Waivers []Waiver `json:"waivers,omitempty"`
}

// Waiver is one entry of a waiver file and what became of it.
type Waiver struct {
	// ID is the waived rule's id.
	ID string `json:"id"`
	// Justification says why the rule is waived.
	Justification string `json:"justification"`
	// Expires is the instant the waiver stops applying, in UTC.
	Expires time.Time `json:"expires"`
	// Run says whether the waived rule is still evaluated.
	Run bool `json:"run"`
	// State is WaiverActive, WaiverExpired or WaiverUnused.
	State string `json:"state"`
}

// Image describes a scanned container image or rootfs tarball.
type Image struct {
	// Format is "docker-archive", "oci-archive" or "rootfs-tar".
	Format string `json:"format"`
	// Reference is the image's tag or name when the archive records one.
	Reference string `json:"reference,omitempty"`
	// Digest is the image's manifest (or config) digest when known.
	Digest string `json:"digest,omitempty"`
	// Layers is the number of layers applied.
	Layers int `json:"layers"`
}

// Tool names the program that produced a report.
type Tool struct {
	// Name is the program's name, "gcrun".
	Name string `json:"name"`
	// Version is the program's version.
	Version string `json:"version"`
}

// Host identifies the scanned system.
type Host struct {
	// Hostname is the scanned system's host name.
	Hostname string `json:"hostname"`
	// MachineID is /etc/machine-id of the scanned root; empty when absent.
	MachineID string `json:"machineId"`
	// OS is the scanned operating system.
	OS OS `json:"os"`
}

// OS describes the scanned operating system, from os-release(5).
type OS struct {
	// ID is os-release's ID, e.g. "ubuntu".
	ID string `json:"id"`
	// VersionID is os-release's VERSION_ID, e.g. "24.04".
	VersionID string `json:"versionId"`
	// PrettyName is os-release's PRETTY_NAME, for people.
	PrettyName string `json:"prettyName"`
	// Family is the distribution family (e.g. "debian", "rhel"), which is
	// what most rules key their applicability on.
	Family string `json:"family"`
}

// Baseline identifies one baseline (a versioned set of rules) by content, so
// a report says exactly which rules it was judged against.
type Baseline struct {
	// Name is the baseline's name.
	Name string `json:"name"`
	// Version is the baseline's declared version.
	Version string `json:"version"`
	// Digest is "sha256:<lowercase hex>" of the baseline's content.
	Digest string `json:"digest"`
}

// Summary counts rules by status. The JSON keys are the engine's status
// values so that a reader can index the summary with a rule's status.
type Summary struct {
	// Total is the number of rules, the sum of the other counts.
	Total int `json:"total"`
	// Pass counts rules with status pass.
	Pass int `json:"pass"`
	// Fail counts rules with status fail.
	Fail int `json:"fail"`
	// NotApplicable counts rules with status not_applicable.
	NotApplicable int `json:"not_applicable"`
	// Error counts rules with status error.
	Error int `json:"error"`
	// Waived counts rules with status waived, whatever their raw status.
	Waived int `json:"waived"`
}

// Collector records how one fact collector fared. A collector error is not
// itself a rule status: every rule that reads the collector's facts reports
// error, and that is what makes the report non-compliant.
type Collector struct {
	// Name is the collector's name, its key in the facts document.
	Name string `json:"name"`
	// Status is CollectorOK or CollectorError.
	Status string `json:"status"`
	// Error explains CollectorError.
	Error string `json:"error,omitempty"`
	// DurationMs is how long the collector ran, in whole milliseconds.
	DurationMs int64 `json:"durationMs"`
}

// RuleResult is one rule's metadata and outcome.
type RuleResult struct {
	// ID, Title, Description, Severity, References, Remediation and Tags
	// are the rule's metadata (result.Rule).
	ID          string              `json:"id"`
	Title       string              `json:"title"`
	Description string              `json:"description,omitempty"`
	Severity    result.Severity     `json:"severity"`
	References  map[string][]string `json:"references,omitempty"`
	Remediation string              `json:"remediation,omitempty"`
	Tags        []string            `json:"tags,omitempty"`
	// Baseline names the baseline that defines the rule.
	Baseline string `json:"baseline"`
	// Status is the rule's outcome.
	Status result.Status `json:"status"`
	// Reasons say why the rule failed or does not apply. Always present
	// (an empty array when there are none) so readers need no null check.
	Reasons []result.Reason `json:"reasons"`
	// Evidence is whatever the rule chose to record, free-form.
	Evidence map[string]any `json:"evidence,omitempty"`
	// Error explains status error, or a waived rule's raw status error.
	Error string `json:"error,omitempty"`
	// Waiver is the exception a rule with status waived is under (and
	// its raw status when it was still evaluated); only with status waived.
	Waiver *result.Waiver `json:"waiver,omitempty"`
	// DurationMs is the evaluation time in whole milliseconds.
	DurationMs int64 `json:"durationMs"`
	// StatusBefore is the rule's status before remediation, in reports
	// of remediation runs and plans; Status is then the status after.
	StatusBefore result.Status `json:"statusBefore,omitempty"`
	// Actions are the remediation actions taken or planned for the rule.
	Actions []Action `json:"actions,omitempty"`
}

// Action is one remediation action taken (or planned) for a rule, with its
// outcome.
type Action struct {
	// Type is the action's type, e.g. "config.set" (docs/remediation.md),
	// or "remediate" for a rule whose remediate set could not be
	// evaluated (Error says why).
	Type string `json:"type"`
	// Target is the path, package, unit or sysctl key acted on.
	Target string `json:"target"`
	// Description says what the action does, for people.
	Description string `json:"description"`
	// Status is ActionPlanned, ActionSucceeded, ActionUnchanged,
	// ActionFailed, ActionManual or ActionSkipped.
	Status string `json:"status"`
	// Detail is the command to run by hand for a manual action, or why an
	// action was skipped.
	Detail string `json:"detail,omitempty"`
	// Error explains a failed action.
	Error string `json:"error,omitempty"`
}

// The outcomes of a remediation action.
const (
	ActionPlanned   = "planned"
	ActionSucceeded = "succeeded"
	ActionUnchanged = "unchanged"
	ActionFailed    = "failed"
	ActionManual    = "manual"
	ActionSkipped   = "skipped"
)

// Agent is what gcrun agent adds to the reports it delivers.
type Agent struct {
	// HostID is the id the receiver gave this host at enrolment.
	HostID string `json:"hostId"`
	// ReportID is unique per report; the delivery's idempotency key.
	ReportID string `json:"reportId"`
	// Sequence increases with every report of the host, so a receiver
	// can refuse a replayed older report.
	Sequence int64 `json:"sequence"`
	// Assignment names the assignment (pack) evaluated, and Mode its
	// mode: audit, apply or autocorrect.
	Assignment string `json:"assignment"`
	Mode       string `json:"mode"`
	// Bundle is the policy bundle the report was evaluated from.
	Bundle *AgentBundle `json:"bundle,omitempty"`
	// SpoolEvicted counts reports the agent's spool evicted (oldest
	// first, when full) since the previous report: never silent.
	SpoolEvicted int `json:"spoolEvicted"`
}

// AgentBundle describes the bundle an agent evaluated.
type AgentBundle struct {
	// Source is where the bundle came from (URL or directory).
	Source string `json:"source"`
	// Revision is the bundle's digest ("sha256:...").
	Revision string `json:"revision"`
	// FetchedAt is when the bundle was last fetched or confirmed
	// unchanged by its source.
	FetchedAt time.Time `json:"fetchedAt"`
	// Stale is true when the source has not confirmed the bundle for
	// longer than the agent's bundle TTL: the policy may be outdated.
	Stale bool `json:"stale"`
	// Refused says why the source's newer bundle was refused (unsigned,
	// tampered, oversized), when it was since the previous report; the
	// report was evaluated from the last good bundle.
	Refused string `json:"refused,omitempty"`
}

// Remediation summarises a remediation run or plan.
type Remediation struct {
	// Mode is "plan", "apply" or "autocorrect".
	Mode string `json:"mode"`
	// RunID is the run's id in the journal; "" when nothing changed.
	RunID string `json:"runId,omitempty"`
	// Journal is the run's journal directory inside the scanned root.
	Journal string `json:"journal,omitempty"`
	// FilesChanged and CommandsRun count what the run did.
	FilesChanged int `json:"filesChanged"`
	CommandsRun  int `json:"commandsRun"`
}

// Meta is everything in a report that does not come from rule results; New
// copies each field to the Report field of the same name.
type Meta struct {
	Tool       Tool
	Host       Host
	Root       string
	Image      *Image
	Baselines  []Baseline
	StartTime  time.Time
	EndTime    time.Time
	Collectors []Collector
	Waivers    []Waiver
}

// New builds a report from the scan metadata and the rule results, keeping
// the results in the order given.
//
// The report is Compliant only when no rule failed and no rule is in error:
// an error means the rule's state is unknown, and an unknown state must never
// pass a compliance gate. Rules that pass or do not apply are fine, so a
// report with no applicable rules (or no rules at all) is Compliant; callers
// that consider "nothing was checked" a problem must say so themselves.
// Waived rules are fine too, whatever their raw status: the waiver is an
// accepted, justified and dated exception.
//
// New is defensive where a mistake would make a report lie: a result with a
// status the engine does not define is recorded as error, and an error
// without a message gets one; so is a waived result without a complete
// waiver (a justification, and a raw status exactly when it was run), and a
// waiver on a result that is not waived is dropped. Times are converted to
// UTC. Slices are copied;
// maps (references, evidence) are shared with the results. A result with a
// nil Rule is a programming error and makes New panic.
func New(meta Meta, results []result.Result) *Report {
	r := &Report{
		SchemaVersion: SchemaVersion,
		Tool:          meta.Tool,
		Host:          meta.Host,
		Root:          meta.Root,
		Image:         meta.Image,
		Baselines:     append([]Baseline{}, meta.Baselines...),
		StartTime:     meta.StartTime.UTC(),
		EndTime:       meta.EndTime.UTC(),
		Collectors:    append([]Collector{}, meta.Collectors...),
		Rules:         make([]RuleResult, 0, len(results)),
	}
	if meta.Waivers != nil {
		r.Waivers = make([]Waiver, len(meta.Waivers))
		for i, w := range meta.Waivers {
			w.Expires = w.Expires.UTC()
			r.Waivers[i] = w
		}
	}
	for i, res := range results {
		if res.Rule == nil {
			panic(fmt.Sprintf("report.New: result %d has no rule", i))
		}
		r.Rules = append(r.Rules, newRuleResult(res))
	}
	r.Summary = summarize(r.Rules)
	r.ComplianceStatus = complianceOf(r.Summary)
	return r
}

func newRuleResult(res result.Result) RuleResult {
	rule := res.Rule
	rr := RuleResult{
		ID:          rule.ID,
		Title:       rule.Title,
		Description: rule.Description,
		Severity:    rule.Severity,
		References:  rule.References,
		Remediation: rule.Remediation,
		Baseline:    rule.Baseline,
		Status:      res.Status,
		Reasons:     append([]result.Reason{}, res.Reasons...),
		Evidence:    res.Evidence,
		Error:       res.Error,
		DurationMs:  res.Duration.Milliseconds(),
	}
	if len(rule.Tags) > 0 {
		rr.Tags = append([]string{}, rule.Tags...)
	}
	switch res.Status {
	case result.StatusPass, result.StatusFail, result.StatusNotApplicable, result.StatusError:
	case result.StatusWaived:
		if problem := waiverProblem(res.Waiver); problem != "" {
			// Fail closed: a waiver we cannot show is no waiver.
			rr.Status, rr.Error = result.StatusError, "waived "+problem
			break
		}
		w := *res.Waiver
		w.Expires = w.Expires.UTC()
		rr.Waiver = &w
		if w.RawStatus == result.StatusError && rr.Error == "" {
			rr.Error = "rule evaluation failed without an error message"
		}
	default:
		// Fail closed: a status we cannot interpret is an unknown state.
		rr.Status = result.StatusError
		msg := fmt.Sprintf("engine returned unknown status %q", res.Status)
		if res.Error != "" {
			msg += ": " + res.Error
		}
		rr.Error = msg
	}
	if rr.Status == result.StatusError && rr.Error == "" {
		rr.Error = "rule evaluation failed without an error message"
	}
	return rr
}

// waiverProblem says what makes w unfit to back status waived, or "".
func waiverProblem(w *result.Waiver) string {
	switch {
	case w == nil:
		return "without a waiver"
	case w.Justification == "":
		return "without a justification"
	case w.Run && !isRawStatus(w.RawStatus):
		return fmt.Sprintf("with run: true but raw status %q", w.RawStatus)
	case !w.Run && w.RawStatus != "":
		return fmt.Sprintf("with run: false but raw status %q", w.RawStatus)
	}
	return ""
}

// isRawStatus reports whether s is a status a rule can have before any
// waiver.
func isRawStatus(s result.Status) bool {
	switch s {
	case result.StatusPass, result.StatusFail, result.StatusNotApplicable, result.StatusError:
		return true
	}
	return false
}

// summarize counts rules by status. Unknown statuses (possible only in a
// hand-built Report) count as errors, so that they can never look compliant.
func summarize(rules []RuleResult) Summary {
	s := Summary{Total: len(rules)}
	for _, r := range rules {
		switch r.Status {
		case result.StatusPass:
			s.Pass++
		case result.StatusFail:
			s.Fail++
		case result.StatusNotApplicable:
			s.NotApplicable++
		case result.StatusWaived:
			s.Waived++
		default:
			s.Error++
		}
	}
	return s
}

func complianceOf(s Summary) string {
	if s.Fail == 0 && s.Error == 0 {
		return Compliant
	}
	return NonCompliant
}

// ExitCode is the process exit status a command should end with after
// producing r: ExitCompliant (0), ExitNonCompliant (1) when some rule failed,
// or ExitError (3) when some rule is in error.
//
// Error wins over fail: a rule in error was not evaluated, so the host may be
// worse off than the failures show, and a CI gate must be able to tell "these
// rules failed" (fix the host) from "the scan is incomplete" (fix the scan).
// A waived rule counts for nothing, even when its raw status is error: the
// waiver accepts the rule's state, known or not, until it expires, and a
// waiver with run: false (never evaluated) must not be worse than one with
// run: true that happens to error.
// The rules, the summary and the compliance status are all consulted, and
// the worst of them wins, so an inconsistent hand-edited report can never
// exit 0 by contradicting itself.
func (r *Report) ExitCode() int {
	counted := summarize(r.Rules)
	switch {
	case counted.Error > 0 || r.Summary.Error > 0:
		return ExitError
	case counted.Fail > 0 || r.Summary.Fail > 0 || r.ComplianceStatus != Compliant:
		return ExitNonCompliant
	}
	return ExitCompliant
}

// JSON encodes r as indented JSON (two spaces) with a final newline. HTML
// escaping is off: reports are read by people and tools, not embedded in
// HTML, and "expected <= 5" should read as written.
func (r *Report) JSON() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return nil, fmt.Errorf("encode report: %w", err)
	}
	return buf.Bytes(), nil
}
