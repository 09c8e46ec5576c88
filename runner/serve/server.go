// Package serve is gcrun serve, the receiver of gcrun agent: it enrols
// hosts, takes in their signed reports (verifying each against the host's
// enrolled key and refusing replays), rotates host keys, serves policy
// bundles, and shows the fleet's latest state and each host's history.
//
// All bodies are JSON, and every error is a status code with
// {"error": "<message>", "code": "<machine code>"}:
//
//	POST /v1/enroll   200 {"host_id"} | 400 bad_request | 401 bad_secret |
//	                  403 revoked, enrollment_disabled | 409 key_in_use |
//	                  413 too_large | 503 unavailable
//	POST /v1/reports  200 {"id","seq","duplicate"} | 400 bad_request (headers,
//	                  not gzip), bad_report (signature, schema, agent section) |
//	                  401 unknown_host | 403 revoked | 409 replay | 413 too_large |
//	                  415 unsupported_media_type | 429 overloaded + Retry-After |
//	                  503 unavailable + Retry-After
//	POST /v1/rotate   200 {"host_id"} | 400 bad_request, bad_signature |
//	                  401 unknown_host | 403 revoked | 409 replay, key_in_use |
//	                  413 too_large | 503 unavailable
//	GET /v1/bundles/{name}              200 | 304 | 404
//	GET /v1/fleet[?format=html]         200 | 400 | 401 (view token) | 503
//	GET /v1/hosts/{id}/reports[?limit=] 200 | 400 | 401 | 404 | 503
//	GET /v1/hosts/{id}/reports/{rid}    200 (the envelope) | 401 | 404 | 503
//	GET /metrics, GET /healthz          200
//
// A report is acknowledged (200) only once the store has committed it; a
// report the host already delivered is acknowledged again with the stored
// row (duplicate: true), so an agent may resend freely.
//
// The server never queues without bound: at most Options.MaxInflight
// reports are ingested at once, and the next one is refused at once with
// 429 and Retry-After. Bodies are limited both compressed and
// decompressed. Timeouts are the http.Server's (set by the caller); the
// handlers use the request's context for every store call.
package serve

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gcrun/gcrun/runner/serve/store"
	"github.com/sirupsen/logrus"
)

// Defaults for the zero values of Options.
const (
	DefaultMaxBody      = 8 << 20
	DefaultMaxInflight  = 32
	DefaultReplayWindow = 14 * 24 * time.Hour
	DefaultInterval     = 15 * time.Minute
)

// MaxClockSkew is how far in the future a report's end time (or a
// rotation request's time) may be, and how far in the past a rotation
// request's time.
const MaxClockSkew = 5 * time.Minute

// Media types of the protocol.
const (
	// EnvelopeMediaType is the Content-Type of a delivered report (a DSSE
	// envelope, report.Sign's output) and of a stored one served back.
	EnvelopeMediaType = "application/vnd.gcrun.envelope+json"
	// RotateMediaType is the DSSE payloadType of a key rotation request.
	RotateMediaType = "application/vnd.gcrun.rotate+json"
)

// The Retry-After values (seconds) of 429 and 503 answers.
const (
	retryAfterOverloaded = 2
	retryAfterStore      = 10
)

// maxSmallBody bounds the bodies of enroll and rotate requests.
const maxSmallBody = 64 << 10

