package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/gcrun/gcrun/engine/result"
)

// The SARIF rendering ("sarif") is a SARIF 2.1.0 log (OASIS Standard,
// errata 01) with one run: the driver lists every rule of the report as a
// reportingDescriptor, and every rule gets one result. It is written for
// two audiences at once, and where they disagree the choice is explained
// at the spot:
//
//   - SARIF consumers that follow the standard (viewers, result management
//     systems, compliance tooling): the result kind says what happened to
//     the rule, and the run's invocation says whether the result set is
//     complete.
//   - GitHub code scanning, which reads a subset of SARIF: it ignores
//     result.kind, needs a location with a non-empty artifact URI on every
//     result (an upload with a location-less result is rejected with
//     "locationFromSarifResult: expected at least one location"), and ranks
//     alerts by the rule's properties."security-severity".
//
// Status mapping (kind / level):
//
//	pass            pass / none
//	fail            fail / by severity: critical, high: error;
//	                medium: warning; low, info: note; unknown: error
//	not_applicable  notApplicable / none
//	error           fail / error, and an error-level tool execution
//	                notification naming the rule (see sarifResultOf)
//	waived          as its real status (review / none when it was not
//	                run), with an accepted external suppression
//
// SARIF (3.27.10) requires level "none" whenever kind is not "fail", so
// passes and inapplicable rules carry no severity. All rules get a result,
// passes included, because SARIF is also the record of what was checked
// (kind "pass" is how SARIF says "evaluated, no problem"); since GitHub
// ignores kind, it shows them as alerts of level none, and a GitHub user who
// wants only the problems filters the log (for example with
// jq '.runs[].results |= map(select(.kind == "fail"))').

// sarifMediaType is the media type of SARIF logs (SARIF 2.1.0, appendix).
const sarifMediaType = "application/sarif+json"

// sarifSchemaURI is the $schema of the log: SchemaStore's copy of the SARIF
// 2.1.0 schema, which editors and validators resolve.
const sarifSchemaURI = "https://json.schemastore.org/sarif-2.1.0.json"

// sarifRootBase is the uriBaseId of artifact locations: the root of the
// scanned file system (see sarifArtifact).
const sarifRootBase = "ROOT"

// newSARIFRenderer returns the renderer of the "sarif" format. It takes no
// options.
func newSARIFRenderer(RenderOptions) Renderer {
	return rendererFunc{mediaType: sarifMediaType, render: writeSARIF}
}

