// Package deliver sends the agent's signed reports to the receiver (gcrun
// serve's POST /v1/reports) and says what became of each one, so that the
// agent removes a spooled report only once the receiver acknowledged its id.
//
// Send makes exactly one attempt. Its Outcome tells the caller what to do:
//
//	Acked, Duplicate  the receiver stored the report (now or before): remove it from the spool
//	Rejected          the receiver refused this report for good: move it aside (spool bad/)
//	Retry             nothing is known to be stored: keep it, back off (Backoff, RetryAfter)
//	UnknownHost       the receiver does not know this host: enrol again, keep the report
//	Revoked           this host was revoked: keep the report, stop sending
//
// Anything that is not a positive acknowledgement of the very id sent is
// not one: a 200 whose body names another id, a body cut off mid-way, a
// redirect, or a response from a server whose certificate does not verify
// all come out as Retry, so a report is never dropped on a doubt.
package deliver

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Protocol constants (docs: the issue 8 design, POST /v1/reports).
const (
	// ReportsPath is appended to the server's base URL.
	ReportsPath = "/v1/reports"
	// ContentType is the media type of a report envelope.
	ContentType = "application/vnd.gcrun.envelope+json"
	// HeaderHost carries the sending host's id.
	HeaderHost = "X-Gcrun-Host"
	// HeaderIdempotencyKey carries the report id.
	HeaderIdempotencyKey = "Idempotency-Key"
	// DefaultMaxBody bounds the gzip'd request body when MaxBody is 0.
	DefaultMaxBody = 8 << 20
	// MaxResponseBody bounds how much of a response is read.
	MaxResponseBody = 64 << 10
	// MaxRetryAfter caps a server's Retry-After.
	MaxRetryAfter = time.Hour
)

// ErrTooLarge: the compressed report is larger than the receiver accepts.
// Nothing was sent; the caller moves the report aside (it is never
// truncated).
var ErrTooLarge = errors.New("report too large to deliver")

// Outcome is what became of one delivery attempt.
type Outcome int

// Outcomes of Send.
const (
	// Retry: not acknowledged (network error, timeout, 408, 429, 5xx, a
	// response that is not an acknowledgement of the id): keep the report
	// and try again later.
	Retry Outcome = iota
	// Acked: the receiver stored the report.
	Acked
	// Duplicate: the receiver had already stored this report id; it is
	// acknowledged too.
	Duplicate
	// Rejected: the receiver refused the report itself (400 bad_report, 409
	// replay, 413 too_large, another 4xx); sending it again will not help.
	Rejected
	// UnknownHost: 401 unknown_host; the agent must enrol again.
	UnknownHost
	// Revoked: 403 revoked; this host may no longer report.
	Revoked
)

var outcomeNames = [...]string{"retry", "acked", "duplicate", "rejected", "unknown_host", "revoked"}

func (o Outcome) String() string {
	if o >= 0 && int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return "outcome(" + strconv.Itoa(int(o)) + ")"
}

// Acknowledged reports whether the receiver has the report stored (Acked or
// Duplicate): only then may the caller delete it.
func (o Outcome) Acknowledged() bool { return o == Acked || o == Duplicate }

// Result describes a delivery attempt.
type Result struct {
	Outcome Outcome
	// RetryAfter is the server's Retry-After (capped at MaxRetryAfter), 0
	// when it sent none; meaningful with Retry.
	RetryAfter time.Duration
	// StoredSeq is the receiver's sequence number of the stored report
	// (Acked, Duplicate).
	StoredSeq int64
	// Reason explains any outcome but Acked and Duplicate, for the log and
	// for the .reason file of a rejected report: "<status> <code>: <error>"
	// for a refusal, the error for a network failure.
	Reason string
}

// Deliverer sends reports to one receiver.
type Deliverer struct {
	// Client makes the requests (runner/agent/config.NewHTTPClient: TLS
	// verification on, timeout, proxy).
	Client *http.Client
	// Server is the receiver's base URL (https://gcrun.example.com).
	Server string
	// HostID returns the host's current id (identity.Identity.CurrentHostID);
	// "" means the host is not enrolled.
	HostID func() string
	// MaxBody bounds the gzip'd request body; 0 means DefaultMaxBody.
	MaxBody int64
	// Now is the clock for Retry-After dates; nil means time.Now.
	Now func() time.Time
}

// ack is the receiver's 200 body.
type ack struct {
	ID        *string `json:"id"`
	Seq       int64   `json:"seq"`
	Duplicate bool    `json:"duplicate"`
}

// apiError is the receiver's error body.
type apiError struct {
	Error string `json:"error"`
	Code  string `json:"code"`
}

