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

// Collect runs the collectors concurrently against t. A collector's failure
// is recorded in its Outcome and never stops the others; a panicking
// collector is recovered and reported as an error. Collect returns an error
// only when ctx ends first.
func Collect(ctx context.Context, t Target, collectors ...Collector) (*Facts, error) {
	out := &Facts{Outcomes: make(map[string]Outcome, len(collectors))}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, c := range collectors {
		wg.Add(1)
		go func(c Collector) {
			defer wg.Done()
			o := run(ctx, t, c)
			mu.Lock()
			out.Outcomes[c.Name()] = o
			mu.Unlock()
		}(c)
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return out, err
	}
	return out, nil
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
