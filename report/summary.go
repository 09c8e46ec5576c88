package report

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gcrun/gcrun/engine/result"
)

// DefaultSummaryTop is the length of the worst-hosts and worst-rules lists
// when SummaryOptions.Top is 0.
const DefaultSummaryTop = 10

// maxSummaryFileSize bounds what Summarize reads of one file. A 217-rule
// report is about 350 kB; anything near this is not a report, and reading
// it whole could exhaust memory.
const maxSummaryFileSize = 64 << 20

// SummaryOptions controls Summarize and SummarizeReports.
type SummaryOptions struct {
	// Keys, when not nil, makes signatures mandatory: every report must be
	// a DSSE envelope (see Sign) with a valid signature by one of these
	// keys; plain reports are rejected as unsigned and bad or foreign
	// signatures as failed verification, each listed in Problems and not
	// counted. An empty, non-nil KeyRing accepts nothing: it fails closed
	// rather than turning verification off. When Keys is nil, envelopes
	// are read without checking their signatures and the hosts are marked
	// unverified. SummarizeReports ignores Keys.
	Keys KeyRing
	// Top is the length of the worst-hosts and worst-rules lists;
	// 0 means DefaultSummaryTop, a negative value lists them all.
	Top int
	// Workers is the number of files read and decoded at once; 0 means
	// GOMAXPROCS.
	Workers int
	// Progress, if not nil, is called with the number of files done and
	// the total: once with done 0 when the inputs have been listed, then
	// after each file. It is called from the goroutine that called
	// Summarize, never concurrently, so it may draw a progress bar
	// without locking; while it runs, no further results are collected.
	Progress func(done, total int)
}

// The values of FleetHost.Signature.
const (
	// SignatureVerified: a signed report whose signature was checked
	// against SummaryOptions.Keys.
	SignatureVerified = "verified"
	// SignatureUnverified: a signed report read without checking the
	// signature (no keys were given).
	SignatureUnverified = "unverified"
	// SignatureUnsigned: a plain report (accepted only without keys).
	SignatureUnsigned = "unsigned"
)

// The values of FleetProblem.Kind.
const (
	// ProblemUnreadable: the file could not be read (missing, not a
	// regular file, permission denied, too large).
	ProblemUnreadable = "unreadable"
	// ProblemInvalid: not JSON, not a gcrun report, an unsupported schema
	// version, a field of the wrong type, or a malformed envelope when no
	// keys were given.
	ProblemInvalid = "invalid"
	// ProblemUnsigned: a plain report when keys were given.
	ProblemUnsigned = "unsigned"
	// ProblemVerificationFailed: a signed report whose envelope or
	// signature did not pass verification against the keys.
	ProblemVerificationFailed = "verification_failed"
)

// FleetSummary sums up the latest reports of many hosts. Summarize and
// SummarizeReports build it; WriteSummaryText, WriteSummaryJSON and
// WriteSummaryHTML render it. Every list is non-nil, so the JSON has []
// rather than null, and everything is sorted, so the summary is a
// deterministic function of the reports whatever order they were read in.
type FleetSummary struct {
	// Totals are the headline counts.
	Totals FleetTotals `json:"totals"`
	// SignaturesRequired says keys were given (SummaryOptions.Keys).
	SignaturesRequired bool `json:"signaturesRequired"`
	// WorstHosts are the non-compliant hosts with the lowest scores, at
	// most Top of them: by score (lowest first), then the number of rules
	// failing or in error (most first), then hostname.
	WorstHosts []FleetHost `json:"worstHosts"`
	// WorstRules are the rules failing or in error on the most hosts, at
	// most Top of them: by that number (most first), then severity
	// (critical first), then FailPercent (highest first), then baseline
	// and id.
	WorstRules []FleetRule `json:"worstRules"`
	// Hosts has one entry per host, its latest report, sorted by
	// hostname, machine id and path.
	Hosts []FleetHost `json:"hosts"`
	// Rules has one entry per rule (baseline and id) found in the
	// counted reports, sorted by baseline and id.
	Rules []FleetRule `json:"rules"`
	// Duplicates lists the hosts with more than one report: only the
	// latest one is counted.
	Duplicates []FleetDuplicate `json:"duplicates"`
	// Problems lists the files that were not counted and why, sorted by
	// path.
	Problems []FleetProblem `json:"problems"`
}

