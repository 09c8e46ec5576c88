package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/gcrun/gcrun/internal/fixture"
)

func TestProgressDrawsAndClears(t *testing.T) {
	var buf bytes.Buffer
	p := newProgress(&buf, "collecting facts")
	for i := 1; i <= 4; i++ {
		p(i, 4)
	}
	out := buf.String()
	// Updates are throttled; the first is drawn.
	if !strings.Contains(out, "collecting facts") || !strings.Contains(out, "(1/4)") {
		t.Errorf("bar output %q lacks the description or the count", out)
	}
	// Cleared on finish: the last thing written blanks the line.
	if !strings.HasSuffix(strings.TrimRight(out, " "), "\r") {
		t.Errorf("bar not cleared at the end: %q", out[max(0, len(out)-40):])
	}
}

// TestNoProgressWithoutATerminal: the tests' stderr is a buffer, so
// evaluate must not draw anything there but its logs.
func TestNoProgressWithoutATerminal(t *testing.T) {
	r := run(t, nil, "evaluate", "--root", fixture.Materialize(t, compliant), "--format", "text")
	if strings.Contains(r.stderr, "collecting facts") || strings.ContainsRune(r.stderr, '\r') {
		t.Errorf("progress drawn on a non-terminal stderr: %q", r.stderr)
	}
}

func TestFactsProgressShowsTheSweep(t *testing.T) {
	var buf bytes.Buffer
	p := &factsProgress{w: &buf}
	p.sweep(4096) // before any collector ended: a spinner
	p.collector(1, 3, "files")
	p.collector(3, 3, "sweep")
	out := buf.String()
	if !strings.Contains(out, "sweep: 4096 entries") {
		t.Errorf("no sweep count in %q", out)
	}
	var nilBar *factsProgress // no terminal: nothing at all, no panic
	nilBar.sweep(1)
	nilBar.collector(1, 1, "x")
}
