package agent

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/gcrun/gcrun/internal/atomicfile"
)

// State is what the agent remembers between runs (state.json in the state
// directory, written atomically).
type State struct {
	// Sequence is the last report sequence used.
	Sequence int64 `json:"sequence"`
	// EvictedPending counts spool evictions not yet recorded in a
	// report; EvictedTotal all of them.
	EvictedPending int `json:"evicted_pending"`
	EvictedTotal   int `json:"evicted_total"`
	// LastRun is when the last evaluation run ended, LastRunErrors what
	// went wrong in it.
	LastRun       time.Time `json:"last_run"`
	LastRunErrors []string  `json:"last_run_errors,omitempty"`
	// LastDelivery is when the receiver last acknowledged a report.
	LastDelivery time.Time `json:"last_delivery"`
	// ConsecutiveFailures counts failed delivery attempts since the last
	// success.
	ConsecutiveFailures int `json:"consecutive_failures"`
	// Bundles is each assignment's active bundle.
	Bundles map[string]BundleState `json:"bundles"`
}

// BundleState is an assignment's active bundle.
type BundleState struct {
	Source    string    `json:"source"`
	Revision  string    `json:"revision"`
	FetchedAt time.Time `json:"fetched_at"`
	// LastError is the last failed fetch's error ("" after a success).
	LastError string `json:"last_error,omitempty"`
	// Refused is a refused bundle not yet recorded in a report.
	Refused string `json:"refused,omitempty"`
}

const stateFile = "state.json"

func loadState(dir string) (State, error) {
	st := State{Bundles: map[string]BundleState{}}
	data, err := os.ReadFile(filepath.Join(dir, stateFile))
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return st, fmt.Errorf("%s: %w", filepath.Join(dir, stateFile), err)
	}
	if st.Bundles == nil {
		st.Bundles = map[string]BundleState{}
	}
	return st, nil
}

func (a *Agent) updateState(f func(*State)) {
	a.mu.Lock()
	defer a.mu.Unlock()
	f(&a.state)
}

func (a *Agent) saveState() error {
	a.mu.Lock()
	data, err := json.MarshalIndent(a.state, "", "  ")
	a.mu.Unlock()
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(filepath.Join(a.cfg.StateDir, stateFile), append(data, '\n'), 0o600)
}

// Status is what `gcrun agent status` shows.
type Status struct {
	HostID string `json:"host_id"`
	State
	Spool SpoolStatus `json:"spool"`
	// Stale lists assignments whose bundle is older than the TTL.
	Stale []string `json:"stale,omitempty"`
}

// SpoolStatus is the spool's depth and history.
type SpoolStatus struct {
	Depth    int   `json:"depth"`
	Bytes    int64 `json:"bytes"`
	Evicted  int64 `json:"evicted"`
	Rejected int64 `json:"rejected"`
	Corrupt  int64 `json:"corrupt"`
}

// Status reports the agent's state.
func (a *Agent) Status() Status {
	a.mu.Lock()
	st := a.state
	st.Bundles = make(map[string]BundleState, len(a.state.Bundles))
	for k, v := range a.state.Bundles {
		st.Bundles[k] = v
	}
	st.LastRunErrors = append([]string(nil), a.state.LastRunErrors...)
	a.mu.Unlock()
	ss := a.spool.Stats()
	out := Status{HostID: a.id.CurrentHostID(), State: st, Spool: SpoolStatus{Depth: ss.Depth, Bytes: ss.Bytes, Evicted: ss.Evicted, Rejected: ss.Rejected, Corrupt: ss.Corrupt}}
	for name, b := range st.Bundles {
		if a.cfg.BundleTTL > 0 && a.now().Sub(b.FetchedAt) > a.cfg.BundleTTL {
			out.Stale = append(out.Stale, name)
		}
	}
	return out
}
