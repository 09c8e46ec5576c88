package serve

import (
	"bytes"
	"context"
	"sort"
	"sync"
	"time"

	"github.com/gcrun/gcrun/runner/serve/store"
)

// fakeStore is an in-memory store.Store that keeps the interface's
// contract (duplicates, replays, revocation, key reuse), so that the
// server's tests do not depend on a database. Hooks inject failures and
// stalls.
type fakeStore struct {
	mu      sync.Mutex
	hosts   map[string]store.Host
	reports map[string][]fakeReport // by host, in insertion order
	latest  map[[3]string]store.LatestState
	seq     int64

	// failOps, when it has the name of a method, makes that method fail
	// with failErr.
	failOps map[string]bool
	failErr error
	// putEntered, when not nil, receives a value when PutReport starts;
	// putRelease, when not nil, is waited on before PutReport proceeds.
	putEntered chan struct{}
	putRelease chan struct{}
	// lastLimit is the limit of the last HostReports call.
	lastLimit int
}

type fakeReport struct {
	row      store.StoredReport
	envelope []byte
}

func newFakeStore() *fakeStore {
	return &fakeStore{
		hosts:   map[string]store.Host{},
		reports: map[string][]fakeReport{},
		latest:  map[[3]string]store.LatestState{},
		failOps: map[string]bool{},
	}
}

func (f *fakeStore) failing(op string) error {
	if f.failOps[op] {
		return f.failErr
	}
	return nil
}

// setFail makes the named methods fail (none when ops is empty).
func (f *fakeStore) setFail(err error, ops ...string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failOps = map[string]bool{}
	for _, op := range ops {
		f.failOps[op] = true
	}
	f.failErr = err
}

func (f *fakeStore) Migrate(context.Context) error { return nil }
func (f *fakeStore) Close() error                  { return nil }

func (f *fakeStore) EnrollHost(ctx context.Context, h store.Host) (store.Host, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.failing("EnrollHost"); err != nil {
		return store.Host{}, err
	}
	for _, old := range f.hosts {
		if bytes.Equal(old.PublicKey, h.PublicKey) {
			if old.RevokedAt != nil {
				return store.Host{}, store.ErrRevoked
			}
			return old, nil
		}
	}
	if _, ok := f.hosts[h.ID]; ok {
		return store.Host{}, store.ErrKeyInUse
	}
	h.PublicKey = bytes.Clone(h.PublicKey)
	h.LastSequence, h.LastSeen, h.RevokedAt = 0, time.Time{}, nil
	f.hosts[h.ID] = h
	return h, nil
}

func (f *fakeStore) Host(ctx context.Context, id string) (store.Host, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.failing("Host"); err != nil {
		return store.Host{}, err
	}
	h, ok := f.hosts[id]
	if !ok {
		return store.Host{}, store.ErrNotFound
	}
	return h, nil
}

