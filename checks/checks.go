// Package checks collects facts about an operating system.
//
// Every collector reads the scanned root through an afero.Fs whose paths are
// absolute paths inside that root ("/etc/passwd"). For the live host the root
// is "/"; for an offline root (a mounted disk image, a container rootfs) it is
// any directory, and the file system must be confined to it with
// rootfs.New so that hostile symlinks cannot escape.
//
// Facts are plain data: they know nothing of policy. The facts of one scan
// form one JSON document, keyed by collector name, that the engine hands to
// Rego as input. The shape of each collector's facts is documented on its
// result type and in docs/facts.md.
package checks

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/spf13/afero"
)

// Target is the root a scan looks at.
type Target struct {
	// Fs reads the scanned root; paths are absolute inside the root.
	Fs afero.Fs
	// Root names the root for people and reports: "/" or a directory.
	Root string
	// Live is true when Root is the running host, so that kernel interfaces
	// (/proc, /sys) and the hostname describe the same machine.
	Live bool
}

// Collector gathers one kind of fact.
//
// Collect returns a value that encodes to JSON (the facts) or an error when
// the facts cannot be trusted. A missing file is usually a fact, not an
// error; an unreadable or malformed one is an error that names the file and,
// where there is one, the line.
type Collector interface {
	Name() string
	Collect(ctx context.Context, t Target) (any, error)
}

// Outcome is what one collector produced in one scan.
type Outcome struct {
	Name     string
	Facts    any
	Err      error
	Duration time.Duration
}

// Facts holds the outcome of every collector that ran.
type Facts struct {
	Outcomes map[string]Outcome
}

// Input returns the JSON input document for the engine: collector name to
// facts, for the collectors that succeeded.
func (f *Facts) Input() map[string]any {
	in := make(map[string]any, len(f.Outcomes))
	for name, o := range f.Outcomes {
		if o.Err == nil {
			in[name] = o.Facts
		}
	}
	return in
}

// Errors returns collector name to error message for the collectors that
// failed.
func (f *Facts) Errors() map[string]string {
	errs := map[string]string{}
	for name, o := range f.Outcomes {
		if o.Err != nil {
			errs[name] = o.Err.Error()
		}
	}
	return errs
}

// Names returns the names of the collectors that ran, sorted.
func (f *Facts) Names() []string {
	names := make([]string, 0, len(f.Outcomes))
	for n := range f.Outcomes {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// CollectOptions bound a collection.
type CollectOptions struct {
	// Workers is the most collectors that run at once; 0 means
	// DefaultWorkers.
	Workers int
	// Timeout bounds each collector; 0 means DefaultTimeout. A collector
	// that overruns it is reported as failed (its rules turn into errors)
	// and the others go on.
	Timeout time.Duration
	// Progress, when set, is called after each collector finishes with
	// how many have finished, out of how many, and its name (for a
	// progress bar). Calls are serialised.
	Progress func(done, total int, name string)
}

// Defaults of CollectOptions. Collectors mostly wait on the file system,
// so a few more workers than cores keep the disk busy without letting a
// large pack start dozens of walks at once.
const (
	DefaultWorkers = 8
	DefaultTimeout = 5 * time.Minute
)

// ErrTimeout is wrapped by the error of a collector that overran its
// CollectOptions.Timeout.
var ErrTimeout = errors.New("collector timed out")

// Collect runs the collectors against t with the default options; see
// CollectWith.
func Collect(ctx context.Context, t Target, collectors ...Collector) (*Facts, error) {
	return CollectWith(ctx, t, CollectOptions{}, collectors...)
}

// CollectWith runs the collectors concurrently against t, at most
// opts.Workers at a time and each for at most opts.Timeout. A collector's
// failure, timeout or panic is recorded in its Outcome and never stops the
// others. CollectWith returns an error only when ctx ends first; the
// collectors that had not finished are then recorded with ctx's error.
func CollectWith(ctx context.Context, t Target, opts CollectOptions, collectors ...Collector) (*Facts, error) {
	workers, timeout := opts.Workers, opts.Timeout
	if workers <= 0 {
		workers = DefaultWorkers
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	out := &Facts{Outcomes: make(map[string]Outcome, len(collectors))}
	var mu sync.Mutex
	var wg sync.WaitGroup
	slots := make(chan struct{}, workers)
	for _, c := range collectors {
		wg.Add(1)
		go func(c Collector) {
			defer wg.Done()
			var o Outcome
			select {
			case slots <- struct{}{}:
				o = runBounded(ctx, t, c, timeout)
				<-slots
			case <-ctx.Done():
				o = Outcome{Name: c.Name(), Err: ctx.Err()}
			}
			mu.Lock()
			out.Outcomes[c.Name()] = o
			if opts.Progress != nil {
				opts.Progress(len(out.Outcomes), len(collectors), c.Name())
			}
			mu.Unlock()
		}(c)
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return out, err
	}
	return out, nil
}

// runBounded runs c with a deadline. A collector that ignores its context
// and blocks (a read from a hung network mount) is abandoned when the
// deadline passes: its goroutine finishes in the background and its late
// result is dropped, so one stuck collector cannot hang the scan.
func runBounded(ctx context.Context, t Target, c Collector, timeout time.Duration) Outcome {
	start := time.Now()
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	done := make(chan Outcome, 1)
	go func() { done <- run(cctx, t, c) }()
	select {
	case o := <-done:
		if o.Err != nil && errors.Is(cctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil {
			// The collector gave up because of the deadline: say so,
			// whichever way it phrased its error.
			o.Err = fmt.Errorf("%s: %w after %s", c.Name(), ErrTimeout, timeout)
		}
		return o
	case <-cctx.Done():
		err := cctx.Err()
		if ctx.Err() == nil {
			err = fmt.Errorf("%s: %w after %s", c.Name(), ErrTimeout, timeout)
		}
		return Outcome{Name: c.Name(), Err: err, Duration: time.Since(start)}
	}
}

func run(ctx context.Context, t Target, c Collector) (o Outcome) {
	start := time.Now()
	o.Name = c.Name()
	defer func() {
		if r := recover(); r != nil {
			o.Facts, o.Err = nil, fmt.Errorf("%s: collector panicked: %v", c.Name(), r)
		}
		o.Duration = time.Since(start)
	}()
	if err := ctx.Err(); err != nil {
		o.Err = err
		return o
	}
	o.Facts, o.Err = c.Collect(ctx, t)
	return o
}