// The SARIF objects gcrun writes, with the properties it uses. Field order
// is the order in the output; optional properties are omitted when empty.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}

	sarifRun struct {
		Tool               sarifTool                        `json:"tool"`
		Invocations        []sarifInvocation                `json:"invocations"`
		OriginalURIBaseIDs map[string]sarifArtifactLocation `json:"originalUriBaseIds"`
		Results            []sarifResult                    `json:"results"`
		Properties         sarifRunProperties               `json:"properties"`
	}

	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}

	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version,omitempty"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}

	sarifRule struct {
		ID                   string              `json:"id"`
		Name                 string              `json:"name,omitempty"`
		ShortDescription     sarifMultiformat    `json:"shortDescription"`
		FullDescription      *sarifMultiformat   `json:"fullDescription,omitempty"`
		Help                 *sarifMultiformat   `json:"help,omitempty"`
		HelpURI              string              `json:"helpUri,omitempty"`
		DefaultConfiguration sarifConfiguration  `json:"defaultConfiguration"`
		Properties           sarifRuleProperties `json:"properties"`
	}

	sarifMultiformat struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown,omitempty"`
	}

	sarifConfiguration struct {
		Level string `json:"level"`
	}

	sarifRuleProperties struct {
		Tags     []string `json:"tags,omitempty"`
		Severity string   `json:"severity"`
		// SecuritySeverity is GitHub code scanning's CVSS-like score, a
		// number in a string.
		SecuritySeverity string              `json:"security-severity,omitempty"`
		References       map[string][]string `json:"references,omitempty"`
		Baseline         string              `json:"baseline"`
	}

	sarifResult struct {
		RuleID       string                `json:"ruleId"`
		RuleIndex    int                   `json:"ruleIndex"`
		Kind         string                `json:"kind"`
		Level        string                `json:"level"`
		Message      sarifMessage          `json:"message"`
		Locations    []sarifLocation       `json:"locations"`
		Suppressions []sarifSuppression    `json:"suppressions,omitempty"`
		Properties   sarifResultProperties `json:"properties"`
	}

	sarifMessage struct {
		Text string `json:"text"`
	}

	sarifLocation struct {
		PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
		Message          *sarifMessage         `json:"message,omitempty"`
	}

	sarifPhysicalLocation struct {
		ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
		Region           *sarifRegion          `json:"region,omitempty"`
	}

	sarifArtifactLocation struct {
		URI         string        `json:"uri,omitempty"`
		URIBaseID   string        `json:"uriBaseId,omitempty"`
		Description *sarifMessage `json:"description,omitempty"`
	}

	sarifRegion struct {
		StartLine int `json:"startLine"`
	}

	sarifSuppression struct {
		Kind          string                     `json:"kind"`
		Status        string                     `json:"status"`
		Justification string                     `json:"justification"`
		Properties    sarifSuppressionProperties `json:"properties"`
	}

	sarifSuppressionProperties struct {
		Expires   time.Time `json:"expires"`
		Run       bool      `json:"run"`
		RawStatus string    `json:"rawStatus,omitempty"`
	}

	// sarifResultProperties keep what SARIF has no place for: gcrun's
	// own status (kind cannot tell error from fail) and the reasons with
	// their data, for consumers that process results further.
	sarifResultProperties struct {
		Status     string          `json:"status"`
		Baseline   string          `json:"baseline"`
		DurationMs int64           `json:"durationMs"`
		Error      string          `json:"error,omitempty"`
		Reasons    []result.Reason `json:"reasons,omitempty"`
		Evidence   map[string]any  `json:"evidence,omitempty"`
	}

	sarifInvocation struct {
		ExecutionSuccessful        bool                `json:"executionSuccessful"`
		StartTimeUTC               string              `json:"startTimeUtc,omitempty"`
		EndTimeUTC                 string              `json:"endTimeUtc,omitempty"`
		Machine                    string              `json:"machine,omitempty"`
		ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
	}

	sarifNotification struct {
		Level          string              `json:"level"`
		Message        sarifMessage        `json:"message"`
		AssociatedRule *sarifDescriptorRef `json:"associatedRule,omitempty"`
	}

	sarifDescriptorRef struct {
		ID    string `json:"id"`
		Index int    `json:"index"`
	}

	// sarifRunProperties say what was scanned and the verdict, so that a
	// SARIF log on its own identifies its host and baselines.
	sarifRunProperties struct {
		SchemaVersion    string     `json:"schemaVersion"`
		Host             Host       `json:"host"`
		Root             string     `json:"root"`
		Image            *Image     `json:"image,omitempty"`
		Baselines        []Baseline `json:"baselines"`
		ComplianceStatus string     `json:"complianceStatus"`
		Summary          Summary    `json:"summary"`
	}
)

