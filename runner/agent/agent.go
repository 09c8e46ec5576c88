// Package agent is gcrun's guest-configuration loop for any machine: it
// pulls signed bundles, evaluates them on a schedule (auditing, applying or
// autocorrecting, per assignment), signs each report with the host's key,
// spools it on disk before delivery, and delivers it outbound-only until
// the receiver acknowledges it. Nothing is lost on a crash, a network
// outage or a stuck pack; nothing is delivered twice into the receiver's
// storage (the report id is the idempotency key).
package agent

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/gcrun/gcrun/engine"
	"github.com/gcrun/gcrun/report"
	"github.com/gcrun/gcrun/runner"
	"github.com/gcrun/gcrun/runner/agent/bundles"
	"github.com/gcrun/gcrun/runner/agent/config"
	"github.com/gcrun/gcrun/runner/agent/deliver"
	"github.com/gcrun/gcrun/runner/agent/identity"
	"github.com/gcrun/gcrun/runner/agent/spool"
	"github.com/sirupsen/logrus"
)

// EvaluateFunc evaluates one assignment from its bundle and returns the
// report (unsigned, without the agent section). Tests replace it.
type EvaluateFunc func(ctx context.Context, a config.Assignment, b bundles.Bundle) (*report.Report, error)

// Options configure New.
type Options struct {
	Config      *config.Config
	ToolVersion string
	Logger      logrus.FieldLogger
	// Now and Rand make time and jitter injectable; nil are the real ones.
	Now  func() time.Time
	Rand func() float64
	// Client overrides the HTTP client built from the configuration
	// (tests with httptest TLS servers).
	Client *http.Client
	// Evaluate overrides the evaluation (tests); nil evaluates with
	// runner.EvaluateBaselines on Config.Root.
	Evaluate EvaluateFunc
	// Sleep waits d or until ctx ends (tests make it instant).
	Sleep func(ctx context.Context, d time.Duration) error
}

// Agent is one host's agent. Its methods must not be called concurrently
// except Status; Run is the loop.
type Agent struct {
	cfg      *config.Config
	log      logrus.FieldLogger
	now      func() time.Time
	rnd      func() float64
	sleep    func(ctx context.Context, d time.Duration) error
	client   *http.Client
	id       *identity.Identity
	fetcher  *bundles.Fetcher
	spool    *spool.Spool
	deliver  *deliver.Deliverer
	evaluate EvaluateFunc
	version  string

	mu    sync.Mutex // guards state
	state State
	// current is each assignment's bundle from the latest successful
	// fetch (a directory source has no stored copy to fall back to).
	current map[string]bundles.Bundle
}

