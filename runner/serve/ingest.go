package serve

import (
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/gcrun/gcrun/report"
	"github.com/gcrun/gcrun/runner/serve/store"
	"github.com/sirupsen/logrus"
)

// Ack is the answer to a stored (or already stored) report.
type Ack struct {
	// ID is the report id.
	ID string `json:"id"`
	// Seq is the store's own number of the report (above 0: the agent
	// counts only such an answer as an acknowledgement).
	Seq int64 `json:"seq"`
	// Duplicate says the report had been stored before; nothing changed.
	Duplicate bool `json:"duplicate"`
}

// handleIngest is POST /v1/reports: one gzipped DSSE envelope, signed by
// the host named in X-Gcrun-Host, whose report's agent section repeats
// that host id and the Idempotency-Key. See the package documentation for
// the answers; in short 200 only once the report is committed (or was
// before), 4xx when resending cannot help, 429/503 with Retry-After when
// it can.
func (s *Server) handleIngest(w http.ResponseWriter, r *http.Request) {
	hostID := r.Header.Get("X-Gcrun-Host")
	reportID := r.Header.Get("Idempotency-Key")

	// Load shedding: never queue. A full semaphore answers at once, and
	// the agent retries after Retry-After (with its own jitter).
	select {
	case s.sem <- struct{}{}:
	default:
		ref := refuse(http.StatusTooManyRequests, codeOverloaded, "too many reports in flight; retry later")
		ref.retryAfter = retryAfterOverloaded
		s.refuseReport(w, r, hostID, reportID, ref)
		return
	}
	s.metrics.inflight.Add(1)
	defer func() {
		s.metrics.inflight.Add(-1)
		<-s.sem
	}()

	ack, ref := s.ingest(w, r, hostID, reportID)
	if ref != nil {
		s.refuseReport(w, r, hostID, reportID, ref)
		return
	}
	if ack.Duplicate {
		s.metrics.duplicates.Add(1)
	} else {
		s.metrics.ingested.Add(1)
	}
	s.log.WithFields(logrus.Fields{"host": hostID, "report": reportID, "seq": ack.Seq, "duplicate": ack.Duplicate}).Debug("report stored")
	writeJSON(w, http.StatusOK, ack)
}

func (s *Server) refuseReport(w http.ResponseWriter, r *http.Request, hostID, reportID string, ref *refusal) {
	s.metrics.refuse(ref.code)
	entry := s.log.WithFields(logrus.Fields{
		"host": logValue(hostID), "report": logValue(reportID), "code": ref.code,
		"status": ref.status, "remote": r.RemoteAddr,
	})
	switch ref.code {
	case codeBadReport, codeReplay, codeRevoked, codeUnknownHost:
		// What a forged, replayed or lost host looks like.
		entry.Warnf("report refused: %s", ref.msg)
	case codeUnavailable:
		// storeFailure logged it already.
	default:
		entry.Infof("report refused: %s", ref.msg)
	}
	writeRefusal(w, ref)
}

// ingest checks the request and stores the report.
func (s *Server) ingest(w http.ResponseWriter, r *http.Request, hostID, reportID string) (Ack, *refusal) {
	ctx := r.Context()
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != EnvelopeMediaType {
		return Ack{}, refuse(http.StatusUnsupportedMediaType, codeUnsupported, "Content-Type must be %s", EnvelopeMediaType)
	}
	if enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc != "gzip" {
		return Ack{}, refuse(http.StatusUnsupportedMediaType, codeUnsupported, "Content-Encoding must be gzip")
	}
	if !validID(hostID) {
		return Ack{}, refuse(http.StatusBadRequest, codeBadRequest, "missing or malformed X-Gcrun-Host header")
	}
	if !validID(reportID) {
		return Ack{}, refuse(http.StatusBadRequest, codeBadRequest, "missing or malformed Idempotency-Key header")
	}
	if r.ContentLength > s.maxBody {
		return Ack{}, refuse(http.StatusRequestEntityTooLarge, codeTooLarge, "body is %d bytes compressed, the limit is %d", r.ContentLength, s.maxBody)
	}

	// The host before the body: an unknown or revoked host costs no
	// decompression.
	host, ref := s.lookupHost(ctx, hostID, reportID)
	if ref != nil {
		return Ack{}, ref
	}

	envelope, ref := s.readGzip(w, r)
	if ref != nil {
		return Ack{}, ref
	}
	return s.accept(ctx, host, reportID, envelope, true)
}

// lookupHost returns the enrolled, not revoked host.
func (s *Server) lookupHost(ctx context.Context, hostID, reportID string) (store.Host, *refusal) {
	host, err := s.store.Host(ctx, hostID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return store.Host{}, refuse(http.StatusUnauthorized, codeUnknownHost, "host %q is not enrolled", hostID)
	case err != nil:
		return store.Host{}, s.storeFailure(ctx, "ingest: host lookup", err, logrus.Fields{"host": hostID, "report": logValue(reportID)})
	case host.RevokedAt != nil:
		return store.Host{}, refuse(http.StatusForbidden, codeRevoked, "host %q is revoked", hostID)
	}
	return host, nil
}

