package serve

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gcrun/gcrun/report"
	"github.com/gcrun/gcrun/runner/serve/store"
	"github.com/google/go-cmp/cmp"
)

func TestIngestFake(t *testing.T) {
	runIngestSuite(t, func(t *testing.T) store.Store { return newFakeStore() })
}

// runIngestSuite runs the ingest table against a store (the fake, and a
// real one where available).
func runIngestSuite(t *testing.T, newStore func(t *testing.T) store.Store) {
	type request struct {
		hdr  map[string]string // overrides of the agent's headers; "" deletes
		body []byte            // the raw body (already compressed)
	}
	type tc struct {
		name string
		// make builds the request; e has host a (enrolled, one report
		// stored with sequence 1) and revoked host r.
		make   func(t *testing.T, e *env, a, r *host) request
		status int
		code   string
		stored bool
	}
	agent := func(t *testing.T, hostID, reportID string, envelope []byte) request {
		return request{hdr: map[string]string{"X-Gcrun-Host": hostID, "Idempotency-Key": reportID}, body: gz(t, envelope)}
	}
	fresh := func(t *testing.T, h *host) (string, []byte) { return h.next(t, t0.Add(-time.Minute), nil) }
	cases := []tc{
		{name: "stored", status: 200, stored: true, make: func(t *testing.T, e *env, a, r *host) request {
			id, env := fresh(t, a)
			return agent(t, a.id, id, env)
		}},
		{name: "content type", status: 415, code: codeUnsupported, make: func(t *testing.T, e *env, a, r *host) request {
			id, env := fresh(t, a)
			req := agent(t, a.id, id, env)
			req.hdr["Content-Type"] = "application/json"
			return req
		}},
		{name: "not gzip encoded", status: 415, code: codeUnsupported, make: func(t *testing.T, e *env, a, r *host) request {
			id, env := fresh(t, a)
			return request{hdr: map[string]string{"X-Gcrun-Host": a.id, "Idempotency-Key": id, "Content-Encoding": ""}, body: env}
		}},
		{name: "gzip header but plain body", status: 400, code: codeBadRequest, make: func(t *testing.T, e *env, a, r *host) request {
			id, env := fresh(t, a)
			return request{hdr: map[string]string{"X-Gcrun-Host": a.id, "Idempotency-Key": id}, body: env}
		}},
		{name: "truncated gzip", status: 400, code: codeBadRequest, make: func(t *testing.T, e *env, a, r *host) request {
			id, env := fresh(t, a)
			req := agent(t, a.id, id, env)
			req.body = req.body[:len(req.body)-10]
			return req
		}},
		{name: "no host header", status: 400, code: codeBadRequest, make: func(t *testing.T, e *env, a, r *host) request {
			id, env := fresh(t, a)
			return agent(t, "", id, env)
		}},
		{name: "no idempotency key", status: 400, code: codeBadRequest, make: func(t *testing.T, e *env, a, r *host) request {
			_, env := fresh(t, a)
			return agent(t, a.id, "", env)
		}},
		{name: "unknown host", status: 401, code: codeUnknownHost, make: func(t *testing.T, e *env, a, r *host) request {
			// A report from a key that never enrolled, claiming its
			// own (derived) host id.
			pub, key := newKey(t)
			stranger := &host{id: HostID(pub), pub: pub, key: key}
			id, env := fresh(t, stranger)
			return agent(t, stranger.id, id, env)
		}},
		{name: "unenrolled key claiming an enrolled host", status: 400, code: codeBadReport, make: func(t *testing.T, e *env, a, r *host) request {
			_, key := newKey(t)
			impostor := &host{id: a.id, key: key, seq: a.seq}
			id, env := fresh(t, impostor)
			return agent(t, a.id, id, env)
		}},
		{name: "revoked", status: 403, code: codeRevoked, make: func(t *testing.T, e *env, a, r *host) request {
			id, env := fresh(t, r)
			return agent(t, r.id, id, env)
		}},
		{name: "tampered payload", status: 400, code: codeBadReport, make: func(t *testing.T, e *env, a, r *host) request {
			id, env := fresh(t, a)
			return agent(t, a.id, id, tamper(t, env))
		}},
		{name: "re-signed by another key", status: 400, code: codeBadReport, make: func(t *testing.T, e *env, a, r *host) request {
			a.seq++
			id := "r-resigned"
			_, other := newKey(t)
			env := sign(t, buildReport(t, reportSpec{hostID: a.id, reportID: id, seq: a.seq, end: t0}), other)
			return agent(t, a.id, id, env)
		}},
		{name: "unsigned envelope", status: 400, code: codeBadReport, make: func(t *testing.T, e *env, a, r *host) request {
			a.seq++
			payload := buildReport(t, reportSpec{hostID: a.id, reportID: "r-plain", seq: a.seq, end: t0})
			return agent(t, a.id, "r-plain", payload)
		}},
		{name: "schema invalid but correctly signed", status: 400, code: codeBadReport, make: func(t *testing.T, e *env, a, r *host) request {
			a.seq++
			payload := buildReport(t, reportSpec{hostID: a.id, reportID: "r-invalid", seq: a.seq, end: t0})
			payload = bytes.Replace(payload, []byte(`"schemaVersion": "1.2.0"`), []byte(`"schemaVersion": "9.9.9"`), 1)
			return agent(t, a.id, "r-invalid", signRaw(payload, a.key))
		}},
		{name: "no agent section", status: 400, code: codeBadReport, make: func(t *testing.T, e *env, a, r *host) request {
			env := sign(t, buildReport(t, reportSpec{noAgent: true, end: t0}), a.key)
			return agent(t, a.id, "r-noagent", env)
		}},
		{name: "agent host id is another host", status: 400, code: codeBadReport, make: func(t *testing.T, e *env, a, r *host) request {
			a.seq++
			env := sign(t, buildReport(t, reportSpec{hostID: r.id, reportID: "r-x", seq: a.seq, end: t0}), a.key)
			return agent(t, a.id, "r-x", env)
		}},
		{name: "idempotency key is not the report id", status: 400, code: codeBadReport, make: func(t *testing.T, e *env, a, r *host) request {
			_, env := fresh(t, a)
			return agent(t, a.id, "r-other", env)
		}},
		{name: "replayed: older sequence, new id", status: 409, code: codeReplay, make: func(t *testing.T, e *env, a, r *host) request {
			env := sign(t, buildReport(t, reportSpec{hostID: a.id, reportID: "r-new-id", seq: 1, end: t0}), a.key)
			return agent(t, a.id, "r-new-id", env)
		}},
		{name: "older than the replay window", status: 409, code: codeReplay, make: func(t *testing.T, e *env, a, r *host) request {
			id, env := a.next(t, t0.Add(-DefaultReplayWindow-time.Second), nil)
			return agent(t, a.id, id, env)
		}},
		{name: "in the future", status: 409, code: codeReplay, make: func(t *testing.T, e *env, a, r *host) request {
			id, env := a.next(t, t0.Add(MaxClockSkew+time.Second), nil)
			return agent(t, a.id, id, env)
		}},
		{name: "just inside the clock skew", status: 200, stored: true, make: func(t *testing.T, e *env, a, r *host) request {
			id, env := a.next(t, t0.Add(MaxClockSkew), nil)
			return agent(t, a.id, id, env)
		}},
		{name: "compressed body too large", status: 413, code: codeTooLarge, make: func(t *testing.T, e *env, a, r *host) request {
			id, env := fresh(t, a)
			req := agent(t, a.id, id, env)
			req.body = append(req.body, make([]byte, 1<<20)...)
			return req
		}},
		{name: "gzip bomb", status: 413, code: codeTooLarge, make: func(t *testing.T, e *env, a, r *host) request {
			id, _ := fresh(t, a)
			return agent(t, a.id, id, make([]byte, 64<<20))
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st := newStore(t)
			e := newEnv(t, st, func(o *Options) { o.MaxBody = 512 << 10 })
			a, r := e.enroll("alpha"), e.enroll("revoked")
			id, env := a.next(t, t0.Add(-time.Hour), nil)
			if status, body := e.deliver(a.id, id, env); status != 200 {
				t.Fatalf("first report: %d %s", status, body)
			}
			if err := st.RevokeHost(context.Background(), r.id, t0); err != nil {
				t.Fatal(err)
			}
			before := reportCount(t, st)

			req := c.make(t, e, a, r)
			hdr := ingestHeaders("", "")
			for k, v := range req.hdr {
				if v == "" {
					hdr.Del(k)
				} else {
					hdr.Set(k, v)
				}
			}
			status, body := e.do("POST", "/v1/reports", hdr, req.body)
			if status != c.status {
				t.Fatalf("status %d, want %d: %s", status, c.status, body)
			}
			if c.code != "" {
				if got := errCode(t, body); got != c.code {
					t.Errorf("code %q, want %q", got, c.code)
				}
			}
			after := reportCount(t, st)
			if c.stored && after != before+1 {
				t.Errorf("%d reports stored, want %d", after, before+1)
			}
			if !c.stored && after != before {
				t.Errorf("a refused report changed the store: %d reports, had %d", after, before)
			}
			if c.status != 200 {
				// The refusal is logged with the host and report ids.
				found := false
				for _, en := range e.logs.AllEntries() {
					if en.Data["code"] == c.code {
						found = en.Data["host"] != nil && en.Data["report"] != nil
					}
				}
				if !found {
					t.Errorf("refusal %s not logged with host and report", c.code)
				}
				if got := e.srv.metrics.refused[codeIndex(refusalCodes[:], c.code)].Load(); got != 1 {
					t.Errorf("refused{code=%q} = %d, want 1", c.code, got)
				}
			}
		})
	}

	t.Run("duplicate returns the stored seq", func(t *testing.T) {
		st := newStore(t)
		e := newEnv(t, st, nil)
		a := e.enroll("alpha")
		id1, env1 := a.next(t, t0.Add(-time.Hour), nil)
		id2, env2 := a.next(t, t0.Add(-time.Minute), nil)
		var first []Ack
		for _, d := range []struct {
			id  string
			env []byte
		}{{id1, env1}, {id2, env2}} {
			status, body := e.deliver(a.id, d.id, d.env)
			if status != 200 {
				t.Fatalf("%d %s", status, body)
			}
			first = append(first, decodeAck(t, body))
		}
		if first[0].Duplicate || first[1].Duplicate || first[1].Seq <= first[0].Seq {
			t.Fatalf("first deliveries: %+v", first)
		}
		// Resending the older one (its sequence is no longer above the
		// host's last) is still a duplicate, not a replay.
		for i, d := range []struct {
			id  string
			env []byte
		}{{id1, env1}, {id2, env2}} {
			status, body := e.deliver(a.id, d.id, d.env)
			if status != 200 {
				t.Fatalf("resend %d: %d %s", i, status, body)
			}
			want := first[i]
			want.Duplicate = true
			if diff := cmp.Diff(want, decodeAck(t, body)); diff != "" {
				t.Errorf("resend %d (-want +got):\n%s", i, diff)
			}
		}
		if n := reportCount(t, st); n != 2 {
			t.Errorf("%d reports stored, want 2", n)
		}
		stored, err := st.Envelope(context.Background(), a.id, id1)
		if err != nil || !bytes.Equal(stored, env1) {
			t.Errorf("stored envelope differs from the one sent (err %v)", err)
		}
	})

	t.Run("duplicate older than the window is still acknowledged", func(t *testing.T) {
		st := newStore(t)
		e := newEnv(t, st, nil)
		a := e.enroll("alpha")
		id, env := a.next(t, t0.Add(-time.Hour), nil)
		if status, body := e.deliver(a.id, id, env); status != 200 {
			t.Fatalf("%d %s", status, body)
		}
		e.clock.Set(t0.Add(DefaultReplayWindow + time.Hour))
		status, body := e.deliver(a.id, id, env)
		if status != 200 || !decodeAck(t, body).Duplicate {
			t.Fatalf("%d %s, want 200 duplicate", status, body)
		}
	})
}

