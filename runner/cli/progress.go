package cli

import (
	"fmt"
	"io"
	"sync"

	"github.com/schollz/progressbar/v3"
)

// progress returns a callback that draws a progress bar on stderr while a
// long step runs (collectors, summaries over many files), or one that does
// nothing when stderr is not a terminal or logs are JSON: a bar is for a
// person watching, never for a log file or a CI transcript.
func (a *app) progress(description string) func(done, total int) {
	if !a.showProgress() {
		return func(int, int) {}
	}
	return newProgress(a.io.Stderr, description)
}

func (a *app) showProgress() bool {
	if _, off := a.io.env("GCRUN_NO_PROGRESS"); off {
		return false
	}
	return a.logFormat != "json" && isTerminal(a.io.Stderr)
}

// newProgress draws on w; the bar is made on the first call, when the
// total is known, and cleared when done reaches it.
func newProgress(w io.Writer, description string) func(done, total int) {
	var (
		mu  sync.Mutex
		bar *progressbar.ProgressBar
	)
	return func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		if bar == nil {
			bar = progressbar.NewOptions(total,
				progressbar.OptionSetWriter(w),
				progressbar.OptionSetDescription(description),
				progressbar.OptionShowCount(),
				progressbar.OptionSetWidth(30),
				progressbar.OptionClearOnFinish(),
				progressbar.OptionThrottle(65_000_000), // 65 ms: no flicker
				progressbar.OptionSetPredictTime(false),
			)
		}
		_ = bar.Set(done)
		if done >= total {
			_ = bar.Finish()
		}
	}
}

// factsProgress is the bar of an evaluation: collectors done out of all,
// and, while the sweep walks, how many entries it has examined (a sweep
// of a big host is most of the wait).
type factsProgress struct {
	mu      sync.Mutex
	w       io.Writer
	bar     *progressbar.ProgressBar
	done    int
	total   int
	entries int64
}

func (a *app) factsProgress() *factsProgress {
	if !a.showProgress() {
		return nil
	}
	return &factsProgress{w: a.io.Stderr}
}

// collector is a checks.CollectOptions.Progress.
func (p *factsProgress) collector(done, total int, _ string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done, p.total = done, total
	p.draw()
	if done >= total && p.bar != nil {
		_ = p.bar.Finish()
	}
}

// sweep is a checks.Sweep.Progress.
func (p *factsProgress) sweep(entries int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.entries = entries
	p.draw()
}

func (p *factsProgress) draw() {
	if p.bar == nil {
		max := p.total
		if max == 0 {
			max = -1 // not known yet: a spinner until the first collector ends
		}
		p.bar = progressbar.NewOptions(max,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionShowCount(),
			progressbar.OptionSetWidth(30),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionThrottle(65_000_000),
			progressbar.OptionSetPredictTime(false),
		)
	}
	if p.total > 0 && p.bar.GetMax() != p.total {
		p.bar.ChangeMax(p.total)
	}
	desc := "collecting facts"
	if p.entries > 0 {
		desc += fmt.Sprintf(" (sweep: %d entries)", p.entries)
	}
	p.bar.Describe(desc)
	_ = p.bar.Set(p.done)
}