// Options configures a Server.
type Options struct {
	// Store keeps hosts and reports; required.
	Store store.Store
	// EnrollSecret is the shared secret hosts enrol with. Empty disables
	// enrolment (hosts are then added by the administrator only).
	EnrollSecret string
	// BundlesDir holds <name>.tar.gz bundles served under
	// /v1/bundles/{name}; empty serves none.
	BundlesDir string
	// MaxBody bounds a report's compressed and its decompressed size
	// (DefaultMaxBody when 0).
	MaxBody int64
	// MaxInflight bounds the reports ingested at once; more are refused
	// with 429 (DefaultMaxInflight when 0). Memory use is bounded by about
	// MaxInflight × 3 × MaxBody.
	MaxInflight int
	// ReplayWindow: reports that ended longer ago are refused as replays
	// (DefaultReplayWindow when 0).
	ReplayWindow time.Duration
	// Interval is the agents' evaluation interval: a host not seen for
	// 2 × Interval is stale (DefaultInterval when 0).
	Interval time.Duration
	// ViewToken, when set, is required as "Authorization: Bearer <token>"
	// by the read-only views (/v1/fleet, /v1/hosts/...) and /metrics.
	// When empty they are open to anyone who can reach the server.
	ViewToken string
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Logger receives one line per refusal and store error (a logger
	// writing to stderr when nil). Envelopes are never logged.
	Logger logrus.FieldLogger
}

// Server is a gcrun receiver. Create it with NewServer; it is safe for
// concurrent use.
type Server struct {
	store        store.Store
	enrollHash   [sha256.Size]byte
	enrollOn     bool
	viewHash     [sha256.Size]byte
	viewOn       bool
	bundlesDir   string
	maxBody      int64
	replayWindow time.Duration
	interval     time.Duration
	now          func() time.Time
	log          logrus.FieldLogger

	// sem holds one token per report being ingested.
	sem     chan struct{}
	metrics metrics

	bundleMu    sync.Mutex
	bundleCache map[string]bundleDigest

	pages *template.Template
	mux   *http.ServeMux
}

// NewServer checks opts, fills in defaults and returns the server.
func NewServer(opts Options) (*Server, error) {
	if opts.Store == nil {
		return nil, errors.New("serve: no store")
	}
	if opts.MaxBody < 0 || opts.MaxInflight < 0 || opts.ReplayWindow < 0 || opts.Interval < 0 {
		return nil, errors.New("serve: negative limit in options")
	}
	s := &Server{
		store:        opts.Store,
		bundlesDir:   opts.BundlesDir,
		maxBody:      cmpOr(opts.MaxBody, DefaultMaxBody),
		replayWindow: cmpOr(opts.ReplayWindow, DefaultReplayWindow),
		interval:     cmpOr(opts.Interval, DefaultInterval),
		now:          opts.Now,
		log:          opts.Logger,
		bundleCache:  map[string]bundleDigest{},
		pages:        parsePages(),
	}
	if opts.EnrollSecret != "" {
		s.enrollOn, s.enrollHash = true, sha256.Sum256([]byte(opts.EnrollSecret))
	}
	if opts.ViewToken != "" {
		s.viewOn, s.viewHash = true, sha256.Sum256([]byte(opts.ViewToken))
	}
	if s.bundlesDir != "" {
		fi, err := os.Stat(s.bundlesDir)
		if err != nil {
			return nil, fmt.Errorf("serve: bundles directory: %w", err)
		}
		if !fi.IsDir() {
			return nil, fmt.Errorf("serve: bundles directory %s is not a directory", s.bundlesDir)
		}
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		l := logrus.New()
		l.SetOutput(os.Stderr)
		s.log = l
	}
	s.sem = make(chan struct{}, cmpOr(opts.MaxInflight, DefaultMaxInflight))

	mux := http.NewServeMux()
	// Each path also gets a method-less pattern answering 405 in JSON
	// (ServeMux's own 404 and 405 answers are plain text).
	route := func(method, path string, h http.HandlerFunc) {
		mux.HandleFunc(method+" "+path, h)
		allow := method
		if method == http.MethodGet {
			allow = "GET, HEAD"
		}
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", allow)
			writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "method not allowed; use "+allow)
		})
	}
	route("POST", "/v1/enroll", s.handleEnroll)
	route("POST", "/v1/reports", s.handleIngest)
	route("POST", "/v1/rotate", s.handleRotate)
	route("GET", "/v1/bundles/{name}", s.handleBundle)
	route("GET", "/v1/fleet", s.viewAuth(s.handleFleet))
	route("GET", "/v1/hosts/{id}/reports", s.viewAuth(s.handleHistory))
	route("GET", "/v1/hosts/{id}/reports/{rid}", s.viewAuth(s.handleEnvelope))
	route("GET", "/metrics", s.viewAuth(s.handleMetrics))
	route("GET", "/healthz", s.handleHealthz)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, codeNotFound, "no such endpoint")
	})
	s.mux = mux
	return s, nil
}

func cmpOr[T int | int64 | time.Duration](v, def T) T {
	if v == 0 {
		return def
	}
	return v
}

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "no-store")
		s.mux.ServeHTTP(w, r)
	})
}

