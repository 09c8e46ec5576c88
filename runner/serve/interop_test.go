package serve

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gcrun/gcrun/runner/agent/deliver"
	"github.com/gcrun/gcrun/runner/agent/identity"
)

// TestAgentInterop drives the server with the agent's own client code:
// enrolment, delivery (stored, duplicate), key rotation, and delivery
// with the new key.
func TestAgentInterop(t *testing.T) {
	st := newFakeStore()
	e := newEnv(t, st, func(o *Options) { o.Now = time.Now })
	ctx := context.Background()
	id, err := identity.LoadOrCreate(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := identity.Enroll(ctx, e.client, e.ts.URL, testSecret, id, "agent-host", "mid"); err != nil {
		t.Fatal(err)
	}
	if id.CurrentHostID() != HostID(id.PublicKey()) {
		t.Fatalf("host id %q", id.CurrentHostID())
	}
	d := &deliver.Deliverer{Client: e.client, Server: e.ts.URL, HostID: id.CurrentHostID}
	send := func(seq int64) (string, deliver.Result) {
		t.Helper()
		rid := fmt.Sprintf("r-%d", seq)
		env, err := id.Sign(buildReport(t, reportSpec{hostID: id.CurrentHostID(), reportID: rid, seq: seq, end: time.Now()}))
		if err != nil {
			t.Fatal(err)
		}
		res, err := d.Send(ctx, rid, env)
		if err != nil {
			t.Fatal(err)
		}
		return rid, res
	}
	_, res := send(1)
	if res.Outcome != deliver.Acked || res.StoredSeq != 1 {
		t.Fatalf("first delivery: %+v", res)
	}
	rid := "r-1"
	env, _ := st.Envelope(ctx, id.CurrentHostID(), rid)
	if res, _ := d.Send(ctx, rid, env); res.Outcome != deliver.Duplicate || res.StoredSeq != 1 {
		t.Errorf("resend: %+v, want Duplicate", res)
	}
	if err := identity.Rotate(ctx, e.client, e.ts.URL, id); err != nil {
		t.Fatalf("rotate: %v", err)
	}
	h, _ := st.Host(ctx, id.CurrentHostID())
	if string(h.PublicKey) != string(id.PublicKey()) {
		t.Fatal("the server does not have the rotated key")
	}
	if _, res := send(2); res.Outcome != deliver.Acked {
		t.Errorf("delivery after rotation: %+v", res)
	}
	// A replay (a new id with an old sequence) is refused for good.
	env, err = id.Sign(buildReport(t, reportSpec{hostID: id.CurrentHostID(), reportID: "r-old", seq: 1, end: time.Now()}))
	if err != nil {
		t.Fatal(err)
	}
	if res, _ := d.Send(ctx, "r-old", env); res.Outcome != deliver.Rejected || !strings.Contains(res.Reason, codeReplay) {
		t.Errorf("replay: %+v, want Rejected (replay)", res)
	}
}