// New opens the agent's state: the host key (created on first start), the
// spool and the persisted state.
func New(opts Options) (*Agent, error) {
	cfg := opts.Config
	if cfg == nil {
		return nil, errors.New("agent: no configuration")
	}
	a := &Agent{current: map[string]bundles.Bundle{}, cfg: cfg, log: opts.Logger, now: opts.Now, rnd: opts.Rand, sleep: opts.Sleep, client: opts.Client, evaluate: opts.Evaluate, version: opts.ToolVersion}
	if a.log == nil {
		l := logrus.New()
		l.SetOutput(discard{})
		a.log = l
	}
	if a.now == nil {
		a.now = time.Now
	}
	if a.rnd == nil {
		a.rnd = mrand.Float64
	}
	if a.sleep == nil {
		a.sleep = sleepCtx
	}
	if a.client == nil {
		c, err := config.NewHTTPClient(cfg.TLS, cfg.Proxy, cfg.Delivery.Timeout)
		if err != nil {
			return nil, fmt.Errorf("agent: %w", err)
		}
		a.client = c
	}
	if a.evaluate == nil {
		a.evaluate = a.evaluateBundle
	}
	if err := os.MkdirAll(cfg.StateDir, 0o700); err != nil {
		return nil, fmt.Errorf("agent: state directory: %w", err)
	}
	id, err := identity.LoadOrCreate(cfg.StateDir)
	if err != nil {
		return nil, fmt.Errorf("agent: %w", err)
	}
	a.id = id
	var vkey []byte
	if cfg.VerificationKey != "" {
		if vkey, err = os.ReadFile(cfg.VerificationKey); err != nil {
			return nil, fmt.Errorf("agent: verification key: %w", err)
		}
	}
	a.fetcher = &bundles.Fetcher{Client: a.client, Dir: filepath.Join(cfg.StateDir, "bundles"), VerificationKey: vkey, Now: a.now, Logger: a.log}
	sp, err := spool.OpenSpool(filepath.Join(cfg.StateDir, "spool"), spool.SpoolLimits{MaxBytes: cfg.Spool.MaxBytes, MaxReports: cfg.Spool.MaxReports, MaxAge: cfg.Spool.MaxAge}, a.now)
	if err != nil {
		return nil, fmt.Errorf("agent: %w", err)
	}
	a.spool = sp
	a.deliver = &deliver.Deliverer{Client: a.client, Server: cfg.Server, HostID: a.id.CurrentHostID, MaxBody: cfg.Delivery.MaxBody}
	st, err := loadState(cfg.StateDir)
	if err != nil {
		return nil, fmt.Errorf("agent: %w", err)
	}
	a.state = st
	return a, nil
}

// Close releases the spool.
func (a *Agent) Close() error { return a.spool.Close() }

// HostID is the id the receiver gave this host ("" before enrolment).
func (a *Agent) HostID() string { return a.id.CurrentHostID() }

// Enroll trades the enrolment secret for a host id bound to the host key.
func (a *Agent) Enroll(ctx context.Context, secret string) error {
	hostname, _ := os.Hostname()
	machineID := readMachineID(a.cfg.Root)
	if err := identity.Enroll(ctx, a.client, a.cfg.Server, secret, a.id, hostname, machineID); err != nil {
		return err
	}
	a.log.WithField("host_id", a.id.CurrentHostID()).Info("enrolled")
	return nil
}

func readMachineID(root string) string {
	data, err := os.ReadFile(filepath.Join(root, "etc/machine-id"))
	if err != nil || len(data) > 64 {
		return ""
	}
	return string(trimSpace(data))
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == ' ') {
		b = b[:len(b)-1]
	}
	return b
}

// CycleResult says what one fetch-evaluate-deliver cycle did.
type CycleResult struct {
	Evaluated int
	Spooled   int
	Delivered int
	Pending   int
	Errors    []string
}

// RunOnce runs one cycle: fetch every assignment's bundle, evaluate each
// (in sequence, each within its timeout), spool the signed reports, and
// deliver what the spool holds until it is empty or deliverFor has passed.
// Reports that could not be delivered stay spooled for the next run.
func (a *Agent) RunOnce(ctx context.Context, deliverFor time.Duration) (CycleResult, error) {
	var res CycleResult
	changed, errs := a.fetchAll(ctx)
	_ = changed
	res.Errors = append(res.Errors, errs...)
	n, errs := a.evaluateAll(ctx)
	res.Evaluated, res.Spooled = n, n
	res.Errors = append(res.Errors, errs...)
	dctx, cancel := context.WithTimeout(ctx, deliverFor)
	defer cancel()
	delivered, err := a.Drain(dctx)
	res.Delivered = delivered
	if err != nil && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
		res.Errors = append(res.Errors, err.Error())
	}
	pending, _ := a.spool.Pending()
	res.Pending = len(pending)
	if len(res.Errors) > 0 {
		return res, fmt.Errorf("agent: %d problem(s): %s", len(res.Errors), res.Errors[0])
	}
	return res, nil
}