func (f *fakeStore) Hosts(ctx context.Context) ([]store.Host, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.failing("Hosts"); err != nil {
		return nil, err
	}
	var out []store.Host
	for _, h := range f.hosts {
		out = append(out, h)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (f *fakeStore) RevokeHost(ctx context.Context, id string, t time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	h, ok := f.hosts[id]
	if !ok {
		return store.ErrNotFound
	}
	if h.RevokedAt == nil {
		h.RevokedAt = &t
		f.hosts[id] = h
	}
	return nil
}

func (f *fakeStore) RotateKey(ctx context.Context, id string, pub []byte, keyID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.failing("RotateKey"); err != nil {
		return err
	}
	h, ok := f.hosts[id]
	switch {
	case !ok:
		return store.ErrNotFound
	case h.RevokedAt != nil:
		return store.ErrRevoked
	}
	for _, other := range f.hosts {
		if other.ID != id && bytes.Equal(other.PublicKey, pub) {
			return store.ErrKeyInUse
		}
	}
	h.PublicKey, h.KeyID = bytes.Clone(pub), keyID
	f.hosts[id] = h
	return nil
}

func (f *fakeStore) PutReport(ctx context.Context, r store.Report) (store.StoredReport, bool, error) {
	if f.putEntered != nil {
		f.putEntered <- struct{}{}
	}
	if f.putRelease != nil {
		select {
		case <-f.putRelease:
		case <-ctx.Done():
			return store.StoredReport{}, false, ctx.Err()
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.failing("PutReport"); err != nil {
		return store.StoredReport{}, false, err
	}
	h, ok := f.hosts[r.HostID]
	switch {
	case !ok:
		return store.StoredReport{}, false, store.ErrNotFound
	case h.RevokedAt != nil:
		return store.StoredReport{}, false, store.ErrRevoked
	}
	for _, old := range f.reports[r.HostID] {
		if old.row.ID == r.ID {
			return old.row, true, nil
		}
	}
	if r.Sequence <= h.LastSequence {
		return store.StoredReport{}, false, store.ErrReplay
	}
	f.seq++
	rep := r.Report
	row := store.StoredReport{
		Seq: f.seq, ID: r.ID, HostID: r.HostID, Sequence: r.Sequence,
		Assignment: rep.Agent.Assignment, Digest: r.Digest,
		Compliance: rep.ComplianceStatus, Summary: rep.Summary,
		EndTime: rep.EndTime, ReceivedAt: r.ReceivedAt,
	}
	f.reports[r.HostID] = append(f.reports[r.HostID], fakeReport{row: row, envelope: bytes.Clone(r.Envelope)})
	for _, rule := range rep.Rules {
		f.latest[[3]string{r.HostID, rule.Baseline, rule.ID}] = store.LatestState{
			HostID: r.HostID, RuleID: rule.ID, Baseline: rule.Baseline, Title: rule.Title,
			Severity: string(rule.Severity), Status: string(rule.Status),
			ReportID: r.ID, UpdatedAt: rep.EndTime,
		}
	}
	h.LastSequence, h.LastSeen = r.Sequence, r.ReceivedAt
	f.hosts[r.HostID] = h
	return row, false, nil
}

func (f *fakeStore) HostReports(ctx context.Context, hostID string, limit int) ([]store.StoredReport, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.failing("HostReports"); err != nil {
		return nil, err
	}
	f.lastLimit = limit
	var out []store.StoredReport
	list := f.reports[hostID]
	for i := len(list) - 1; i >= 0 && len(out) < limit; i-- {
		out = append(out, list[i].row)
	}
	return out, nil
}

func (f *fakeStore) Report(ctx context.Context, hostID, reportID string) (store.StoredReport, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.failing("Report"); err != nil {
		return store.StoredReport{}, err
	}
	for _, r := range f.reports[hostID] {
		if r.row.ID == reportID {
			return r.row, nil
		}
	}
	return store.StoredReport{}, store.ErrNotFound
}

func (f *fakeStore) Envelope(ctx context.Context, hostID, reportID string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.failing("Envelope"); err != nil {
		return nil, err
	}
	for _, r := range f.reports[hostID] {
		if r.row.ID == reportID {
			return bytes.Clone(r.envelope), nil
		}
	}
	return nil, store.ErrNotFound
}

func (f *fakeStore) LatestStates(ctx context.Context) ([]store.LatestState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.failing("LatestStates"); err != nil {
		return nil, err
	}
	var out []store.LatestState
	for _, st := range f.latest {
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].HostID != out[j].HostID {
			return out[i].HostID < out[j].HostID
		}
		return out[i].RuleID < out[j].RuleID
	})
	return out, nil
}

func (f *fakeStore) Counts(ctx context.Context) (hosts, reports, results int64, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, list := range f.reports {
		reports += int64(len(list))
		for _, r := range list {
			results += int64(r.row.Summary.Total)
		}
	}
	return int64(len(f.hosts)), reports, results, nil
}

func (f *fakeStore) Prune(ctx context.Context, before time.Time) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var n int64
	for host, list := range f.reports {
		newest := map[string]int64{} // assignment -> seq of its latest report
		for _, r := range list {
			newest[r.row.Assignment] = max(newest[r.row.Assignment], r.row.Seq)
		}
		var keep []fakeReport
		for _, r := range list {
			if r.row.EndTime.Before(before) && newest[r.row.Assignment] != r.row.Seq {
				n++
				continue
			}
			keep = append(keep, r)
		}
		f.reports[host] = keep
	}
	return n, nil
}
