package serve

import (
	"bytes"
	"net/http"
	"strconv"
	"sync/atomic"
)

// refusalCodes are the codes a report delivery can be refused with, in the
// order /metrics lists them. Every one is always exposed (0 until it
// happens), so that rate() works from the first refusal.
var refusalCodes = [...]string{
	codeBadRequest,
	codeUnsupported,
	codeTooLarge,
	codeUnknownHost,
	codeRevoked,
	codeBadReport,
	codeReplay,
	codeOverloaded,
	codeUnavailable,
}

// enrollCodes are the codes an enrolment or rotation can be refused with.
var enrollCodes = [...]string{
	codeBadRequest,
	codeTooLarge,
	codeBadSecret,
	codeEnrollDisabled,
	codeUnknownHost,
	codeRevoked,
	codeBadSignature,
	codeReplay,
	codeKeyInUse,
	codeUnavailable,
}

func codeIndex(list []string, code string) int {
	for i, c := range list {
		if c == code {
			return i
		}
	}
	return -1
}

// metrics are one Server's counters.
type metrics struct {
	ingested      atomic.Int64
	duplicates    atomic.Int64
	refused       [len(refusalCodes)]atomic.Int64
	inflight      atomic.Int64
	storeErrors   atomic.Int64
	enrolled      atomic.Int64
	rotated       atomic.Int64
	enrollRefused [len(enrollCodes)]atomic.Int64
}

func (m *metrics) refuse(code string) {
	if i := codeIndex(refusalCodes[:], code); i >= 0 {
		m.refused[i].Add(1)
	}
}

func (m *metrics) refuseEnroll(code string) {
	if i := codeIndex(enrollCodes[:], code); i >= 0 {
		m.enrollRefused[i].Add(1)
	}
}

// handleMetrics writes the Prometheus text exposition format (version
// 0.0.4). Host counts come from the store; when it fails they are left out
// and the scrape still shows the counters.
func (s *Server) handleMetrics(w http.ResponseWriter, r *http.Request) {
	var b bytes.Buffer
	m := &s.metrics
	counter := func(name, help string, v int64) {
		family(&b, name, help, "counter")
		sample(&b, name, "", "", v)
	}
	gauge := func(name, help string, v int64) {
		family(&b, name, help, "gauge")
		sample(&b, name, "", "", v)
	}
	counter("gcrun_serve_reports_ingested_total", "Reports stored.", m.ingested.Load())
	counter("gcrun_serve_reports_duplicates_total", "Reports delivered again and acknowledged without storing them twice.", m.duplicates.Load())
	family(&b, "gcrun_serve_reports_refused_total", "Report deliveries refused, by error code.", "counter")
	for i, c := range refusalCodes {
		sample(&b, "gcrun_serve_reports_refused_total", "code", c, m.refused[i].Load())
	}
	gauge("gcrun_serve_reports_inflight", "Reports being ingested now.", m.inflight.Load())
	counter("gcrun_serve_store_errors_total", "Store operations that failed (answered 503).", m.storeErrors.Load())
	counter("gcrun_serve_enrollments_total", "Successful enrolments (including repeated ones).", m.enrolled.Load())
	counter("gcrun_serve_rotations_total", "Successful host key rotations.", m.rotated.Load())
	family(&b, "gcrun_serve_enroll_refused_total", "Enrolments and key rotations refused, by error code.", "counter")
	for i, c := range enrollCodes {
		sample(&b, "gcrun_serve_enroll_refused_total", "code", c, m.enrollRefused[i].Load())
	}

	hosts, err := s.store.Hosts(r.Context())
	if err != nil {
		s.storeFailure(r.Context(), "metrics", err, nil)
	} else {
		now := s.now()
		var active, stale int64
		for _, h := range hosts {
			if h.RevokedAt != nil {
				continue
			}
			active++
			if s.stale(h, now) {
				stale++
			}
		}
		gauge("gcrun_serve_hosts", "Enrolled hosts that are not revoked.", active)
		gauge("gcrun_serve_hosts_stale", "Enrolled, not revoked hosts without a report for twice the interval (or ever).", stale)
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	_, _ = w.Write(b.Bytes())
}

func family(b *bytes.Buffer, name, help, typ string) {
	b.WriteString("# HELP " + name + " " + help + "\n")
	b.WriteString("# TYPE " + name + " " + typ + "\n")
}

// sample writes one sample; label values are our own constants, which
// need no escaping.
func sample(b *bytes.Buffer, name, label, value string, v int64) {
	b.WriteString(name)
	if label != "" {
		b.WriteString("{" + label + `="` + value + `"}`)
	}
	b.WriteByte(' ')
	b.WriteString(strconv.FormatInt(v, 10))
	b.WriteByte('\n')
}
