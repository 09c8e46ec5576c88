package checks

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLiveSection(t *testing.T) {
	if got := LiveSection(Target{Root: "/", Live: true}, "/proc/sys"); !cmp.Equal(got, LiveOnly{Available: true}) {
		t.Errorf("live: %+v", got)
	}
	want := LiveOnly{Reason: "/mnt/img is an offline root, so /proc/sys describes the scanning machine, not it"}
	if got := LiveSection(Target{Root: "/mnt/img"}, "/proc/sys"); !cmp.Equal(got, want) {
		t.Errorf("offline: %s", cmp.Diff(want, got))
	}
}