// fetchAll fetches every assignment's bundle; it says whether any changed.
func (a *Agent) fetchAll(ctx context.Context) (bool, []string) {
	changed := false
	var errs []string
	for _, as := range a.cfg.Assignments {
		b, err := a.fetcher.Fetch(ctx, as.Name, as.Source)
		if err != nil {
			// The last good bundle stays active; the report says
			// when it becomes stale.
			a.log.WithError(err).WithField("assignment", as.Name).Warn("bundle fetch failed; keeping the last good bundle")
			errs = append(errs, fmt.Sprintf("%s: fetch: %v", as.Name, err))
			a.updateState(func(s *State) {
				bs := s.Bundles[as.Name]
				bs.LastError = err.Error()
				if errors.Is(err, bundles.ErrRefused) {
					// Refused bundles go into the next report, so the
					// receiver sees that a bad policy was offered.
					bs.Refused = err.Error()
				}
				s.Bundles[as.Name] = bs
			})
			continue
		}
		a.mu.Lock()
		a.current[as.Name] = b
		a.mu.Unlock()
		if b.Changed {
			changed = true
			a.log.WithFields(logrus.Fields{"assignment": as.Name, "revision": b.Revision}).Info("new bundle")
		}
		a.updateState(func(s *State) {
			s.Bundles[as.Name] = BundleState{Source: b.Source, Revision: b.Revision, FetchedAt: b.FetchedAt}
		})
	}
	return changed, errs
}

// evaluateAll evaluates every assignment, in sequence, and spools the
// signed reports. It returns how many reports it spooled.
func (a *Agent) evaluateAll(ctx context.Context) (int, []string) {
	var errs []string
	n := 0
	for _, as := range a.cfg.Assignments {
		if ctx.Err() != nil {
			break
		}
		a.mu.Lock()
		b, ok := a.current[as.Name]
		a.mu.Unlock()
		var err error
		if !ok {
			// Not fetched in this process (the source is down): the
			// last good bundle, verified again.
			b, err = a.fetcher.LastGood(as.Name)
		}
		if err != nil {
			a.log.WithError(err).WithField("assignment", as.Name).Error("no usable bundle; not evaluated")
			errs = append(errs, fmt.Sprintf("%s: %v", as.Name, err))
			continue
		}
		rep := a.evaluateWithin(ctx, as, b)
		if err := a.spoolReport(as, b, rep); err != nil {
			errs = append(errs, fmt.Sprintf("%s: spool: %v", as.Name, err))
			continue
		}
		n++
	}
	a.updateState(func(s *State) {
		s.LastRun = a.now().UTC()
		s.LastRunErrors = errs
	})
	return n, errs
}

// evaluateWithin evaluates one assignment within its timeout. A pack that
// overruns, fails or panics yields a report whose rules are errors: the
// agent never hangs on it and never reports a stuck pack as compliant.
func (a *Agent) evaluateWithin(ctx context.Context, as config.Assignment, b bundles.Bundle) *report.Report {
	start := a.now()
	ctx, cancel := context.WithTimeout(ctx, as.Timeout)
	defer cancel()
	type out struct {
		rep *report.Report
		err error
	}
	done := make(chan out, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- out{err: fmt.Errorf("evaluation panicked: %v", p)}
			}
		}()
		rep, err := a.evaluate(ctx, as, b)
		done <- out{rep, err}
	}()
	var o out
	select {
	case o = <-done:
	case <-ctx.Done():
		// The evaluation goroutine is abandoned, not waited for.
		o.err = fmt.Errorf("evaluation did not finish within %s", as.Timeout)
	}
	if o.err == nil && o.rep != nil {
		return o.rep
	}
	if o.err == nil {
		o.err = errors.New("evaluation returned no report")
	}
	a.log.WithError(o.err).WithField("assignment", as.Name).Error("evaluation failed; reporting it as an error")
	return a.errorReport(as, b, start, o.err)
}