// Error codes of the protocol (the "code" member of an error body).
const (
	codeBadRequest     = "bad_request"
	codeUnsupported    = "unsupported_media_type"
	codeTooLarge       = "too_large"
	codeUnknownHost    = "unknown_host"
	codeRevoked        = "revoked"
	codeBadReport      = "bad_report"
	codeReplay         = "replay"
	codeOverloaded     = "overloaded"
	codeUnavailable    = "unavailable"
	codeBadSecret      = "bad_secret"
	codeEnrollDisabled = "enrollment_disabled"
	codeKeyInUse       = "key_in_use"
	codeBadSignature   = "bad_signature"
	codeNotFound       = "not_found"
	codeUnauthorized   = "unauthorized"
)

// errorBody is the body of every error answer.
type errorBody struct {
	Error string `json:"error"`
	Code  string `json:"code"`
}

// refusal is a request refused with a status and code.
type refusal struct {
	status int
	code   string
	msg    string
	// retryAfter, when > 0, is sent as Retry-After (seconds).
	retryAfter int
}

func (e *refusal) Error() string { return e.code + ": " + e.msg }

func refuse(status int, code, format string, args ...any) *refusal {
	return &refusal{status: status, code: code, msg: fmt.Sprintf(format, args...)}
}

func writeRefusal(w http.ResponseWriter, e *refusal) {
	if e.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.retryAfter))
	}
	writeError(w, e.status, e.code, e.msg)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, errorBody{Error: msg, Code: code})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		// Only our own types are encoded; this is a programming error.
		status = http.StatusInternalServerError
		b = []byte(`{"error": "internal error encoding the answer", "code": "internal"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)+1))
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

// storeFailure turns a store error nobody expected into a 503 (never a
// 200: the client must retry), counts and logs it.
func (s *Server) storeFailure(ctx context.Context, op string, err error, fields logrus.Fields) *refusal {
	s.metrics.storeErrors.Add(1)
	entry := s.log.WithFields(fields).WithError(err)
	if ctx.Err() != nil {
		entry.Infof("%s: request ended before the store answered", op)
	} else {
		entry.Errorf("%s: store error", op)
	}
	r := refuse(http.StatusServiceUnavailable, codeUnavailable, "the store is unavailable; retry later")
	r.retryAfter = retryAfterStore
	return r
}

// viewAuth requires the view token, when one is configured.
func (s *Server) viewAuth(h http.HandlerFunc) http.HandlerFunc {
	if !s.viewOn {
		return h
	}
	return func(w http.ResponseWriter, r *http.Request) {
		const prefix = "Bearer "
		auth := r.Header.Get("Authorization")
		ok := len(auth) > len(prefix) && auth[:len(prefix)] == prefix
		got := sha256.Sum256([]byte(auth[min(len(prefix), len(auth)):]))
		if !ok || subtle.ConstantTimeCompare(got[:], s.viewHash[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="gcrun"`)
			writeError(w, http.StatusUnauthorized, codeUnauthorized, "a view token is required (Authorization: Bearer <token>)")
			return
		}
		h(w, r)
	}
}

func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readSmallBody reads a size-limited body.
func readSmallBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, *refusal) {
	if r.ContentLength > limit {
		return nil, refuse(http.StatusRequestEntityTooLarge, codeTooLarge, "body is %d bytes, the limit is %d", r.ContentLength, limit)
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, refuse(http.StatusRequestEntityTooLarge, codeTooLarge, "body exceeds the limit of %d bytes", limit)
		}
		return nil, refuse(http.StatusBadRequest, codeBadRequest, "reading the body: %v", err)
	}
	return b, nil
}

// logValue makes an untrusted value (a header) safe and short for a log
// line.
func logValue(s string) string {
	const max = 128
	if len(s) > max {
		s = s[:max] + "..."
	}
	return sanitize(s)
}

// sanitize shows control, bidirectional-formatting and invalid bytes as
// escapes, so that a host-supplied string can neither forge log lines nor
// disguise what a page says.
func sanitize(s string) string {
	safe := true
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	b := make([]byte, 0, len(s)+8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			b = fmt.Appendf(b, `\x%02x`, s[i])
		case r < 0x80 && unicode.IsControl(r):
			b = fmt.Appendf(b, `\x%02x`, r)
		case unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r):
			b = fmt.Appendf(b, `\u%04x`, r)
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return string(b)
}

// validID reports whether s is usable as a host or report id: 1 to 128
// printable ASCII characters other than space, quote, slash and backslash.
func validID(s string) bool {
	if len(s) == 0 || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || c == '"' || c == '/' || c == '\\' {
			return false
		}
	}
	return true
}