// writeSARIF renders r as an indented SARIF log. The log is built and
// encoded in memory, so an error never leaves half a document behind.
func writeSARIF(w io.Writer, r *Report) error {
	if r == nil {
		return errors.New("write sarif report: nil report")
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// As in Report.JSON: "expected <= 5" should read as written.
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(sarifLogOf(r)); err != nil {
		return fmt.Errorf("write sarif report: encode: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write sarif report: %w", err)
	}
	return nil
}

func sarifLogOf(r *Report) sarifLog {
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "gcrun",
			Version:        sarifLine(r.Tool.Version),
			InformationURI: "https://github.com/gcrun/gcrun",
			Rules:          []sarifRule{},
		}},
		OriginalURIBaseIDs: map[string]sarifArtifactLocation{sarifRootBase: sarifRootLocation(r)},
		Results:            make([]sarifResult, 0, len(r.Rules)),
		Properties: sarifRunProperties{
			SchemaVersion:    r.SchemaVersion,
			Host:             r.Host,
			Root:             r.Root,
			Image:            r.Image,
			Baselines:        append([]Baseline{}, r.Baselines...),
			ComplianceStatus: r.ComplianceStatus,
			Summary:          r.Summary,
		},
	}

	// One descriptor per rule, keyed by baseline and id: two baselines
	// may define the same id, and their metadata must not be mixed up.
	type key struct{ baseline, id string }
	index := map[key]int{}
	var notes []sarifNotification
	for _, rule := range r.Rules {
		k := key{rule.Baseline, rule.ID}
		i, ok := index[k]
		if !ok {
			i = len(run.Tool.Driver.Rules)
			index[k] = i
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRuleOf(rule))
		}
		res, note := sarifResultOf(rule, i)
		run.Results = append(run.Results, res)
		if note != nil {
			notes = append(notes, *note)
		}
	}
	// Collector failures are warnings, not errors: a collector failure is
	// not itself a rule status, and every rule that needed the collector
	// is in error and has its own error notification.
	for _, c := range r.Collectors {
		if c.Status == CollectorOK {
			continue
		}
		msg := "collector " + c.Name + " failed"
		if c.Error != "" {
			msg += ": " + c.Error
		}
		notes = append(notes, sarifNotification{Level: "warning", Message: sarifMessage{Text: sarifText(msg)}})
	}

	run.Invocations = []sarifInvocation{{
		// The run failed exactly when gcrun exits with its error code:
		// some rule could not be evaluated, so the result set is not a
		// complete assessment of the host (SARIF appendix I).
		ExecutionSuccessful:        r.ExitCode() != ExitError,
		StartTimeUTC:               sarifTime(r.StartTime),
		EndTimeUTC:                 sarifTime(r.EndTime),
		Machine:                    sarifLine(r.Host.Hostname),
		ToolExecutionNotifications: notes,
	}}

	return sarifLog{Schema: sarifSchemaURI, Version: "2.1.0", Runs: []sarifRun{run}}
}

// sarifRootLocation describes ROOT, the base of every artifact URI: the
// scanned directory as a file URI. An image's files live inside its
// archive, and a root that is not an absolute path (a placeholder) names no
// place, so for those ROOT only has a description: SARIF allows a base
// without a URI, for the consumer to supply (3.14.14).
func sarifRootLocation(r *Report) sarifArtifactLocation {
	desc := "the root of the scanned file system"
	if r.Root != "" {
		desc += ", " + r.Root
	}
	if img := r.Image; img != nil {
		what := img.Reference
		if what == "" {
			what = r.Root
		}
		desc = "the root file system of the " + img.Format + " " + what
		if img.Digest != "" {
			desc += " (" + img.Digest + ")"
		}
		return sarifArtifactLocation{Description: &sarifMessage{Text: sarifText(desc)}}
	}
	loc := sarifArtifactLocation{Description: &sarifMessage{Text: sarifText(desc)}}
	if path.IsAbs(r.Root) {
		dir := path.Clean(r.Root)
		if dir != "/" {
			dir += "/"
		}
		loc.URI = (&url.URL{Scheme: "file", Path: dir}).String()
	}
	return loc
}

// sarifRuleOf describes a rule.
func sarifRuleOf(rule RuleResult) sarifRule {
	d := sarifRule{
		ID:                   sarifLine(rule.ID),
		Name:                 sarifName(rule.Title),
		ShortDescription:     sarifMultiformat{Text: sarifLine(rule.Title)},
		DefaultConfiguration: sarifConfiguration{Level: sarifLevel(rule.Severity)},
		Properties: sarifRuleProperties{
			Tags:             sarifTags(rule.Tags),
			Severity:         sarifLine(string(rule.Severity)),
			SecuritySeverity: sarifSecuritySeverity[rule.Severity],
			References:       rule.References,
			Baseline:         sarifLine(rule.Baseline),
		},
	}
	if d.ShortDescription.Text == "" {
		d.ShortDescription.Text = d.ID
	}
	if rule.Description != "" {
		d.FullDescription = &sarifMultiformat{Text: sarifText(rule.Description)}
	}
	if rule.Remediation != "" {
		d.Help = &sarifMultiformat{
			Text:     sarifText(rule.Remediation),
			Markdown: "**Remediation:** " + sarifMarkdown(rule.Remediation),
		}
		if refs := sarifReferenceList(rule.References); refs != "" {
			d.Help.Text += "\n\nReferences: " + refs
			d.Help.Markdown += "\n\n**References:** " + sarifMarkdown(refs)
		}
	}
	d.HelpURI = sarifHelpURI(rule.References)
	return d
}