// errorReport is the report of an assignment that could not be evaluated:
// one rule per rule of the bundle when they can be listed, all error.
func (a *Agent) errorReport(as config.Assignment, b bundles.Bundle, start time.Time, cause error) *report.Report {
	var results []engine.Result
	if packs, err := loadBaselines(b, a.version); err == nil {
		if l, err := engine.Load(context.Background(), packs.Baselines(), append(packs.EngineOptions(), engine.WithFunctions(runner.Functions()...))...); err == nil {
			for _, r := range l.Rules() {
				rule := r
				results = append(results, engine.Result{Rule: &rule, Status: engine.StatusError, Error: cause.Error()})
			}
		}
	}
	if len(results) == 0 {
		rule := engine.Rule{ID: "GCRUN-AGENT-EVALUATION", Title: "The assignment " + as.Name + " was evaluated", Severity: engine.SeverityHigh, Baseline: as.Name}
		results = []engine.Result{{Rule: &rule, Status: engine.StatusError, Error: cause.Error()}}
	}
	hostname, _ := os.Hostname()
	meta := report.Meta{
		Tool:      report.Tool{Name: runner.ToolName, Version: a.version},
		Host:      report.Host{Hostname: hostname, MachineID: readMachineID(a.cfg.Root)},
		Root:      a.cfg.Root,
		StartTime: start,
		EndTime:   a.now(),
	}
	return report.New(meta, results)
}

// loadBaselines loads a bundle's packs (a verified bundle file or a pack
// directory).
func loadBaselines(b bundles.Bundle, version string) (*runner.Packs, error) {
	if b.Baseline != nil {
		return runner.LoadBundlePacks([]*engine.Baseline{b.Baseline}, version)
	}
	fi, err := os.Stat(b.Path)
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return runner.LoadPacks([]string{b.Path}, version)
	}
	// Verified when fetched and again by LastGood; this load only reads.
	bl, err := runner.LoadBundle(b.Path, runner.BundleOptions{InsecureSkipVerify: true})
	if err != nil {
		return nil, err
	}
	return runner.LoadBundlePacks([]*engine.Baseline{bl}, version)
}

// evaluateBundle is the real evaluation: the bundle's packs against the
// configured root, in the assignment's mode.
func (a *Agent) evaluateBundle(ctx context.Context, as config.Assignment, b bundles.Bundle) (*report.Report, error) {
	packs, err := loadBaselines(b, a.version)
	if err != nil {
		return nil, err
	}
	target, err := runner.NewTarget(a.cfg.Root)
	if err != nil {
		return nil, err
	}
	opts := runner.Options{ToolVersion: a.version, Logger: a.log}
	if as.Mode != runner.ModeAudit {
		opts.Remediation = &runner.Remediation{Mode: as.Mode}
	}
	engineOpts := append(packs.EngineOptions(), engine.WithParameters(as.Parameters))
	rep, _, err := runner.EvaluateBaselines(ctx, packs.Baselines(), target, opts, engineOpts...)
	if err != nil && rep == nil {
		return nil, err
	}
	if err != nil {
		a.log.WithError(err).WithField("assignment", as.Name).Warn("remediation incomplete")
	}
	return rep, nil
}