// tamper flips one byte of the envelope's payload (keeping it valid
// base64 and valid JSON) and returns the envelope.
func tamper(t *testing.T, envelope []byte) []byte {
	t.Helper()
	var env report.Envelope
	if err := json.Unmarshal(envelope, &env); err != nil {
		t.Fatal(err)
	}
	payload, err := base64.StdEncoding.DecodeString(env.Payload)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(payload, []byte(`"status": "fail"`))
	if i < 0 {
		t.Fatal("no failing rule to tamper with")
	}
	copy(payload[i:], `"status": "pass"`)
	env.Payload = base64.StdEncoding.EncodeToString(payload)
	out, err := json.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// signRaw signs payload without report.Sign's validation, for envelopes
// that are correctly signed but hold an invalid report.
func signRaw(payload []byte, key ed25519.PrivateKey) []byte {
	sig := ed25519.Sign(key, report.PAE(report.MediaType, payload))
	env := report.Envelope{
		PayloadType: report.MediaType,
		Payload:     base64.StdEncoding.EncodeToString(payload),
		Signatures: []report.Signature{{
			KeyID: report.KeyID(key.Public().(ed25519.PublicKey)),
			Sig:   base64.StdEncoding.EncodeToString(sig),
		}},
	}
	b, _ := json.Marshal(env)
	return b
}

func TestIngestOverloaded(t *testing.T) {
	st := newFakeStore()
	e := newEnv(t, st, func(o *Options) { o.MaxInflight = 1 })
	a := e.enroll("alpha")
	st.putEntered = make(chan struct{}, 1)
	st.putRelease = make(chan struct{})

	id1, env1 := a.next(t, t0, nil)
	var wg sync.WaitGroup
	var firstStatus int
	wg.Go(func() { firstStatus, _ = e.deliver(a.id, id1, env1) })
	<-st.putEntered // the first report holds the only slot

	id2, env2 := a.next(t, t0, nil)
	start := time.Now()
	resp := e.doResp("POST", "/v1/reports", ingestHeaders(a.id, id2), gz(t, env2))
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("second report: %d, want 429", resp.StatusCode)
	}
	if ra := resp.Header.Get("Retry-After"); ra == "" || ra == "0" {
		t.Errorf("Retry-After %q", ra)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the refusal took %s: it must not wait for a slot", d)
	}
	if got := e.srv.metrics.inflight.Load(); got != 1 {
		t.Errorf("inflight %d, want 1", got)
	}
	close(st.putRelease)
	wg.Wait()
	if firstStatus != 200 {
		t.Errorf("first report: %d", firstStatus)
	}
	st.putEntered = nil
	// The slot is free again: the refused report goes through now.
	if status, body := e.deliver(a.id, id2, env2); status != 200 {
		t.Errorf("retry: %d %s", status, body)
	}
	if got := e.srv.metrics.inflight.Load(); got != 0 {
		t.Errorf("inflight %d after the requests, want 0", got)
	}
}