// FleetTotals are a fleet summary's headline counts.
type FleetTotals struct {
	// Files is the number of files considered (inputs given directly, and
	// *.json files found in input directories); for SummarizeReports the
	// number of reports.
	Files int `json:"files"`
	// Hosts is the number of hosts counted, one report each.
	Hosts int `json:"hosts"`
	// Compliant and NonCompliant split Hosts; CompliantPercent is
	// Compliant as a percentage of Hosts (0 without hosts).
	Compliant        int     `json:"compliant"`
	NonCompliant     int     `json:"nonCompliant"`
	CompliantPercent float64 `json:"compliantPercent"`
	// AverageScore is the mean of the hosts' scores (0 without hosts).
	AverageScore float64 `json:"averageScore"`
	// Superseded counts the reports not counted because a later report
	// of the same host was (see Duplicates).
	Superseded int `json:"superseded"`
	// Problems counts the files listed in FleetSummary.Problems.
	Problems int `json:"problems"`
	// Verified, Unverified and Unsigned split Hosts by FleetHost.Signature.
	Verified   int `json:"verified"`
	Unverified int `json:"unverified"`
	Unsigned   int `json:"unsigned"`
	// OldestReport and NewestReport are the earliest and latest end times
	// of the counted reports (zero without hosts): a stale host shows up
	// as an old OldestReport.
	OldestReport time.Time `json:"oldestReport"`
	NewestReport time.Time `json:"newestReport"`
}

// FleetHost is one host's latest report, summed up.
type FleetHost struct {
	// Hostname and MachineID are the report's; OS is its PRETTY_NAME (or
	// ID and VERSION_ID).
	Hostname  string `json:"hostname"`
	MachineID string `json:"machineId"`
	OS        string `json:"os"`
	// Path is the file the report was read from; for SummarizeReports
	// "reports[i]".
	Path string `json:"path"`
	// EndTime is the end of the scan.
	EndTime time.Time `json:"endTime"`
	// ComplianceStatus is NonCompliant when a rule fails or is in error,
	// or when the report itself says NonCompliant (the worse wins).
	ComplianceStatus string `json:"complianceStatus"`
	// Summary counts the host's rules by status. A rule listed twice in
	// one report (only in a hand-made one) counts once, with the worse
	// status; a status gcrun does not define counts as error.
	Summary Summary `json:"summary"`
	// Score is the percentage of the rules that could fail that pass:
	// pass / (pass + fail + error) * 100, rounded to one decimal.
	// not_applicable and waived rules are left out (they neither pass nor
	// fail); a host where no rule could fail scores 100, as a report
	// without failures is Compliant.
	Score float64 `json:"score"`
	// Signature is SignatureVerified, SignatureUnverified or
	// SignatureUnsigned; empty for SummarizeReports.
	Signature string `json:"signature,omitempty"`
	// KeyID is the key that verified the signature (SignatureVerified
	// only).
	KeyID string `json:"keyId,omitempty"`
}

// FleetRule is one rule across the fleet.
type FleetRule struct {
	// Baseline and ID identify the rule; Title and Severity are those of
	// the newest report that lists it.
	Baseline string          `json:"baseline"`
	ID       string          `json:"id"`
	Title    string          `json:"title"`
	Severity result.Severity `json:"severity"`
	// Summary counts hosts by the rule's status on them; Total is the
	// number of hosts whose report lists the rule.
	Summary Summary `json:"summary"`
	// FailPercent is the percentage of the hosts where the rule applies
	// on which it fails or is in error: (fail + error) / (pass + fail +
	// error) * 100, rounded to one decimal; 0 when it applies nowhere.
	// Like Score, it leaves out hosts where the rule is not applicable or
	// waived.
	FailPercent float64 `json:"failPercent"`
}

// FleetDuplicate is a host with several reports.
type FleetDuplicate struct {
	// Hostname and MachineID identify the host (of the kept report).
	Hostname  string `json:"hostname"`
	MachineID string `json:"machineId"`
	// Kept is the path of the report counted: the one with the latest
	// end time, and of equal end times the one whose path sorts last.
	Kept string `json:"kept"`
	// Superseded are the paths of the others, sorted.
	Superseded []string `json:"superseded"`
	// Hostnames lists, sorted, the different hostnames the reports give
	// when they share a machine id but not a hostname: a renamed host, or
	// clones of an image that kept its /etc/machine-id, which the summary
	// cannot tell apart and counts as one host. Absent otherwise.
	Hostnames []string `json:"hostnames,omitempty"`
}

// FleetProblem is a file that was not counted.
type FleetProblem struct {
	// Path is the file (or input) concerned.
	Path string `json:"path"`
	// Kind is ProblemUnreadable, ProblemInvalid, ProblemUnsigned or
	// ProblemVerificationFailed.
	Kind string `json:"kind"`
	// Error says what is wrong.
	Error string `json:"error"`
}

// KeyRing holds the public keys a fleet summary accepts signatures from,
// by key ID (KeyID). A signature's keyid picks the key that must verify it.
type KeyRing map[string]ed25519.PublicKey

// NewKeyRing returns a KeyRing holding keys.
func NewKeyRing(keys ...ed25519.PublicKey) (KeyRing, error) {
	ring := KeyRing{}
	for i, k := range keys {
		id := KeyID(k)
		if id == "" {
			return nil, fmt.Errorf("key ring: key %d is %d bytes, want an ed25519 public key of %d", i, len(k), ed25519.PublicKeySize)
		}
		ring[id] = k
	}
	return ring, nil
}