// spoolReport adds the agent section, signs the report with the host key
// and spools it. The sequence is persisted before the report is spooled,
// so a crash can skip a number but never reuse one.
func (a *Agent) spoolReport(as config.Assignment, b bundles.Bundle, rep *report.Report) error {
	var seq int64
	var evicted int
	var refused string
	a.updateState(func(s *State) {
		s.Sequence++
		seq = s.Sequence
		evicted = s.EvictedPending
		refused = s.Bundles[as.Name].Refused
	})
	if err := a.saveState(); err != nil {
		return err
	}
	rep.Agent = &report.Agent{
		HostID:       a.id.CurrentHostID(),
		ReportID:     newReportID(a.now()),
		Sequence:     seq,
		Assignment:   as.Name,
		Mode:         as.Mode,
		SpoolEvicted: evicted,
		Bundle: &report.AgentBundle{
			Source: b.Source, Revision: b.Revision, FetchedAt: b.FetchedAt.UTC(),
			Stale:   a.fetcher.Stale(b, a.cfg.BundleTTL),
			Refused: refused,
		},
	}
	if rep.Agent.HostID == "" {
		rep.Agent.HostID = "unenrolled"
	}
	payload, err := rep.JSON()
	if err != nil {
		return err
	}
	env, err := report.Sign(payload, a.id.Key)
	if err != nil {
		return err
	}
	n, err := a.spool.Put(rep.Agent.ReportID, as.Name, env)
	if err != nil {
		return err
	}
	a.updateState(func(s *State) {
		s.EvictedPending -= evicted
		s.EvictedPending += n
		s.EvictedTotal += n
		if bs, ok := s.Bundles[as.Name]; ok && refused != "" && bs.Refused == refused {
			bs.Refused = "" // reported once
			s.Bundles[as.Name] = bs
		}
	})
	if n > 0 {
		a.log.WithField("evicted", n).Warn("spool full: oldest reports evicted; the next report records it")
	}
	return a.saveState()
}

// newReportID is unique and sorts by time.
func newReportID(now time.Time) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return now.UTC().Format("20060102T150405.000000000Z") + "-" + hex.EncodeToString(b[:])
}

// Drain delivers the spool, oldest first, until it is empty or ctx ends.
// A report leaves the spool only when the receiver acknowledged its id (or
// refused it for good: then it is moved aside with the reason). Retryable
// failures back off, honouring Retry-After, and never drop the report.
func (a *Agent) Drain(ctx context.Context) (int, error) {
	delivered := 0
	attempt := 0
	reenrolled := false
	for {
		pending, err := a.spool.Pending()
		if err != nil {
			return delivered, err
		}
		if len(pending) == 0 {
			return delivered, nil
		}
		e := pending[0]
		env, err := a.spool.Read(e)
		if err != nil {
			// Pending moves unreadable files aside; a read error
			// here is transient (or the file went): retry.
			if serr := a.sleep(ctx, deliver.Backoff(attempt, a.cfg.Delivery.BackoffMin, a.cfg.Delivery.BackoffMax, a.rnd)); serr != nil {
				return delivered, serr
			}
			attempt++
			continue
		}
		res, err := a.deliver.Send(ctx, e.ID, env)
		switch res.Outcome {
		case deliver.Acked, deliver.Duplicate:
			if err := a.spool.Ack(e.ID); err != nil {
				return delivered, err
			}
			delivered++
			attempt = 0
			a.updateState(func(s *State) {
				s.LastDelivery = a.now().UTC()
				s.ConsecutiveFailures = 0
			})
			_ = a.saveState()
			continue
		case deliver.Rejected:
			reason := errString(err, res.Reason)
			a.log.WithFields(logrus.Fields{"report": e.ID, "reason": reason}).Error("report refused; moved aside")
			if rerr := a.spool.Reject(e.ID, reason); rerr != nil {
				return delivered, rerr
			}
			continue
		case deliver.UnknownHost:
			if !reenrolled {
				reenrolled = true
				if rerr := a.reenroll(ctx); rerr != nil {
					return delivered, rerr
				}
				continue
			}
		case deliver.Revoked:
			return delivered, errors.New("agent: the receiver revoked this host; reports stay spooled")
		}
		// Retry: network error, 408/429/5xx, an unacknowledged answer.
		a.updateState(func(s *State) { s.ConsecutiveFailures++ })
		wait := deliver.Backoff(attempt, a.cfg.Delivery.BackoffMin, a.cfg.Delivery.BackoffMax, a.rnd)
		if res.RetryAfter > wait {
			wait = res.RetryAfter
		}
		attempt++
		a.log.WithFields(logrus.Fields{"report": e.ID, "retry_in": wait, "error": errString(err, res.Reason)}).Warn("delivery failed; will retry")
		if serr := a.sleep(ctx, wait); serr != nil {
			_ = a.saveState()
			return delivered, serr
		}
	}
}