// sarifSecuritySeverity is GitHub code scanning's score per severity. GitHub
// buckets scores as critical above 9.0, high from 7.0, medium from 4.0 and
// low from 0.1; the values sit inside those buckets. An unknown severity
// gets no score rather than a guessed one.
var sarifSecuritySeverity = map[result.Severity]string{
	result.SeverityCritical: "9.5",
	result.SeverityHigh:     "8.0",
	result.SeverityMedium:   "5.5",
	result.SeverityLow:      "3.0",
	result.SeverityInfo:     "0.0",
}

// sarifLevel is the level of a failing rule of severity s. An unknown
// severity (only in a hand-made report) is "error": a failure whose weight
// is unknown must not be understated.
func sarifLevel(s result.Severity) string {
	switch s {
	case result.SeverityMedium:
		return "warning"
	case result.SeverityLow, result.SeverityInfo:
		return "note"
	}
	return "error"
}

// sarifResultOf is the result for one rule (whose descriptor is
// driver.rules[ruleIndex]), and for a rule in error the notification
// saying that the run could not evaluate it.
//
// A rule in error is a result of kind "fail", level "error", not "open" or
// "review": SARIF would then require level "none", and both GitHub (which
// ignores kind) and gates that count error-level results would take an
// unknown state for no problem at all, while gcrun's verdict is that it
// makes the host non-compliant. The notification is SARIF's own way of
// saying that a rule could not be evaluated and the results are
// incomplete (3.20.21), and properties.status keeps "error" apart from
// "fail".
func sarifResultOf(rule RuleResult, ruleIndex int) (sarifResult, *sarifNotification) {
	res := sarifResult{
		RuleID:    sarifLine(rule.ID),
		RuleIndex: ruleIndex,
		Locations: sarifLocations(rule),
		Properties: sarifResultProperties{
			Status:     sarifLine(string(rule.Status)),
			Baseline:   sarifLine(rule.Baseline),
			DurationMs: rule.DurationMs,
			Error:      sarifText(rule.Error),
			Reasons:    rule.Reasons,
			Evidence:   rule.Evidence,
		},
	}
	title := sarifLine(rule.Title)
	if title == "" {
		title = res.RuleID
	}
	phrases := sarifPhrases(rule.Reasons)

	status := rule.Status
	if status == result.StatusWaived {
		status = "" // not run, or (hand-made report) no waiver to say
		if rule.Waiver != nil {
			status = rule.Waiver.RawStatus
		}
	}
	var note *sarifNotification
	switch status {
	case result.StatusPass:
		res.Kind, res.Level = "pass", "none"
		res.Message.Text = "Passed: " + title
	case result.StatusFail:
		res.Kind, res.Level = "fail", sarifLevel(rule.Severity)
		res.Message.Text = phrases
		if phrases == "" {
			res.Message.Text = title + ": failed"
		}
	case result.StatusNotApplicable:
		res.Kind, res.Level = "notApplicable", "none"
		res.Message.Text = "Not applicable"
		if phrases != "" {
			res.Message.Text += ": " + phrases
		}
	case "":
		// Waived and not run (or, in a hand-made report, waived without
		// a waiver): nobody knows the state, a person accepted it.
		res.Kind, res.Level = "review", "none"
		res.Message.Text = "Not evaluated: " + title
	default:
		// Error, or a status this package does not know, which counts
		// as an error (see Summary).
		msg := rule.Error
		if status != result.StatusError {
			msg = fmt.Sprintf("unknown status %q", status)
			if rule.Error != "" {
				msg += ": " + rule.Error
			}
		}
		if msg == "" {
			msg = "rule evaluation failed without an error message"
		}
		res.Kind, res.Level = "fail", "error"
		res.Message.Text = title + ": could not be evaluated: " + sarifText(msg)
		if rule.Status != result.StatusWaived {
			note = &sarifNotification{
				Level:          "error",
				Message:        sarifMessage{Text: "rule " + res.RuleID + " could not be evaluated: " + sarifText(msg)},
				AssociatedRule: &sarifDescriptorRef{ID: res.RuleID, Index: ruleIndex},
			}
		}
	}

	if rule.Status == result.StatusWaived {
		// An accepted external suppression: the finding (if any) stands,
		// a justified, dated exception covers it.
		res.Message.Text = "Waived: " + res.Message.Text
		sup := sarifSuppression{Kind: "external", Status: "accepted"}
		if w := rule.Waiver; w != nil {
			res.Message.Text += " (until " + expiry(w.Expires) + ")"
			sup.Justification = sarifText(w.Justification)
			sup.Properties = sarifSuppressionProperties{Expires: w.Expires.UTC(), Run: w.Run, RawStatus: sarifLine(string(w.RawStatus))}
		}
		res.Suppressions = []sarifSuppression{sup}
	}
	return res, note
}

