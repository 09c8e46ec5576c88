package serve

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/gcrun/gcrun/runner/serve/store"
	"github.com/google/go-cmp/cmp"
)

func openSQLite(t *testing.T) store.Store {
	t.Helper()
	st, err := store.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "gcrun.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// TestIngestSQLite runs the ingest suite on the real SQLite store.
func TestIngestSQLite(t *testing.T) {
	runIngestSuite(t, openSQLite)
}

// TestFleetSQLite builds the fleet of TestFleetJSON on SQLite: the view
// must be the same as on the fake store.
func TestFleetSQLite(t *testing.T) {
	fake, _ := fleetEnvWith(t, newFakeStore())
	real, _ := fleetEnvWith(t, openSQLite(t))
	var want, got Fleet
	for _, c := range []struct {
		e *env
		f *Fleet
	}{{fake, &want}, {real, &got}} {
		status, body := c.e.do("GET", "/v1/fleet", nil, nil)
		if status != 200 {
			t.Fatalf("%d %s", status, body)
		}
		if err := json.Unmarshal(body, c.f); err != nil {
			t.Fatal(err)
		}
	}
	// Host ids differ (fresh keys per fleet): compare by hostname.
	strip := cmp.Transformer("ids", func(h FleetHost) FleetHost {
		h.ID = ""
		for i := range h.Baselines {
			h.Baselines[i].ReportID = ""
		}
		return h
	})
	if diff := cmp.Diff(want, got, strip); diff != "" {
		t.Errorf("fleet on SQLite differs from the fake store's (-fake +sqlite):\n%s", diff)
	}
}
