package serve

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ed25519"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gcrun/gcrun/report"
	"github.com/sirupsen/logrus/hooks/test"
)

// FuzzIngest feeds arbitrary bodies and headers to POST /v1/reports. It
// must never panic, answer only documented statuses, and answer 200 only
// for a report that verifies against the enrolled key and names the
// delivering host and the idempotency key.
func FuzzIngest(f *testing.F) {
	key := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
	pub := key.Public().(ed25519.PublicKey)
	h := &host{id: HostID(pub), pub: pub, key: key}
	st := newFakeStore()
	if _, err := st.EnrollHost(context.Background(), hostStoreRecord(h, "fuzz")); err != nil {
		f.Fatal(err)
	}
	logger, _ := test.NewNullLogger()
	srv, err := NewServer(Options{Store: st, Now: func() time.Time { return t0 }, Logger: logger, MaxBody: 1 << 20})
	if err != nil {
		f.Fatal(err)
	}
	handler := srv.Handler()

	id, env := h.next(f, t0, nil)
	f.Add(env, true, h.id, id, EnvelopeMediaType, "gzip")
	f.Add(gz(f, env), false, h.id, id, EnvelopeMediaType, "gzip")
	f.Add(env, true, h.id, "other", EnvelopeMediaType, "gzip")
	f.Add(env, true, "h-0000000000000000", id, EnvelopeMediaType+"; charset=utf-8", "GZIP")
	f.Add(env, false, h.id, id, EnvelopeMediaType, "")
	f.Add([]byte{}, true, h.id, id, EnvelopeMediaType, "gzip")
	f.Add([]byte(`{"payloadType":"application/vnd.gcrun.report+json","payload":"e30=","signatures":[{"keyid":"`+report.KeyID(pub)+`","sig":""}]}`), true, h.id, "r", EnvelopeMediaType, "gzip")
	id2, env2 := h.next(f, t0, nil)
	f.Add(env2, true, h.id, id2, EnvelopeMediaType, "gzip")

	allowed := map[int]bool{200: true, 400: true, 401: true, 403: true, 409: true, 413: true, 415: true}
	f.Fuzz(func(t *testing.T, body []byte, compress bool, hostHdr, keyHdr, ctype, cenc string) {
		sent := body
		if compress {
			sent = gz(t, body)
		}
		req := httptest.NewRequest("POST", "/v1/reports", bytes.NewReader(sent))
		for k, v := range map[string]string{"X-Gcrun-Host": hostHdr, "Idempotency-Key": keyHdr, "Content-Type": ctype, "Content-Encoding": cenc} {
			if v != "" {
				req.Header[k] = []string{v}
			}
		}
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if !allowed[rec.Code] {
			t.Fatalf("status %d not in the documented set: %s", rec.Code, rec.Body)
		}
		if rec.Code != http.StatusOK {
			if errCode(t, rec.Body.Bytes()) == "" {
				t.Fatalf("status %d without an error code", rec.Code)
			}
			return
		}
		// 200: the body must be a report signed by the enrolled key, for
		// this host and id.
		zr, err := gzip.NewReader(bytes.NewReader(sent))
		if err != nil {
			t.Fatalf("200 for a body that is not gzip: %v", err)
		}
		envelope, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("200 for a body that does not decompress: %v", err)
		}
		rep, _, err := report.Verify(envelope, pub)
		if err != nil {
			t.Fatalf("200 for a report that does not verify: %v", err)
		}
		if hostHdr != h.id || rep.Agent == nil || rep.Agent.HostID != h.id || rep.Agent.ReportID != keyHdr {
			t.Fatalf("200 for a report of another host or id: header %q/%q", hostHdr, keyHdr)
		}
		ack := decodeAck(t, rec.Body.Bytes())
		if ack.ID != keyHdr || ack.Seq <= 0 {
			t.Fatalf("ack %+v", ack)
		}
	})
}
