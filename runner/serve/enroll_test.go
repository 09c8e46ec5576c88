package serve

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gcrun/gcrun/report"
	"github.com/google/go-cmp/cmp"
)

func TestEnroll(t *testing.T) {
	st := newFakeStore()
	e := newEnv(t, st, nil)
	pub, _ := newKey(t)
	good := EnrollRequest{Secret: testSecret, PublicKey: pemOf(t, pub), Hostname: "web-1", MachineID: "0123"}

	status, body := e.do("POST", "/v1/enroll", nil, mustJSON(t, good))
	if status != 200 {
		t.Fatalf("%d %s", status, body)
	}
	var resp EnrollResponse
	if err := json.Unmarshal(body, &resp); err != nil {
		t.Fatal(err)
	}
	wantID := "h-" + report.KeyID(pub)[:16]
	if resp.HostID != wantID {
		t.Errorf("host id %q, want %q", resp.HostID, wantID)
	}
	h, err := st.Host(context.Background(), wantID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]any{[]byte(pub), report.KeyID(pub), "web-1", "0123", t0}, []any{h.PublicKey, h.KeyID, h.Hostname, h.MachineID, h.EnrolledAt}); diff != "" {
		t.Errorf("stored host (-want +got):\n%s", diff)
	}
	// Same key again: same id, nothing new.
	status, body = e.do("POST", "/v1/enroll", nil, mustJSON(t, good))
	if status != 200 || !strings.Contains(string(body), wantID) {
		t.Errorf("re-enrol: %d %s", status, body)
	}
	if n, _, _, _ := st.Counts(context.Background()); n != 1 {
		t.Errorf("%d hosts, want 1", n)
	}

	cases := []struct {
		name   string
		body   string
		status int
		code   string
	}{
		{"wrong secret", string(mustJSON(t, EnrollRequest{Secret: "guess", PublicKey: good.PublicKey})), 401, codeBadSecret},
		{"empty secret", string(mustJSON(t, EnrollRequest{PublicKey: good.PublicKey})), 401, codeBadSecret},
		{"secret with a longer suffix", string(mustJSON(t, EnrollRequest{Secret: testSecret + "x", PublicKey: good.PublicKey})), 401, codeBadSecret},
		{"not JSON", "secret=" + testSecret, 400, codeBadRequest},
		{"unknown member", `{"secret": "` + testSecret + `", "public_key": "", "admin": true}`, 400, codeBadRequest},
		{"member in other case", `{"Secret": "` + testSecret + `"}`, 400, codeBadRequest},
		{"duplicate member", `{"secret": "x", "secret": "` + testSecret + `"}`, 400, codeBadRequest},
		{"bad key", string(mustJSON(t, EnrollRequest{Secret: testSecret, PublicKey: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"})), 400, codeBadRequest},
		{"hostname with control characters", string(mustJSON(t, EnrollRequest{Secret: testSecret, PublicKey: good.PublicKey, Hostname: "a\nb"})), 400, codeBadRequest},
		{"too large", `{"secret": "` + strings.Repeat("x", maxSmallBody) + `"}`, 413, codeTooLarge},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body := e.do("POST", "/v1/enroll", nil, []byte(c.body))
			if status != c.status || errCode(t, body) != c.code {
				t.Errorf("%d %s, want %d %s", status, body, c.status, c.code)
			}
		})
	}
	if n, _, _, _ := st.Counts(context.Background()); n != 1 {
		t.Errorf("%d hosts after refusals, want 1", n)
	}

	t.Run("revoked", func(t *testing.T) {
		if err := st.RevokeHost(context.Background(), wantID, t0); err != nil {
			t.Fatal(err)
		}
		status, body := e.do("POST", "/v1/enroll", nil, mustJSON(t, good))
		if status != 403 || errCode(t, body) != codeRevoked {
			t.Errorf("%d %s, want 403 revoked", status, body)
		}
	})
	t.Run("store error", func(t *testing.T) {
		st.setFail(errors.New("boom"), "EnrollHost")
		defer st.setFail(nil)
		pub2, _ := newKey(t)
		status, body := e.do("POST", "/v1/enroll", nil, mustJSON(t, EnrollRequest{Secret: testSecret, PublicKey: pemOf(t, pub2)}))
		if status != 503 || errCode(t, body) != codeUnavailable {
			t.Errorf("%d %s, want 503", status, body)
		}
	})
	if got := e.srv.metrics.enrollRefused[codeIndex(enrollCodes[:], codeBadSecret)].Load(); got != 3 {
		t.Errorf("enroll refused{bad_secret} = %d, want 3", got)
	}
}

func TestEnrollDisabled(t *testing.T) {
	e := newEnv(t, newFakeStore(), func(o *Options) { o.EnrollSecret = "" })
	pub, _ := newKey(t)
	for _, secret := range []string{"", "anything"} {
		status, body := e.do("POST", "/v1/enroll", nil, mustJSON(t, EnrollRequest{Secret: secret, PublicKey: pemOf(t, pub)}))
		if status != 403 || errCode(t, body) != codeEnrollDisabled {
			t.Errorf("secret %q: %d %s, want 403", secret, status, body)
		}
	}
}

// rotateBody signs a rotation request.
func rotateBody(t *testing.T, hostID string, newPub ed25519.PublicKey, at time.Time, key ed25519.PrivateKey) []byte {
	t.Helper()
	b, err := SignRotation(RotateRequest{HostID: hostID, NewPublicKey: pemOf(t, newPub), Time: at}, key)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRotate(t *testing.T) {
	st := newFakeStore()
	e := newEnv(t, st, nil)
	a, b := e.enroll("alpha"), e.enroll("beta")
	newPub, newKey_ := newKey(t)
	otherPub, otherKey := newKey(t)

	cases := []struct {
		name   string
		body   func() []byte
		status int
		code   string
	}{
		{"signed by another key", func() []byte { return rotateBody(t, a.id, newPub, t0, otherKey) }, 400, codeBadSignature},
		{"signed by another host", func() []byte { return rotateBody(t, a.id, newPub, t0, b.key) }, 400, codeBadSignature},
		{"tampered", func() []byte {
			body := rotateBody(t, a.id, newPub, t0, a.key)
			var env report.Envelope
			_ = json.Unmarshal(body, &env)
			p, _ := base64.StdEncoding.DecodeString(env.Payload)
			p = []byte(strings.Replace(string(p), pemOf(t, newPub)[50:60], pemOf(t, otherPub)[50:60], 1))
			env.Payload = base64.StdEncoding.EncodeToString(p)
			return mustJSON(t, env)
		}, 400, codeBadSignature},
		{"stale time", func() []byte { return rotateBody(t, a.id, newPub, t0.Add(-MaxClockSkew-time.Second), a.key) }, 409, codeReplay},
		{"future time", func() []byte { return rotateBody(t, a.id, newPub, t0.Add(MaxClockSkew+time.Second), a.key) }, 409, codeReplay},
		{"unknown host", func() []byte { return rotateBody(t, "h-0000000000000000", newPub, t0, a.key) }, 401, codeUnknownHost},
		{"key of another host", func() []byte { return rotateBody(t, a.id, b.pub, t0, a.key) }, 409, codeKeyInUse},
		{"wrong payload type", func() []byte {
			return signRaw([]byte(`{"host_id": "`+a.id+`"}`), a.key) // a report envelope
		}, 400, codeBadRequest},
		{"not an envelope", func() []byte { return []byte(`{"host_id": "` + a.id + `"}`) }, 400, codeBadRequest},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body := e.do("POST", "/v1/rotate", nil, c.body())
			if status != c.status || errCode(t, body) != c.code {
				t.Errorf("%d %s, want %d %s", status, body, c.status, c.code)
			}
			if h, _ := st.Host(context.Background(), a.id); !ed25519.PublicKey(h.PublicKey).Equal(a.pub) {
				t.Error("the key changed")
			}
		})
	}

	// A good rotation: the new key signs from now on, the old one no
	// longer does.
	status, body := e.do("POST", "/v1/rotate", nil, rotateBody(t, a.id, newPub, t0.Add(-time.Minute), a.key))
	if status != 200 || !strings.Contains(string(body), a.id) {
		t.Fatalf("rotate: %d %s", status, body)
	}
	id, env := a.next(t, t0, nil)
	if status, body := e.deliver(a.id, id, env); status != 400 || errCode(t, body) != codeBadReport {
		t.Errorf("report signed by the old key: %d %s, want 400 bad_report", status, body)
	}
	a.key, a.pub = newKey_, newPub
	id, env = a.next(t, t0, nil)
	if status, body := e.deliver(a.id, id, env); status != 200 {
		t.Errorf("report signed by the new key: %d %s", status, body)
	}
	// Re-enrolling with the new key keeps the host's first id.
	status, body = e.do("POST", "/v1/enroll", nil, mustJSON(t, EnrollRequest{Secret: testSecret, PublicKey: pemOf(t, newPub)}))
	if status != 200 || !strings.Contains(string(body), `"`+a.id+`"`) {
		t.Errorf("re-enrol after rotation: %d %s, want host id %s", status, body, a.id)
	}
	// The old key's request, replayed, no longer verifies.
	status, body = e.do("POST", "/v1/rotate", nil, rotateBody(t, a.id, otherPub, t0, otherKey))
	if status != 400 {
		t.Errorf("rotation signed by a foreign key after rotation: %d %s", status, body)
	}

	t.Run("revoked", func(t *testing.T) {
		if err := st.RevokeHost(context.Background(), b.id, t0); err != nil {
			t.Fatal(err)
		}
		status, body := e.do("POST", "/v1/rotate", nil, rotateBody(t, b.id, otherPub, t0, b.key))
		if status != 403 || errCode(t, body) != codeRevoked {
			t.Errorf("%d %s, want 403", status, body)
		}
	})
	if got := e.srv.metrics.rotated.Load(); got != 1 {
		t.Errorf("rotations %d, want 1", got)
	}
}
