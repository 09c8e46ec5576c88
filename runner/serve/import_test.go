package serve

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/gcrun/gcrun/runner/agent/spool"
)

func TestImport(t *testing.T) {
	st := newFakeStore()
	e := newEnv(t, st, nil)
	a, b, r := e.enroll("alpha"), e.enroll("beta"), e.enroll("revoked")
	if err := st.RevokeHost(context.Background(), r.id, t0); err != nil {
		t.Fatal(err)
	}
	imp := func(h *host, end time.Time) ImportedReport {
		id, env := h.next(t, end, nil)
		return ImportedReport{ID: id, Assignment: "linux", Created: end, Envelope: env}
	}
	// alpha's first report is delivered online; the rest come from a
	// spool export, out of order, some older than the replay window.
	a1 := imp(a, t0.Add(-40*24*time.Hour))
	if status, body := e.deliver(a.id, a1.ID, a1.Envelope); status != 409 {
		t.Fatalf("old report online: %d %s, want 409", status, body)
	}
	a2, a3 := imp(a, t0.Add(-30*24*time.Hour)), imp(a, t0.Add(-time.Hour))
	b1 := imp(b, t0.Add(-time.Hour))
	tampered := imp(b, t0)
	tampered.Envelope = tamper(t, tampered.Envelope)
	future := imp(b, t0.Add(time.Hour))
	revoked := imp(r, t0)
	mislabelled := imp(a, t0)
	mislabelled.ID = "r-not-its-id"
	garbage := ImportedReport{ID: "r-garbage", Envelope: []byte("not an envelope")}
	stranger := &host{id: "h-0000000000000000"}
	stranger.pub, stranger.key = newKey(t)
	unknown := imp(stranger, t0)

	res, err := e.srv.ImportReports(context.Background(), []ImportedReport{a3, garbage, b1, a2, tampered, a1, future, revoked, mislabelled, unknown, b1})
	if err != nil {
		t.Fatal(err)
	}
	want := ImportResult{
		Stored:     4, // a1, a2, a3 (in sequence order), b1
		Duplicates: 1, // b1 again
		Refused: []ImportRefusal{
			{ID: "r-garbage", Code: codeBadReport},
			{ID: mislabelled.ID, Code: codeBadReport},
			{ID: tampered.ID, Code: codeBadReport},
			{ID: future.ID, Code: codeReplay},
			{ID: unknown.ID, Code: codeUnknownHost},
			{ID: revoked.ID, Code: codeRevoked},
		},
	}
	// Refusals come in host order, and host ids are random: sort them.
	if diff := cmp.Diff(want, res,
		cmp.Comparer(func(x, y ImportRefusal) bool { return x.ID == y.ID && x.Code == y.Code }),
		cmpopts.SortSlices(func(x, y ImportRefusal) bool { return x.ID < y.ID })); diff != "" {
		t.Errorf("import (-want +got):\n%s", diff)
	}
	for _, rf := range res.Refused {
		if rf.Error == "" {
			t.Errorf("refusal %s has no message", rf.ID)
		}
	}
	rows, _ := st.HostReports(context.Background(), a.id, 10)
	var seqs []int64
	for _, row := range rows {
		seqs = append(seqs, row.Sequence)
	}
	if diff := cmp.Diff([]int64{3, 2, 1}, seqs); diff != "" {
		t.Errorf("alpha's reports (-want +got):\n%s", diff)
	}

	// Importing again changes nothing.
	res, err = e.srv.ImportReports(context.Background(), []ImportedReport{a1, a2, a3, b1})
	if err != nil || res.Stored != 0 || res.Duplicates != 4 {
		t.Errorf("re-import: %+v %v", res, err)
	}

	// A store failure stops the import with an error (run it again).
	c := imp(b, t0)
	st.setFail(errors.New("boom"), "PutReport")
	if _, err := e.srv.ImportReports(context.Background(), []ImportedReport{c}); err == nil {
		t.Error("store failure: no error")
	}
	st.setFail(nil)
	if res, err := e.srv.ImportReports(context.Background(), []ImportedReport{c}); err != nil || res.Stored != 1 {
		t.Errorf("after the store came back: %+v %v", res, err)
	}
}

func TestImportSpoolExport(t *testing.T) {
	st := newFakeStore()
	e := newEnv(t, st, nil)
	a := e.enroll("alpha")
	sp, err := spool.OpenSpool(t.TempDir(), spool.SpoolLimits{MaxBytes: 1 << 30, MaxReports: 100, MaxAge: 365 * 24 * time.Hour}, e.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer sp.Close()
	var ids []string
	for i := range 3 {
		id, env := a.next(t, t0.Add(time.Duration(i-3)*time.Hour), nil)
		ids = append(ids, id)
		if _, err := sp.Put(id, "linux", env); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := sp.Export(&buf); err != nil {
		t.Fatal(err)
	}
	export := buf.Bytes()

	// A truncated file imports nothing.
	if _, err := e.srv.Import(context.Background(), bytes.NewReader(export[:len(export)-20])); err == nil {
		t.Error("truncated export: no error")
	}
	if n := reportCount(t, st); n != 0 {
		t.Fatalf("%d reports stored from a truncated export", n)
	}
	res, err := e.srv.Import(context.Background(), bytes.NewReader(export))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ImportResult{Stored: 3, Refused: []ImportRefusal{}}, res); diff != "" {
		t.Errorf("import (-want +got):\n%s", diff)
	}
	for _, id := range ids {
		if _, err := st.Envelope(context.Background(), a.id, id); err != nil {
			t.Errorf("%s not stored: %v", id, err)
		}
	}
}
