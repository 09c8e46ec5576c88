package checks

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/spf13/afero"
)

// fakeCollector is a collector whose behaviour a test chooses.
type fakeCollector struct {
	name    string
	collect func(ctx context.Context) (any, error)
}

func (f fakeCollector) Name() string { return f.name }
func (f fakeCollector) Collect(ctx context.Context, _ Target) (any, error) {
	return f.collect(ctx)
}

func facts(v any) func(context.Context) (any, error) {
	return func(context.Context) (any, error) { return v, nil }
}

func TestCollectIsolatesFailures(t *testing.T) {
	target := Target{Fs: afero.NewMemMapFs(), Root: "/"}
	block := make(chan struct{})
	defer close(block)
	got, err := CollectWith(context.Background(), target, CollectOptions{Timeout: 50 * time.Millisecond},
		fakeCollector{"ok", facts("fine")},
		fakeCollector{"broken", func(context.Context) (any, error) { return nil, errors.New("broken: /etc/x:3: bad line") }},
		fakeCollector{"panics", func(context.Context) (any, error) { panic("boom") }},
		// Ignores its context entirely: must be abandoned, not waited for.
		fakeCollector{"stuck", func(context.Context) (any, error) { <-block; return "late", nil }},
		// Honours its context: its own error is kept, marked as a timeout.
		fakeCollector{"slow", func(ctx context.Context) (any, error) { <-ctx.Done(); return nil, ctx.Err() }},
	)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]any{"ok": "fine"}, got.Input()); diff != "" {
		t.Errorf("input (-want +got):\n%s", diff)
	}
	errs := got.Errors()
	want := map[string]string{
		"broken": "broken: /etc/x:3: bad line",
		"panics": "panics: collector panicked: boom",
		"stuck":  "stuck: collector timed out after 50ms",
		"slow":   "slow: collector timed out after 50ms",
	}
	if diff := cmp.Diff(want, errs); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	for _, n := range []string{"stuck", "slow"} {
		if !errors.Is(got.Outcomes[n].Err, ErrTimeout) {
			t.Errorf("%s: %v does not wrap ErrTimeout", n, got.Outcomes[n].Err)
		}
	}
	if diff := cmp.Diff([]string{"broken", "ok", "panics", "slow", "stuck"}, got.Names()); diff != "" {
		t.Errorf("names: %s", diff)
	}
}

func TestCollectBoundsConcurrency(t *testing.T) {
	var running, peak atomic.Int32
	var cs []Collector
	for i := range 20 {
		cs = append(cs, fakeCollector{fmt.Sprintf("c%02d", i), func(context.Context) (any, error) {
			n := running.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(5 * time.Millisecond)
			running.Add(-1)
			return i, nil
		}})
	}
	var progress []int
	names := map[string]bool{}
	report := func(done, total int, name string) {
		if total != 20 {
			t.Errorf("progress total %d, want 20", total)
		}
		progress = append(progress, done)
		names[name] = true
	}
	got, err := CollectWith(context.Background(), Target{Fs: afero.NewMemMapFs()}, CollectOptions{Workers: 3, Progress: report}, cs...)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Input()) != 20 {
		t.Errorf("%d outcomes, want 20", len(got.Input()))
	}
	// Progress counts up by one per collector, each named once.
	for i, d := range progress {
		if d != i+1 {
			t.Fatalf("progress %v, want 1..20", progress)
		}
	}
	if len(progress) != 20 || len(names) != 20 {
		t.Errorf("progress calls %d for %d names, want 20", len(progress), len(names))
	}
	if p := peak.Load(); p > 3 || p < 2 {
		t.Errorf("peak concurrency %d, want at most 3 (and some overlap)", p)
	}
}

func TestCollectCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	got, err := Collect(ctx, Target{Fs: afero.NewMemMapFs()}, fakeCollector{"a", facts(1)})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if e := got.Errors()["a"]; !strings.Contains(e, "canceled") {
		t.Errorf("outcome error %q, want the cancellation", e)
	}
}
