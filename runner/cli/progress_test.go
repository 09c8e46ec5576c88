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
