package cli

import (
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
