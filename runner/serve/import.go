package serve

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"time"

	"github.com/gcrun/gcrun/report"
	"github.com/gcrun/gcrun/runner/agent/spool"
	"github.com/sirupsen/logrus"
)

// ImportedReport is one report of an agent's spool export
// (`gcrun spool export`), already read from the file.
type ImportedReport struct {
	// ID is the report id the spool filed it under; it must be the
	// report's agent.reportId.
	ID         string
	Assignment string
	Created    time.Time
	// Envelope is the signed DSSE envelope, not compressed.
	Envelope []byte
}

// ImportResult says what Import did with each report.
type ImportResult struct {
	// Stored counts the reports stored, Duplicates those stored before.
	Stored     int `json:"stored"`
	Duplicates int `json:"duplicates"`
	// Refused lists the reports refused, in import order.
	Refused []ImportRefusal `json:"refused"`
}

// ImportRefusal is a report Import refused, with the code a delivery of
// it would have been refused with.
type ImportRefusal struct {
	ID    string `json:"id"`
	Code  string `json:"code"`
	Error string `json:"error"`
}

// Import reads an agent's spool export (`gcrun spool export`, read with
// spool.ReadExport, which checks the file's trailer so that a truncated or
// altered file imports nothing) and stores its reports with ImportReports.
func (s *Server) Import(ctx context.Context, r io.Reader) (ImportResult, error) {
	exported, err := spool.ReadExport(r)
	if err != nil {
		return ImportResult{Refused: []ImportRefusal{}}, fmt.Errorf("import: %w", err)
	}
	reports := make([]ImportedReport, len(exported))
	for i, e := range exported {
		reports[i] = ImportedReport{ID: e.ID, Assignment: e.Assignment, Created: e.Created, Envelope: e.Envelope}
	}
	return s.ImportReports(ctx, reports)
}

// ImportReports stores reports carried over from a host's spool (for hosts
// that cannot reach the server), through the same checks as a delivery: the
// envelope must verify against the enrolled key of the host its agent
// section names, the ids must agree, the host must not be revoked, the
// sequence must be above the host's last (reports are imported in
// sequence order per host), and a report stored before is a duplicate,
// not an error. Unlike a delivery, a report older than the replay window
// is accepted (the administrator carried it over; its sequence still
// guards against replays); one dated in the future is refused.
//
// Reports that are refused are listed in the result; Import is
// idempotent, so after an error (the store failed, or ctx ended) it can
// simply be run again.
func (s *Server) ImportReports(ctx context.Context, reports []ImportedReport) (ImportResult, error) {
	res := ImportResult{Refused: []ImportRefusal{}}
	type item struct {
		rep    ImportedReport
		hostID string
		seq    int64
		ref    *refusal
	}
	items := make([]item, len(reports))
	for i, rep := range reports {
		items[i] = item{rep: rep}
		items[i].hostID, items[i].seq, items[i].ref = s.peekAgent(rep.Envelope)
	}
	// Per host in sequence order (unverified values, used only to order
	// and to pick the key that must verify the report).
	sort.SliceStable(items, func(i, j int) bool {
		if items[i].hostID != items[j].hostID {
			return items[i].hostID < items[j].hostID
		}
		return items[i].seq < items[j].seq
	})
	for _, it := range items {
		if err := ctx.Err(); err != nil {
			return res, fmt.Errorf("import: %w", err)
		}
		ack, ref := s.importOne(ctx, it.rep, it.hostID, it.ref)
		if ref != nil {
			s.metrics.refuse(ref.code)
			if ref.code == codeUnavailable {
				return res, fmt.Errorf("import: report %s: the store failed; nothing was lost, run the import again", it.rep.ID)
			}
			s.log.WithFields(logrus.Fields{"host": logValue(it.hostID), "report": logValue(it.rep.ID), "code": ref.code}).Warnf("import: report refused: %s", ref.msg)
			res.Refused = append(res.Refused, ImportRefusal{ID: it.rep.ID, Code: ref.code, Error: ref.msg})
			continue
		}
		if ack.Duplicate {
			s.metrics.duplicates.Add(1)
			res.Duplicates++
		} else {
			s.metrics.ingested.Add(1)
			res.Stored++
		}
	}
	return res, nil
}

// importOne stores one imported report; ref is peekAgent's refusal.
func (s *Server) importOne(ctx context.Context, rep ImportedReport, hostID string, ref *refusal) (Ack, *refusal) {
	if ref != nil {
		return Ack{}, ref
	}
	if int64(len(rep.Envelope)) > s.maxBody {
		return Ack{}, refuse(http.StatusRequestEntityTooLarge, codeTooLarge, "envelope is %d bytes, the limit is %d", len(rep.Envelope), s.maxBody)
	}
	if !validID(rep.ID) {
		return Ack{}, refuse(http.StatusBadRequest, codeBadRequest, "malformed report id %q", logValue(rep.ID))
	}
	host, ref := s.lookupHost(ctx, hostID, rep.ID)
	if ref != nil {
		return Ack{}, ref
	}
	return s.accept(ctx, host, rep.ID, rep.Envelope, false)
}

// peekAgent reads the host id and sequence out of an envelope's payload
// without verifying it.
func (s *Server) peekAgent(envelope []byte) (string, int64, *refusal) {
	env, err := parseDSSE(envelope)
	if err != nil {
		return "", 0, refuse(http.StatusBadRequest, codeBadReport, "malformed envelope: %v", err)
	}
	if env.payloadType != report.MediaType {
		return "", 0, refuse(http.StatusBadRequest, codeBadReport, "payloadType %q, want %q", logValue(env.payloadType), report.MediaType)
	}
	var p struct {
		Agent *struct {
			HostID   string `json:"hostId"`
			Sequence int64  `json:"sequence"`
		} `json:"agent"`
	}
	if err := json.Unmarshal(env.payload, &p); err != nil {
		return "", 0, refuse(http.StatusBadRequest, codeBadReport, "payload is not a report: %v", err)
	}
	if p.Agent == nil || !validID(p.Agent.HostID) {
		return "", 0, refuse(http.StatusBadRequest, codeBadReport, "report has no agent section with a host id")
	}
	return p.Agent.HostID, p.Agent.Sequence, nil
}