// sarifPhrases joins the reasons' phrases into a message.
func sarifPhrases(reasons []result.Reason) string {
	out := make([]string, 0, len(reasons))
	for _, r := range reasons {
		if p := sarifText(strings.TrimRight(r.Phrase, "\n")); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "; ")
}

// sarifLocations are the files the rule's evidence names: one location per
// reason whose evidence names a file (with its line when known), duplicates
// removed, else the file the rule's own evidence names; the message of each
// is the reason it comes from.
//
// A rule without file evidence gets the scanned root itself ("./" under
// ROOT): the result is about the system as a whole, and GitHub code
// scanning rejects a whole upload when a result has no location with an
// artifact URI.
func sarifLocations(rule RuleResult) []sarifLocation {
	type key struct {
		uri  string
		line int
	}
	seen := map[key]bool{}
	var out []sarifLocation
	add := func(ev map[string]any, msg string) {
		file, line, ok := sarifEvidenceFile(ev)
		if !ok {
			return
		}
		k := key{sarifArtifact(file), line}
		if seen[k] {
			return
		}
		seen[k] = true
		loc := sarifLocation{PhysicalLocation: sarifPhysicalLocation{
			ArtifactLocation: sarifArtifactLocation{URI: k.uri, URIBaseID: sarifRootBase},
		}}
		if line > 0 {
			loc.PhysicalLocation.Region = &sarifRegion{StartLine: line}
		}
		if msg = sarifText(strings.TrimRight(msg, "\n")); msg != "" {
			loc.Message = &sarifMessage{Text: msg}
		}
		out = append(out, loc)
	}
	for _, r := range rule.Reasons {
		add(r.Evidence, r.Phrase)
	}
	if len(out) == 0 {
		add(rule.Evidence, "")
	}
	if len(out) == 0 {
		out = append(out, sarifLocation{
			PhysicalLocation: sarifPhysicalLocation{ArtifactLocation: sarifArtifactLocation{URI: "./", URIBaseID: sarifRootBase}},
			Message:          &sarifMessage{Text: "no file evidence: the result concerns the scanned system as a whole"},
		})
	}
	return out
}

// sarifEvidenceFile finds the file an evidence map names: the key "file",
// else "path" (with "line" beside it), else the same inside a "location"
// object, which is how rules that point at a line of a configuration file
// record it.
func sarifEvidenceFile(ev map[string]any) (file string, line int, ok bool) {
	if file, line, ok = sarifFileLine(ev); ok {
		return file, line, ok
	}
	if loc, isMap := ev["location"].(map[string]any); isMap {
		return sarifFileLine(loc)
	}
	return "", 0, false
}

func sarifFileLine(m map[string]any) (string, int, bool) {
	for _, k := range []string{"file", "path"} {
		if s, ok := m[k].(string); ok && s != "" {
			return s, sarifLineNumber(m["line"]), true
		}
	}
	return "", 0, false
}

// sarifLineNumber reads a line number from evidence: a positive whole
// number, whatever its Go type (a float64 in a report read from JSON, an
// int in one built by rules); anything else is no line (0).
func sarifLineNumber(v any) int {
	var n float64
	switch x := v.(type) {
	case int:
		n = float64(x)
	case int64:
		n = float64(x)
	case float64:
		n = x
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return 0
		}
		n = f
	default:
		return 0
	}
	if n < 1 || n > math.MaxInt32 || n != math.Trunc(n) {
		return 0
	}
	return int(n)
}