func errString(err error, reason string) string {
	if err != nil {
		return err.Error()
	}
	return reason
}

// reenroll answers "unknown host": the receiver lost or never had this
// host, so it enrols again with the configured secret.
func (a *Agent) reenroll(ctx context.Context) error {
	if a.cfg.EnrollmentSecretFile == "" {
		return errors.New("agent: the receiver does not know this host and no enrollment_secret_file is configured")
	}
	secret, err := os.ReadFile(a.cfg.EnrollmentSecretFile)
	if err != nil {
		return fmt.Errorf("agent: enrolment secret: %w", err)
	}
	a.log.Warn("receiver does not know this host; enrolling again")
	return a.Enroll(ctx, string(trimSpace(secret)))
}

// Run is the agent's loop until ctx ends: bundles are polled every
// Intervals.Poll and evaluated every Intervals.Evaluate (each ±10%), on
// start and whenever a bundle changes; one run at a time (a run that
// overruns delays the next, it never overlaps it); delivery drains the
// spool in between. When ctx ends, delivery gets Delivery.ShutdownGrace to
// flush the spool.
func (a *Agent) Run(ctx context.Context) error {
	deliverKick := make(chan struct{}, 1)
	kick := func() {
		select {
		case deliverKick <- struct{}{}:
		default:
		}
	}
	var wg sync.WaitGroup
	dctx, stopDelivery := context.WithCancel(context.Background())
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			if _, err := a.Drain(dctx); err != nil && dctx.Err() == nil {
				a.log.WithError(err).Warn("delivery stopped")
			}
			select {
			case <-dctx.Done():
				return
			case <-deliverKick:
			case <-time.After(a.cfg.Intervals.Poll):
			}
		}
	}()

	nextPoll := a.now()
	fetchFailures := 0
	nextEval := a.now()
	for {
		now := a.now()
		if !now.Before(nextPoll) {
			changed, errs := a.fetchAll(ctx)
			next := deliver.Jitter(a.cfg.Intervals.Poll, 0.1, a.rnd)
			if len(errs) > 0 {
				// A source that fails is tried again sooner at first,
				// then less and less often (exponential backoff with
				// full jitter), never more rarely than the poll.
				next = min(next, deliver.Backoff(fetchFailures, a.cfg.Delivery.BackoffMin, a.cfg.Intervals.Poll, a.rnd))
				fetchFailures++
			} else {
				fetchFailures = 0
			}
			nextPoll = now.Add(next)
			if changed {
				nextEval = now
			}
		}
		if !a.now().Before(nextEval) && ctx.Err() == nil {
			a.evaluateAll(ctx)
			_ = a.saveState()
			kick()
			nextEval = a.now().Add(deliver.Jitter(a.cfg.Intervals.Evaluate, 0.1, a.rnd))
		}
		wait := min(nextPoll.Sub(a.now()), nextEval.Sub(a.now()))
		if err := a.sleep(ctx, max(wait, 0)); err != nil {
			break
		}
	}
	// Shutdown: give delivery the grace period to flush, then stop it.
	grace := time.AfterFunc(a.cfg.Delivery.ShutdownGrace, stopDelivery)
	defer grace.Stop()
	kick()
	flushed := make(chan struct{})
	go func() {
		defer close(flushed)
		for {
			p, err := a.spool.Pending()
			if err != nil || len(p) == 0 || dctx.Err() != nil {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()
	<-flushed
	stopDelivery()
	wg.Wait()
	return a.saveState()
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// RotateKey replaces the host key; the receiver accepts the new key on a
// request signed with the old one.
func (a *Agent) RotateKey(ctx context.Context) error {
	if a.id.CurrentHostID() == "" {
		return errors.New("agent: not enrolled")
	}
	return identity.Rotate(ctx, a.client, a.cfg.Server, a.id)
}