// Send delivers envelope (a signed report, report.Sign's output) whose
// report id is id: gzip'd, POSTed to Server+ReportsPath with the
// Idempotency-Key and host headers. See the package documentation for the
// outcomes.
//
// The error is non-nil only when nothing was sent because the report or the
// configuration cannot be sent at all; Result.Outcome is meaningful then
// too: ErrTooLarge and an unusable id come with Rejected (move the report
// aside), a configuration error (no client, a server URL that is not https)
// with Retry (keep it). Every answer of the server, and every network
// failure, is a Result with a nil error.
func (d *Deliverer) Send(ctx context.Context, id string, envelope []byte) (Result, error) {
	endpoint, err := d.endpoint()
	if err != nil {
		return Result{Outcome: Retry, Reason: err.Error()}, err
	}
	if d.Client == nil {
		err := errors.New("deliver: no HTTP client")
		return Result{Outcome: Retry, Reason: err.Error()}, err
	}
	if err := checkID(id); err != nil {
		return Result{Outcome: Rejected, Reason: err.Error()}, err
	}
	host := ""
	if d.HostID != nil {
		host = d.HostID()
	}
	if host == "" {
		return Result{Outcome: UnknownHost, Reason: "this host is not enrolled"}, nil
	}
	if err := checkHeaderValue(host); err != nil {
		err = fmt.Errorf("deliver: host id: %w", err)
		return Result{Outcome: Retry, Reason: err.Error()}, err
	}
	body, err := compress(envelope)
	if err != nil {
		return Result{Outcome: Retry, Reason: err.Error()}, err
	}
	if limit := d.maxBody(); int64(len(body)) > limit {
		err := fmt.Errorf("%w: report %s is %d bytes gzip'd (%d bytes plain), more than the limit of %d", ErrTooLarge, id, len(body), len(envelope), limit)
		return Result{Outcome: Rejected, Reason: err.Error()}, err
	}

	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
	if err != nil {
		return Result{Outcome: Retry, Reason: err.Error()}, err
	}
	req.Header.Set("Content-Type", ContentType)
	req.Header.Set("Content-Encoding", "gzip")
	req.Header.Set("Accept", "application/json")
	req.Header.Set(HeaderIdempotencyKey, id)
	req.Header.Set(HeaderHost, host)
	resp, err := d.Client.Do(req)
	if err != nil {
		return Result{Outcome: Retry, Reason: err.Error()}, nil
	}
	defer resp.Body.Close()
	data, readErr := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBody+1))
	retryAfter := parseRetryAfter(resp.Header.Get("Retry-After"), d.now())

	if resp.Request != nil && (resp.Request.Method != http.MethodPost || resp.Request.URL.Scheme != "https") {
		return Result{Outcome: Retry, Reason: fmt.Sprintf("redirected to %s %s: not an acknowledgement", resp.Request.Method, resp.Request.URL.Redacted())}, nil
	}
	if readErr != nil {
		// A cut response may hold a perfectly good acknowledgement; it is
		// not one until it arrived whole.
		return Result{Outcome: Retry, RetryAfter: retryAfter, Reason: fmt.Sprintf("%s: reading the response: %v", resp.Status, readErr)}, nil
	}
	if len(data) > MaxResponseBody {
		return Result{Outcome: Retry, RetryAfter: retryAfter, Reason: fmt.Sprintf("%s: response larger than %d bytes", resp.Status, MaxResponseBody)}, nil
	}

	status := resp.StatusCode
	switch {
	case status == http.StatusOK:
		return acknowledgement(id, data), nil
	case status == http.StatusRequestTimeout, status == http.StatusTooManyRequests, status >= 500:
		return Result{Outcome: Retry, RetryAfter: retryAfter, Reason: errorReason(status, data)}, nil
	case status == http.StatusUnauthorized, status == http.StatusForbidden:
		e := decodeError(data)
		switch {
		case status == http.StatusUnauthorized && e.Code == "unknown_host":
			return Result{Outcome: UnknownHost, Reason: errorReason(status, data)}, nil
		case status == http.StatusForbidden && e.Code == "revoked":
			return Result{Outcome: Revoked, Reason: errorReason(status, data)}, nil
		}
		// Another 401/403 (a proxy's or a load balancer's) says nothing
		// about the report: keep it.
		return Result{Outcome: Retry, RetryAfter: retryAfter, Reason: errorReason(status, data)}, nil
	case status >= 400:
		return Result{Outcome: Rejected, Reason: errorReason(status, data)}, nil
	}
	// 1xx, another 2xx, an unfollowed 3xx: not an acknowledgement.
	return Result{Outcome: Retry, RetryAfter: retryAfter, Reason: fmt.Sprintf("unexpected %s: not an acknowledgement", resp.Status)}, nil
}

// acknowledgement reads a 200 body: an acknowledgement only if it names id.
func acknowledgement(id string, data []byte) Result {
	var a ack
	if err := json.Unmarshal(data, &a); err != nil {
		return Result{Outcome: Retry, Reason: fmt.Sprintf("200 with a body that is not an acknowledgement: %v", err)}
	}
	switch {
	case a.ID == nil:
		return Result{Outcome: Retry, Reason: "200 without the report id: not an acknowledgement"}
	case *a.ID != id:
		return Result{Outcome: Retry, Reason: fmt.Sprintf("200 acknowledging report %q, not %q: not an acknowledgement", printable(*a.ID, 80), id)}
	case a.Seq <= 0:
		return Result{Outcome: Retry, Reason: fmt.Sprintf("200 with store sequence %d: not an acknowledgement", a.Seq)}
	}
	if a.Duplicate {
		return Result{Outcome: Duplicate, StoredSeq: a.Seq}
	}
	return Result{Outcome: Acked, StoredSeq: a.Seq}
}