// sarifArtifact is the URI of a file of the scanned system relative to
// ROOT. Evidence paths are absolute paths inside the scanned root, so
// "/etc/ssh/sshd_config" becomes "etc/ssh/sshd_config": a relative
// reference with uriBaseId ROOT, and ROOT's file URI in originalUriBaseIds.
// That is SARIF's portable form (3.4.4), and it is what GitHub code
// scanning needs to recognise the same alert across runs: its fingerprints
// use the path, which must not change when the same host image is scanned
// under another mount point (an absolute file:// URI would). The path is
// cleaned, so ".." cannot climb out of the root, and percent-encoded.
func sarifArtifact(file string) string {
	rel := strings.TrimPrefix(path.Clean("/"+file), "/")
	if rel == "" {
		return "./"
	}
	// url.URL escapes what a path may not contain and prefixes "./" when
	// the first segment has a colon, which would read as a scheme.
	return (&url.URL{Path: rel}).String()
}

// sarifHelpURI is the first reference (benchmarks in name order) that is an
// absolute http(s) URL, or "". References are usually section numbers.
func sarifHelpURI(refs map[string][]string) string {
	names := make([]string, 0, len(refs))
	for name := range refs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, ref := range refs[name] {
			u, err := url.Parse(ref)
			if err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" {
				return u.String()
			}
		}
	}
	return ""
}

// sarifReferenceList lists references as "benchmark id, id; benchmark id".
func sarifReferenceList(refs map[string][]string) string {
	names := make([]string, 0, len(refs))
	for name := range refs {
		names = append(names, name)
	}
	sort.Strings(names)
	parts := make([]string, 0, len(names))
	for _, name := range names {
		parts = append(parts, name+" "+strings.Join(refs[name], ", "))
	}
	return sarifLine(strings.Join(parts, "; "))
}

// sarifTags are a rule's tags without duplicates (SARIF tags are unique).
func sarifTags(tags []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range tags {
		t = sarifLine(t)
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// sarifName derives a reportingDescriptor name from a title: lower-case
// ASCII words joined by hyphens, e.g. "ssh-root-login-is-disabled". SARIF
// wants an identifier readable by people that need not be stable (3.49.7);
// the id stays the stable key.
func sarifName(title string) string {
	var sb strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(title) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if hyphen && sb.Len() > 0 {
				sb.WriteByte('-')
			}
			hyphen = false
			sb.WriteRune(r)
			if sb.Len() >= 80 {
				break
			}
			continue
		}
		hyphen = true
	}
	return sb.String()
}

// sarifTime formats t as SARIF wants date-times (3.9): UTC, ISO 8601 with
// a Z. Empty for a zero time, which means unknown, not the year 1.
func sarifTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// sarifMarkdown escapes s for the markdown of a message (GitHub renders
// it): the ASCII punctuation CommonMark and GitHub's extensions read as
// markup (emphasis, code, links, HTML, entities, headings, lists, tables,
// strikethrough; and ":" and ".", which autolinks need) is
// backslash-escaped, so text from a rule can neither format nor link
// anything; line breaks become hard breaks.
func sarifMarkdown(s string) string {
	var sb strings.Builder
	for _, r := range sarifText(s) {
		switch {
		case r == '\n':
			sb.WriteString("  \n")
		case strings.ContainsRune("\\`*_{}[]()<>#+-.!|~&:", r):
			sb.WriteByte('\\')
			sb.WriteRune(r)
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// sarifText makes s safe to show: the text format's clean (control
// characters, ESC, bidirectional overrides and invalid UTF-8 shown as Go
// escapes) applied line by line, keeping line breaks. JSON encoding would
// carry control characters safely, but SARIF viewers display message text
// as is, on terminals too, and it quotes hostile hosts.
func sarifText(s string) string {
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		lines[i] = clean(line)
	}
	return strings.Join(lines, "\n")
}

// sarifLine is sarifText for one-line values (ids, names): line breaks
// are shown as \n.
func sarifLine(s string) string { return clean(s) }