func TestIngestStoreErrors(t *testing.T) {
	for _, op := range []string{"Host", "PutReport"} {
		t.Run(op, func(t *testing.T) {
			st := newFakeStore()
			e := newEnv(t, st, nil)
			a := e.enroll("alpha")
			st.setFail(errors.New("disk on fire"), op)
			id, env := a.next(t, t0, nil)
			resp := e.doResp("POST", "/v1/reports", ingestHeaders(a.id, id), gz(t, env))
			resp.Body.Close()
			if resp.StatusCode != http.StatusServiceUnavailable {
				t.Fatalf("status %d, want 503", resp.StatusCode)
			}
			if resp.Header.Get("Retry-After") == "" {
				t.Error("no Retry-After")
			}
			if got := e.srv.metrics.storeErrors.Load(); got != 1 {
				t.Errorf("store errors %d, want 1", got)
			}
			if got := e.srv.metrics.ingested.Load(); got != 0 {
				t.Errorf("ingested %d, want 0", got)
			}
			// Once the store is back, the same report is stored.
			st.setFail(nil)
			if status, body := e.deliver(a.id, id, env); status != 200 || decodeAck(t, body).Duplicate {
				t.Errorf("after recovery: %d %s", status, body)
			}
		})
	}
}

func TestIngestRaceWithRevocation(t *testing.T) {
	// The host is revoked between the lookup and PutReport: the store's
	// ErrRevoked must give 403, not 200 or 503.
	st := newFakeStore()
	e := newEnv(t, st, nil)
	a := e.enroll("alpha")
	st.putEntered = make(chan struct{}, 1)
	st.putRelease = make(chan struct{})
	id, env := a.next(t, t0, nil)
	var status int
	var body []byte
	var wg sync.WaitGroup
	wg.Go(func() { status, body = e.deliver(a.id, id, env) })
	<-st.putEntered
	if err := st.RevokeHost(context.Background(), a.id, t0); err != nil {
		t.Fatal(err)
	}
	close(st.putRelease)
	wg.Wait()
	if status != http.StatusForbidden || !strings.Contains(string(body), codeRevoked) {
		t.Errorf("%d %s, want 403 revoked", status, body)
	}
}