// readGzip reads the gzipped body, refusing more than maxBody bytes on
// either side of the decompression (a gzip bomb stops at the limit).
func (s *Server) readGzip(w http.ResponseWriter, r *http.Request) ([]byte, *refusal) {
	tooLarge := func(err error) bool {
		var mb *http.MaxBytesError
		return errors.As(err, &mb)
	}
	body := http.MaxBytesReader(w, r.Body, s.maxBody)
	zr, err := gzip.NewReader(body)
	if err != nil {
		if tooLarge(err) {
			return nil, refuse(http.StatusRequestEntityTooLarge, codeTooLarge, "body exceeds %d bytes compressed", s.maxBody)
		}
		return nil, refuse(http.StatusBadRequest, codeBadRequest, "body is not gzip: %v", err)
	}
	defer zr.Close()
	data, err := io.ReadAll(io.LimitReader(zr, s.maxBody+1))
	switch {
	case tooLarge(err):
		return nil, refuse(http.StatusRequestEntityTooLarge, codeTooLarge, "body exceeds %d bytes compressed", s.maxBody)
	case err != nil:
		return nil, refuse(http.StatusBadRequest, codeBadRequest, "body is not valid gzip: %v", err)
	case int64(len(data)) > s.maxBody:
		return nil, refuse(http.StatusRequestEntityTooLarge, codeTooLarge, "body exceeds %d bytes decompressed", s.maxBody)
	}
	return data, nil
}

// accept verifies envelope against host's key, checks its agent section
// and age, and stores it. It is the path of both deliveries and imports.
// checkAge refuses reports that ended more than the replay window ago;
// the future limit always applies.
func (s *Server) accept(ctx context.Context, host store.Host, reportID string, envelope []byte, checkAge bool) (Ack, *refusal) {
	rep, _, err := report.Verify(envelope, host.PublicKey)
	if err != nil {
		return Ack{}, refuse(http.StatusBadRequest, codeBadReport, "report does not verify against the host's key: %v", err)
	}
	a := rep.Agent
	switch {
	case a == nil:
		return Ack{}, refuse(http.StatusBadRequest, codeBadReport, "report has no agent section")
	case a.HostID != host.ID:
		return Ack{}, refuse(http.StatusBadRequest, codeBadReport, "report's agent host id %q is not the delivering host %q", logValue(a.HostID), host.ID)
	case a.ReportID != reportID:
		return Ack{}, refuse(http.StatusBadRequest, codeBadReport, "report's id %q is not the Idempotency-Key %q", logValue(a.ReportID), logValue(reportID))
	}

	now := s.now()
	end := rep.EndTime
	if end.After(now.Add(MaxClockSkew)) {
		return Ack{}, refuse(http.StatusConflict, codeReplay, "report ends at %s, more than %s in the future (check the host's clock)", end.UTC().Format(time.RFC3339), MaxClockSkew)
	}
	if checkAge && end.Before(now.Add(-s.replayWindow)) {
		// Still acknowledge a report that was stored while it was
		// young (the acknowledgement got lost): nothing must look lost.
		row, err := s.store.Report(ctx, host.ID, reportID)
		switch {
		case err == nil:
			return Ack{ID: reportID, Seq: row.Seq, Duplicate: true}, nil
		case !errors.Is(err, store.ErrNotFound):
			return Ack{}, s.storeFailure(ctx, "ingest: duplicate lookup", err, logrus.Fields{"host": host.ID, "report": logValue(reportID)})
		}
		return Ack{}, refuse(http.StatusConflict, codeReplay, "report ended at %s, longer ago than the replay window of %s", end.UTC().Format(time.RFC3339), s.replayWindow)
	}

	sum := sha256.Sum256(envelope)
	row, dup, err := s.store.PutReport(ctx, store.Report{
		ID:         reportID,
		HostID:     host.ID,
		Sequence:   a.Sequence,
		Envelope:   envelope,
		Digest:     "sha256:" + hex.EncodeToString(sum[:]),
		Report:     rep,
		ReceivedAt: now,
	})
	switch {
	case errors.Is(err, store.ErrReplay):
		return Ack{}, refuse(http.StatusConflict, codeReplay, "report sequence %d is not above the host's last", a.Sequence)
	case errors.Is(err, store.ErrRevoked):
		return Ack{}, refuse(http.StatusForbidden, codeRevoked, "host %q is revoked", host.ID)
	case errors.Is(err, store.ErrNotFound):
		return Ack{}, refuse(http.StatusUnauthorized, codeUnknownHost, "host %q is not enrolled", host.ID)
	case err != nil:
		return Ack{}, s.storeFailure(ctx, "ingest: store report", err, logrus.Fields{"host": host.ID, "report": logValue(reportID)})
	}
	return Ack{ID: row.ID, Seq: row.Seq, Duplicate: dup}, nil
}