// LoadKeyRing reads public keys (PEM "PUBLIC KEY" files, see
// ParsePublicKeyPEM) from paths, each a file or a directory whose *.pem
// files are all read (not recursively). Unlike report files, key files are
// configuration: any that cannot be read or parsed is an error, and so is a
// directory without *.pem files, since a silently smaller key ring would
// reject hosts for the wrong reason and an empty one everything.
func LoadKeyRing(paths ...string) (KeyRing, error) {
	ring := KeyRing{}
	load := func(path string) error {
		data, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("key ring: %w", err)
		}
		pub, err := ParsePublicKeyPEM(data)
		if err != nil {
			return fmt.Errorf("key ring: %s: %w", path, err)
		}
		ring[KeyID(pub)] = pub
		return nil
	}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("key ring: %w", err)
		}
		if !fi.IsDir() {
			if err := load(p); err != nil {
				return nil, err
			}
			continue
		}
		matches, err := filepath.Glob(filepath.Join(p, "*.pem"))
		if err != nil {
			return nil, fmt.Errorf("key ring: %w", err)
		}
		if len(matches) == 0 {
			return nil, fmt.Errorf("key ring: no *.pem files in directory %s", p)
		}
		for _, m := range matches {
			if err := load(m); err != nil {
				return nil, err
			}
		}
	}
	return ring, nil
}

// Summarize reads the reports in inputs and sums them up. Each input is a
// file, read whatever its name, or a directory, walked recursively for
// regular files named *.json (symbolic links to directories are not
// followed, so links cannot make the walk loop). Files are read
// concurrently (SummaryOptions.Workers) and may be plain reports or DSSE
// envelopes (Sign); see SummaryOptions.Keys for signatures.
//
// No file can make the summary fail: one that cannot be read or is not a
// usable report is listed in Problems with the reason and otherwise
// ignored, and so is an input that does not exist. Summarize returns an
// error only when ctx is cancelled. When a host (by machine id, or by
// hostname for reports without one) has several reports, only the latest
// is counted and the others are listed in Duplicates (with the hostnames,
// when reports sharing a machine id disagree on it).
//
// Summarize reads only the fields a summary needs, without the schema
// validation Validate and Verify do (which takes ten times longer), but
// checks the whole file is JSON, that it is a report of schema version
// 1.x, and that the fields it reads have the right types. Signatures are
// checked exactly as Verify checks them. The numbers are computed from the
// rules, never taken from a report's summary.
func Summarize(ctx context.Context, inputs []string, opts SummaryOptions) (*FleetSummary, error) {
	files, problems := expandInputs(inputs)
	total := len(files)
	if opts.Progress != nil {
		opts.Progress(0, total)
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, total))

	jobs := make(chan int)
	results := make(chan fileResult, workers)
	tables := make([]*ruleTable, workers)
	var wg sync.WaitGroup
	for w := range workers {
		sw := &summaryWorker{keys: opts.Keys, table: newRuleTable(), id: w}
		tables[w] = sw.table
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				results <- sw.process(files[i])
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range files {
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()

	var hosts []*hostReport
	done := 0
	for res := range results {
		if res.problem != nil {
			problems = append(problems, *res.problem)
		} else {
			hosts = append(hosts, res.host)
		}
		done++
		if opts.Progress != nil {
			opts.Progress(done, total)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("summarize: %w", err)
	}
	return buildSummary(len(files), hosts, tables, problems, opts.Keys != nil, opts.Top), nil
}

// SummarizeReports sums up reports already in memory, as Summarize does
// files (opts.Keys, Workers and Progress are ignored). A report's path is
// "reports[i]"; a nil report is listed as a problem.
func SummarizeReports(reports []*Report, opts SummaryOptions) *FleetSummary {
	table := newRuleTable()
	var hosts []*hostReport
	var problems []FleetProblem
	for i, r := range reports {
		path := fmt.Sprintf("reports[%d]", i)
		if r == nil {
			problems = append(problems, FleetProblem{Path: path, Kind: ProblemInvalid, Error: "nil report"})
			continue
		}
		h := &hostReport{
			path:      path,
			hostname:  r.Host.Hostname,
			machineID: r.Host.MachineID,
			osName:    osDisplayName(r.Host.OS.PrettyName, r.Host.OS.ID, r.Host.OS.VersionID),
			endTime:   r.EndTime,
			compliant: r.ComplianceStatus == Compliant,
		}
		table.begin()
		for _, rr := range r.Rules {
			addRule(table, h, rr.Baseline, rr.ID, rr.Title, string(rr.Severity), string(rr.Status))
		}
		hosts = append(hosts, h)
	}
	return buildSummary(len(reports), hosts, []*ruleTable{table}, problems, false, opts.Top)
}

func osDisplayName(pretty, id, version string) string {
	if pretty != "" {
		return pretty
	}
	return strings.TrimSpace(id + " " + version)
}

// expandInputs lists the files to read, in input order (directories in
// lexical order), each once; inputs that cannot be listed are problems.
func expandInputs(inputs []string) ([]string, []FleetProblem) {
	var files []string
	var problems []FleetProblem
	seen := map[string]bool{}
	add := func(p string) {
		if c := filepath.Clean(p); !seen[c] {
			seen[c] = true
			files = append(files, p)
		}
	}
	for _, in := range inputs {
		fi, err := os.Stat(in)
		if err != nil {
			problems = append(problems, FleetProblem{Path: in, Kind: ProblemUnreadable, Error: err.Error()})
			continue
		}
		if !fi.IsDir() {
			add(in)
			continue
		}
		// The callback never returns an error, so WalkDir cannot fail.
		_ = filepath.WalkDir(in, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				problems = append(problems, FleetProblem{Path: p, Kind: ProblemUnreadable, Error: err.Error()})
				return nil
			}
			if !d.IsDir() && strings.HasSuffix(d.Name(), ".json") {
				add(p)
			}
			return nil
		})
	}
	return files, problems
}