// errorReason formats an error response as "<status> <code>: <error>".
func errorReason(status int, data []byte) string {
	e := decodeError(data)
	code, msg := e.Code, e.Error
	if code == "" {
		code = "no_code"
	}
	if msg == "" {
		if e == (apiError{}) {
			msg = printable(string(data), 200)
		}
		if msg == "" {
			msg = http.StatusText(status)
		}
	}
	return fmt.Sprintf("%d %s: %s", status, printable(code, 64), printable(msg, 500))
}

func decodeError(data []byte) apiError {
	var e apiError
	if json.Unmarshal(data, &e) != nil {
		return apiError{}
	}
	return e
}

// parseRetryAfter reads a Retry-After header: delay seconds or an HTTP date,
// capped at MaxRetryAfter; 0 when absent, invalid or in the past.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs > int64(MaxRetryAfter/time.Second) {
			return MaxRetryAfter
		}
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	} else {
		return 0
	}
	return min(max(d, 0), MaxRetryAfter)
}

func (d *Deliverer) endpoint() (string, error) {
	u, err := url.Parse(d.Server)
	if err != nil {
		return "", fmt.Errorf("deliver: server %q: %w", d.Server, err)
	}
	if u.Scheme != "https" || u.Host == "" {
		return "", fmt.Errorf("deliver: server %q: want an https:// URL (HTTPS only)", d.Server)
	}
	return strings.TrimRight(d.Server, "/") + ReportsPath, nil
}

func (d *Deliverer) maxBody() int64 {
	if d.MaxBody > 0 {
		return d.MaxBody
	}
	return DefaultMaxBody
}

func (d *Deliverer) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

func compress(data []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(data); err != nil {
		return nil, fmt.Errorf("deliver: gzip: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("deliver: gzip: %w", err)
	}
	return buf.Bytes(), nil
}

func checkID(id string) error {
	if id == "" {
		return errors.New("deliver: empty report id")
	}
	if len(id) > 256 {
		return fmt.Errorf("deliver: report id of %d bytes, at most 256", len(id))
	}
	if err := checkHeaderValue(id); err != nil {
		return fmt.Errorf("deliver: report id %q: %w", id, err)
	}
	return nil
}

// checkHeaderValue allows printable ASCII without spaces.
func checkHeaderValue(v string) error {
	for _, c := range []byte(v) {
		if c <= ' ' || c >= 0x7f {
			return errors.New("only printable ASCII without spaces is allowed")
		}
	}
	return nil
}

// printable keeps the printable runes of s, at most n of them.
func printable(s string, n int) string {
	var b strings.Builder
	count := 0
	for _, r := range strings.TrimSpace(s) {
		if count == n {
			b.WriteString("...")
			break
		}
		if !unicode.IsPrint(r) {
			r = ' '
		}
		b.WriteRune(r)
		count++
	}
	return b.String()
}

// Backoff returns how long to wait before attempt number attempt (0 for the
// first retry) with exponential backoff and full jitter: a uniformly random
// duration between min and min(max, min*2^attempt). min <= 0 is taken as one
// second and max < min as min. rnd returns numbers in [0, 1); nil means
// math/rand/v2.
func Backoff(attempt int, min, max time.Duration, rnd func() float64) time.Duration {
	lo, hi := min, max
	if lo <= 0 {
		lo = time.Second
	}
	if hi < lo {
		hi = lo
	}
	attempt = clampInt(attempt, 0, 62)
	ceiling := hi
	if float64(lo)*math.Pow(2, float64(attempt)) < float64(hi) {
		ceiling = lo << attempt
	}
	return lo + time.Duration(random(rnd)*float64(ceiling-lo))
}

// Jitter spreads d uniformly over [d - frac*d, d + frac*d] (frac is clamped
// to [0, 1]), so that a fleet started together does not poll in step. rnd
// returns numbers in [0, 1); nil means math/rand/v2.
func Jitter(d time.Duration, frac float64, rnd func() float64) time.Duration {
	if d <= 0 || !(frac > 0) {
		return max(d, 0)
	}
	frac = math.Min(frac, 1)
	spread := frac * float64(d)
	return d + time.Duration((2*random(rnd)-1)*spread)
}

func random(rnd func() float64) float64 {
	if rnd == nil {
		rnd = rand.Float64
	}
	r := rnd()
	if !(r >= 0) { // also NaN
		return 0
	}
	if r >= 1 {
		return math.Nextafter(1, 0)
	}
	return r
}

func clampInt(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}