// fileResult is one file's outcome: a host report or a problem.
type fileResult struct {
	host    *hostReport
	problem *FleetProblem
}

// Status codes of hostRule, and their order of badness for merging a rule
// listed twice (lower is worse).
const (
	codeError uint8 = iota
	codeFail
	codeWaived
	codeNotApplicable
	codePass
	numCodes
)

func statusCode[S ~string | ~[]byte](s S) uint8 {
	switch string(s) {
	case string(result.StatusPass):
		return codePass
	case string(result.StatusFail):
		return codeFail
	case string(result.StatusNotApplicable):
		return codeNotApplicable
	case string(result.StatusWaived):
		return codeWaived
	}
	// Error, and (fail closed) any status gcrun does not define.
	return codeError
}

// hostReport is one report, reduced to what the summary needs.
type hostReport struct {
	path                        string
	hostname, machineID, osName string
	endTime                     time.Time
	compliant                   bool // complianceStatus says Compliant
	signature, keyID            string
	table                       int // index of the ruleTable rules refer to
	rules                       []hostRule
}

type hostRule struct {
	idx    uint32 // into the ruleTable
	status uint8
}

// identity is the key under which reports are taken to be of the same
// host: the machine id, or the hostname when there is none.
func (h *hostReport) identity() string {
	if h.machineID != "" {
		return "machine-id\x00" + h.machineID
	}
	return "hostname\x00" + h.hostname
}

// newer reports whether report a is later than report b: by end time, then
// by path.
func newer(aTime time.Time, aPath string, bTime time.Time, bPath string) bool {
	if !aTime.Equal(bTime) {
		return aTime.After(bTime)
	}
	return aPath > bPath
}

// ruleTable interns rules (baseline, id) for one worker, so that a host
// report holds small indexes instead of strings, and no lock is shared
// between workers.
type ruleTable struct {
	index map[string]uint32
	rules []tableRule
	stamp []uint32 // per rule, the seq of the last report that listed it
	seq   uint32
	key   []byte
}

type tableRule struct {
	baseline, id, title string
	severity            result.Severity
	// The report the title and severity come from: the newest.
	rankTime time.Time
	rankPath string
}

func newRuleTable() *ruleTable { return &ruleTable{index: map[string]uint32{}} }

// begin starts adding the rules of a new report.
func (t *ruleTable) begin() { t.seq++ }

// addRule adds one rule of the current report.
func addRule[S ~string | ~[]byte](t *ruleTable, h *hostReport, baseline, id, title, severity, status S) {
	t.key = append(append(append(t.key[:0], baseline...), 0), id...)
	idx, ok := t.index[string(t.key)]
	if !ok {
		idx = uint32(len(t.rules))
		t.index[string(t.key)] = idx
		t.rules = append(t.rules, tableRule{
			baseline: string(baseline), id: string(id), title: string(title), severity: result.Severity(severity),
			rankTime: h.endTime, rankPath: h.path,
		})
		t.stamp = append(t.stamp, 0)
	} else if tr := &t.rules[idx]; newer(h.endTime, h.path, tr.rankTime, tr.rankPath) {
		if tr.title != string(title) {
			tr.title = string(title)
		}
		if string(tr.severity) != string(severity) {
			tr.severity = result.Severity(severity)
		}
		tr.rankTime, tr.rankPath = h.endTime, h.path
	}
	code := statusCode(status)
	if t.stamp[idx] == t.seq {
		// Listed twice in this report: keep the worse status.
		for i := range h.rules {
			if h.rules[i].idx == idx && code < h.rules[i].status {
				h.rules[i].status = code
			}
		}
		return
	}
	t.stamp[idx] = t.seq
	h.rules = append(h.rules, hostRule{idx: idx, status: code})
}

// summaryWorker reads and decodes files; each has its own buffers and rule
// table.
type summaryWorker struct {
	id    int
	keys  KeyRing
	table *ruleTable
	doc   scanDoc
	// Reused between files, so that reading 10,000 reports does not
	// allocate gigabytes: the file, a signed report's payload, and the
	// bytes its signature covers.
	buf, payload, pae []byte
}

func (w *summaryWorker) process(path string) fileResult {
	problem := func(kind string, err error) fileResult {
		return fileResult{problem: &FleetProblem{Path: path, Kind: kind, Error: err.Error()}}
	}
	data, err := w.read(path)
	if err != nil {
		return problem(ProblemUnreadable, err)
	}
	w.buf = data[:0]
	if err := scanDocument(data, &w.doc); err != nil {
		return problem(ProblemInvalid, fmt.Errorf("not JSON: %w", err))
	}
	signature, keyID := SignatureUnsigned, ""
	switch {
	case w.doc.envelope:
		env, err := envelopeFromScan(&w.doc, w.payload)
		if err != nil {
			if w.keys != nil {
				return problem(ProblemVerificationFailed, err)
			}
			return problem(ProblemInvalid, err)
		}
		w.payload = env.payload[:0]
		signature = SignatureUnverified
		if w.keys != nil {
			if keyID, w.pae, err = verifyEnvelope(env, w.keys, w.pae); err != nil {
				return problem(ProblemVerificationFailed, err)
			}
			signature = SignatureVerified
		}
		if err := scanDocument(env.payload, &w.doc); err != nil {
			return problem(ProblemInvalid, fmt.Errorf("signed payload is not JSON: %w", err))
		}
		if w.doc.envelope {
			return problem(ProblemInvalid, errors.New("signed payload is an envelope, not a report"))
		}
	case w.keys != nil:
		return problem(ProblemUnsigned, fmt.Errorf("%w: a plain report, and signatures are required", ErrUnsigned))
	}
	h, err := w.hostReport(path)
	if err != nil {
		return problem(ProblemInvalid, err)
	}
	h.signature, h.keyID = signature, keyID
	return fileResult{host: h}
}

// read reads path into the worker's buffer, refusing anything but a
// regular file of at most maxSummaryFileSize bytes. The file is checked
// before it is opened: opening a FIFO would block.
func (w *summaryWorker) read(path string) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file (%s)", path, fi.Mode().Type())
	}
	if fi.Size() > maxSummaryFileSize {
		return nil, fmt.Errorf("%s: %d bytes, more than the %d a report may have", path, fi.Size(), maxSummaryFileSize)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := w.buf[:0]
	if want := int(fi.Size()) + 512; cap(buf) < want {
		buf = make([]byte, 0, want)
	}
	for {
		if len(buf) == cap(buf) {
			if len(buf) > maxSummaryFileSize {
				return nil, fmt.Errorf("%s: more than the %d bytes a report may have", path, maxSummaryFileSize)
			}
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// hostReport converts the scanned report in w.doc, copying what it keeps
// (the buffer is reused).
func (w *summaryWorker) hostReport(path string) (*hostReport, error) {
	d := &w.doc
	if !d.hasSchemaVersion {
		return nil, errors.New("not a gcrun report: no schemaVersion")
	}
	if !bytes.HasPrefix(d.schemaVersion, []byte("1.")) {
		return nil, fmt.Errorf("unsupported report schema version %q (this gcrun reads 1.x)", d.schemaVersion)
	}
	if d.typeErr != nil {
		return nil, fmt.Errorf("not a valid report: %w", d.typeErr)
	}
	if d.endTime == nil {
		return nil, errors.New("not a valid report: no endTime")
	}
	end, err := time.Parse(time.RFC3339Nano, string(d.endTime))
	if err != nil {
		return nil, fmt.Errorf("not a valid report: endTime: %w", err)
	}
	h := &hostReport{
		path:      path,
		hostname:  string(d.hostname),
		machineID: string(d.machineID),
		osName:    osDisplayName(string(d.osPretty), string(d.osID), string(d.osVersion)),
		endTime:   end,
		compliant: string(d.complianceStatus) == Compliant,
		table:     w.id,
		rules:     make([]hostRule, 0, len(d.rules)),
	}
	w.table.begin()
	for i := range d.rules {
		r := &d.rules[i]
		addRule(w.table, h, r.baseline, r.id, r.title, r.severity, r.status)
	}
	return h, nil
}

// envelopeFromScan checks a scanned envelope exactly as parseEnvelope does,
// in the same order and with the same errors, and decodes it, the payload
// into buf when it is large enough. The equivalence is tested
// (FuzzSummaryEnvelope).
func envelopeFromScan(d *scanDoc, buf []byte) (*envelope, error) {
	if d.dup {
		return nil, fmt.Errorf("%w: duplicate member %q", ErrMalformedEnvelope, d.dupMember)
	}
	switch {
	case d.payloadTypeBad:
		return nil, fmt.Errorf("%w: payloadType is not a string", ErrPayloadType)
	case !d.payloadTypeSet:
		return nil, fmt.Errorf("%w: missing payloadType, want %q", ErrPayloadType, MediaType)
	case string(d.payloadType) != MediaType:
		return nil, fmt.Errorf("%w: payloadType %q, want %q", ErrPayloadType, d.payloadType, MediaType)
	}
	switch {
	case d.payloadBad:
		return nil, fmt.Errorf("%w: payload is not a string", ErrMalformedEnvelope)
	case !d.payloadSet:
		return nil, fmt.Errorf("%w: missing payload", ErrMalformedEnvelope)
	}
	payload, err := decodeBase64Bytes(buf, d.payload)
	if err != nil {
		return nil, fmt.Errorf("%w: payload is not standard base64: %v", ErrMalformedEnvelope, err)
	}
	switch {
	case !d.signaturesSeen || d.signaturesNul:
		return nil, fmt.Errorf("%w: the envelope has no signatures", ErrUnsigned)
	case d.signaturesNotArray:
		return nil, fmt.Errorf("%w: signatures is not an array", ErrMalformedEnvelope)
	case len(d.sigs) == 0:
		return nil, fmt.Errorf("%w: the envelope's signature list is empty", ErrUnsigned)
	}
	env := &envelope{payloadType: MediaType, payload: payload}
	for i, s := range d.sigs {
		switch {
		case s.notObject:
			return nil, fmt.Errorf("%w: signature %d: not a JSON object", ErrMalformedEnvelope, i)
		case s.dup:
			return nil, fmt.Errorf("%w: signature %d: duplicate member", ErrMalformedEnvelope, i)
		case s.keyIDBad:
			return nil, fmt.Errorf("%w: signature %d: keyid is not a string", ErrMalformedEnvelope, i)
		case s.sigBad:
			return nil, fmt.Errorf("%w: signature %d: sig is not a string", ErrMalformedEnvelope, i)
		}
		env.signatures = append(env.signatures, signature{keyID: string(s.keyID), sig: string(s.sig), hasSig: s.sigSet})
	}
	return env, nil
}

// decodeBase64Bytes is decodeBase64 without its round trip through a
// string, decoding into buf when it is large enough: strict, padded,
// standard base64, in canonical form. Strict decoding already rejects
// non-zero padding bits, so the only non-canonical input it accepts is one
// with line breaks, which are rejected first.
func decodeBase64Bytes(buf, s []byte) ([]byte, error) {
	if bytes.IndexByte(s, '\n') >= 0 || bytes.IndexByte(s, '\r') >= 0 {
		return nil, errors.New("not in canonical form (contains line breaks)")
	}
	out := buf[:cap(buf)]
	if n := base64.StdEncoding.DecodedLen(len(s)); len(out) < n {
		out = make([]byte, n)
	}
	n, err := base64.StdEncoding.Strict().Decode(out, s)
	if err != nil {
		return nil, err
	}
	return out[:n], nil
}

// verifyEnvelope checks env's signatures against keys exactly as Verify
// checks them against one key: signatures by unknown keys are ignored, at
// least one must be by a known key, and every one by a known key must be
// valid. It returns the key ID of the first valid signature, and the
// signed bytes, PAE(payloadType, payload), built in scratch (reuse them as
// the next call's scratch). Unlike Verify, it does not validate the
// payload against the schema.
func verifyEnvelope(env *envelope, keys KeyRing, scratch []byte) (string, []byte, error) {
	pae := appendPAE(scratch[:0], env.payloadType, env.payload)
	signer, err := verifySignatures(env, keys, pae)
	return signer, pae, err
}

// appendPAE appends PAE(payloadType, payload) to dst.
func appendPAE(dst []byte, payloadType string, payload []byte) []byte {
	dst = append(dst, "DSSEv1 "...)
	dst = strconv.AppendInt(dst, int64(len(payloadType)), 10)
	dst = append(dst, ' ')
	dst = append(dst, payloadType...)
	dst = append(dst, ' ')
	dst = strconv.AppendInt(dst, int64(len(payload)), 10)
	dst = append(dst, ' ')
	return append(dst, payload...)
}

func verifySignatures(env *envelope, keys KeyRing, pae []byte) (string, error) {
	var ours, anonymous int
	var others []string
	signer := ""
	for i, s := range env.signatures {
		if s.keyID == "" {
			anonymous++
			continue
		}
		pub, known := keys[s.keyID]
		if !known {
			others = append(others, s.keyID)
			continue
		}
		ours++
		if !s.hasSig {
			return "", fmt.Errorf("%w: signature %d (keyid %s) has no sig", ErrBadSignature, i, s.keyID)
		}
		sig, err := decodeBase64(s.sig)
		if err != nil {
			return "", fmt.Errorf("%w: signature %d (keyid %s): sig is not standard base64: %v", ErrBadSignature, i, s.keyID, err)
		}
		if len(sig) != ed25519.SignatureSize {
			return "", fmt.Errorf("%w: signature %d (keyid %s) is %d bytes, want %d", ErrBadSignature, i, s.keyID, len(sig), ed25519.SignatureSize)
		}
		if len(pub) != ed25519.PublicKeySize || !ed25519.Verify(pub, pae, sig) {
			return "", fmt.Errorf("%w: signature %d (keyid %s) does not match the payload: the report was modified or the signature is not by this key", ErrBadSignature, i, s.keyID)
		}
		if signer == "" {
			signer = s.keyID
		}
	}
	if ours == 0 {
		if len(others) == 0 {
			return "", fmt.Errorf("%w: %d signature(s) without keyid; want one by one of %d known keys", ErrMissingKeyID, anonymous, len(keys))
		}
		return "", fmt.Errorf("%w: signed by %s, none of the %d known keys", ErrWrongKey, quoteList(others, 3), len(keys))
	}
	return signer, nil
}

// buildSummary keeps the latest report per host and computes everything.
func buildSummary(files int, reports []*hostReport, tables []*ruleTable, problems []FleetProblem, keysGiven bool, top int) *FleetSummary {
	if top == 0 {
		top = DefaultSummaryTop
	}
	s := &FleetSummary{
		Totals:             FleetTotals{Files: files},
		SignaturesRequired: keysGiven,
		WorstHosts:         []FleetHost{}, WorstRules: []FleetRule{},
		Hosts: []FleetHost{}, Rules: []FleetRule{},
		Duplicates: []FleetDuplicate{}, Problems: []FleetProblem{},
	}

	// The latest report per host; the rest are superseded.
	byHost := map[string][]*hostReport{}
	for _, h := range reports {
		byHost[h.identity()] = append(byHost[h.identity()], h)
	}
	var counted []*hostReport
	for _, group := range byHost {
		sort.Slice(group, func(i, j int) bool {
			return newer(group[i].endTime, group[i].path, group[j].endTime, group[j].path)
		})
		counted = append(counted, group[0])
		if len(group) > 1 {
			dup := FleetDuplicate{Hostname: group[0].hostname, MachineID: group[0].machineID, Kept: group[0].path}
			names := map[string]bool{group[0].hostname: true}
			for _, h := range group[1:] {
				dup.Superseded = append(dup.Superseded, h.path)
				names[h.hostname] = true
			}
			sort.Strings(dup.Superseded)
			if len(names) > 1 {
				dup.Hostnames = sortedKeys(names)
			}
			s.Duplicates = append(s.Duplicates, dup)
			s.Totals.Superseded += len(group) - 1
		}
	}
	sort.Slice(s.Duplicates, func(i, j int) bool {
		a, b := s.Duplicates[i], s.Duplicates[j]
		if a.Hostname != b.Hostname {
			return a.Hostname < b.Hostname
		}
		if a.MachineID != b.MachineID {
			return a.MachineID < b.MachineID
		}
		return a.Kept < b.Kept
	})

	// One fleet-wide rule per (baseline, id) across the workers' tables,
	// titled after the newest report listing it.
	type fleetRuleAcc struct {
		tr     tableRule
		counts [numCodes]int
	}
	global := map[string]int{}
	var accs []*fleetRuleAcc
	remap := make([][]int, len(tables))
	for ti, t := range tables {
		remap[ti] = make([]int, len(t.rules))
		for li, tr := range t.rules {
			key := tr.baseline + "\x00" + tr.id
			gi, ok := global[key]
			if !ok {
				gi = len(accs)
				global[key] = gi
				accs = append(accs, &fleetRuleAcc{tr: tr})
			} else if newer(tr.rankTime, tr.rankPath, accs[gi].tr.rankTime, accs[gi].tr.rankPath) {
				accs[gi].tr = tr
			}
			remap[ti][li] = gi
		}
	}

	scoreSum := 0.0
	for _, h := range counted {
		var c [numCodes]int
		for _, hr := range h.rules {
			c[hr.status]++
			accs[remap[h.table][hr.idx]].counts[hr.status]++
		}
		sum := summaryOf(c)
		fh := FleetHost{
			Hostname: h.hostname, MachineID: h.machineID, OS: h.osName, Path: h.path,
			EndTime: h.endTime, Summary: sum, Signature: h.signature, KeyID: h.keyID,
			ComplianceStatus: Compliant,
			Score:            100,
		}
		if sum.Fail+sum.Error > 0 || !h.compliant {
			fh.ComplianceStatus = NonCompliant
		}
		if d := sum.Pass + sum.Fail + sum.Error; d > 0 {
			fh.Score = 100 * float64(sum.Pass) / float64(d)
		}
		scoreSum += fh.Score
		fh.Score = round1(fh.Score)
		s.Hosts = append(s.Hosts, fh)

		t := &s.Totals
		t.Hosts++
		if fh.ComplianceStatus == Compliant {
			t.Compliant++
		} else {
			t.NonCompliant++
		}
		switch h.signature {
		case SignatureVerified:
			t.Verified++
		case SignatureUnverified:
			t.Unverified++
		case SignatureUnsigned:
			t.Unsigned++
		}
		if t.Hosts == 1 || h.endTime.Before(t.OldestReport) {
			t.OldestReport = h.endTime
		}
		if t.Hosts == 1 || h.endTime.After(t.NewestReport) {
			t.NewestReport = h.endTime
		}
	}
	if n := s.Totals.Hosts; n > 0 {
		s.Totals.CompliantPercent = round1(100 * float64(s.Totals.Compliant) / float64(n))
		s.Totals.AverageScore = round1(scoreSum / float64(n))
	}
	sort.Slice(s.Hosts, func(i, j int) bool { return hostLess(s.Hosts[i], s.Hosts[j]) })

	for _, a := range accs {
		sum := summaryOf(a.counts)
		if sum.Total == 0 {
			continue // only in superseded reports
		}
		fr := FleetRule{Baseline: a.tr.baseline, ID: a.tr.id, Title: a.tr.title, Severity: a.tr.severity, Summary: sum}
		if d := sum.Pass + sum.Fail + sum.Error; d > 0 {
			fr.FailPercent = round1(100 * float64(sum.Fail+sum.Error) / float64(d))
		}
		s.Rules = append(s.Rules, fr)
	}
	sort.Slice(s.Rules, func(i, j int) bool {
		a, b := s.Rules[i], s.Rules[j]
		if a.Baseline != b.Baseline {
			return a.Baseline < b.Baseline
		}
		return a.ID < b.ID
	})

	for _, h := range s.Hosts {
		if h.ComplianceStatus != Compliant {
			s.WorstHosts = append(s.WorstHosts, h)
		}
	}
	sort.SliceStable(s.WorstHosts, func(i, j int) bool {
		a, b := s.WorstHosts[i], s.WorstHosts[j]
		if a.Score != b.Score {
			return a.Score < b.Score
		}
		if fa, fb := a.Summary.Fail+a.Summary.Error, b.Summary.Fail+b.Summary.Error; fa != fb {
			return fa > fb
		}
		return hostLess(a, b)
	})
	for _, r := range s.Rules {
		if r.Summary.Fail+r.Summary.Error > 0 {
			s.WorstRules = append(s.WorstRules, r)
		}
	}
	sort.SliceStable(s.WorstRules, func(i, j int) bool {
		a, b := s.WorstRules[i], s.WorstRules[j]
		if fa, fb := a.Summary.Fail+a.Summary.Error, b.Summary.Fail+b.Summary.Error; fa != fb {
			return fa > fb
		}
		if ra, rb := sevRank(a.Severity), sevRank(b.Severity); ra != rb {
			return ra < rb
		}
		if a.FailPercent != b.FailPercent {
			return a.FailPercent > b.FailPercent
		}
		if a.Baseline != b.Baseline {
			return a.Baseline < b.Baseline
		}
		return a.ID < b.ID
	})
	if top > 0 {
		s.WorstHosts = s.WorstHosts[:min(top, len(s.WorstHosts))]
		s.WorstRules = s.WorstRules[:min(top, len(s.WorstRules))]
	}

	s.Problems = append(s.Problems, problems...)
	sort.SliceStable(s.Problems, func(i, j int) bool {
		if s.Problems[i].Path != s.Problems[j].Path {
			return s.Problems[i].Path < s.Problems[j].Path
		}
		return s.Problems[i].Kind < s.Problems[j].Kind
	})
	s.Totals.Problems = len(s.Problems)
	return s
}

func summaryOf(c [numCodes]int) Summary {
	s := Summary{
		Pass: c[codePass], Fail: c[codeFail], NotApplicable: c[codeNotApplicable],
		Error: c[codeError], Waived: c[codeWaived],
	}
	s.Total = s.Pass + s.Fail + s.NotApplicable + s.Error + s.Waived
	return s
}

func hostLess(a, b FleetHost) bool {
	if a.Hostname != b.Hostname {
		return a.Hostname < b.Hostname
	}
	if a.MachineID != b.MachineID {
		return a.MachineID < b.MachineID
	}
	return a.Path < b.Path
}

// sevRank orders severities, critical first and unknown ones last.
func sevRank(s result.Severity) int {
	if r, ok := severityRank[s]; ok {
		return r
	}
	return len(severityRank)
}

// round1 rounds to one decimal, so that percentages print and compare
// stably.
func round1(x float64) float64 { return math.Round(x*10) / 10 }
