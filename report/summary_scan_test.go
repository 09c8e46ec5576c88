package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// The fast reader is checked against encoding/json: an oracle that decodes
// the document into an ordered tree (keeping repeated members, which a map
// would lose) and applies the reader's documented semantics to it.

// jtree is a decoded JSON value with object members in order.
type jtree struct {
	kind    byte // 'o' object, 'a' array, 's' string, 'z' null, 'x' other
	str     string
	members []jmember
	elems   []jtree
}

type jmember struct {
	name  string
	value jtree
}

func decodeTree(dec *json.Decoder) (jtree, error) {
	tok, err := dec.Token()
	if err != nil {
		return jtree{}, err
	}
	switch v := tok.(type) {
	case json.Delim:
		switch v {
		case '{':
			t := jtree{kind: 'o'}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return jtree{}, err
				}
				val, err := decodeTree(dec)
				if err != nil {
					return jtree{}, err
				}
				t.members = append(t.members, jmember{k.(string), val})
			}
			_, err := dec.Token()
			return t, err
		case '[':
			t := jtree{kind: 'a'}
			for dec.More() {
				val, err := decodeTree(dec)
				if err != nil {
					return jtree{}, err
				}
				t.elems = append(t.elems, val)
			}
			_, err := dec.Token()
			return t, err
		}
	case string:
		return jtree{kind: 's', str: v}, nil
	case nil:
		return jtree{kind: 'z'}, nil
	}
	return jtree{kind: 'x'}, nil
}

// scanView is what the reader extracts, as strings, for comparison.
type scanView struct {
	SchemaVersion             string
	HasSchemaVersion          bool
	Hostname, MachineID       string
	OSPretty, OSID, OSVersion string
	EndTime, ComplianceStatus string
	Rules                     [][5]string
	Envelope                  bool
	TypeErr                   bool
}

func viewOf(d *scanDoc) scanView {
	v := scanView{
		SchemaVersion: string(d.schemaVersion), HasSchemaVersion: d.hasSchemaVersion,
		Hostname: string(d.hostname), MachineID: string(d.machineID),
		OSPretty: string(d.osPretty), OSID: string(d.osID), OSVersion: string(d.osVersion),
		EndTime: string(d.endTime), ComplianceStatus: string(d.complianceStatus),
		Envelope: d.envelope, TypeErr: d.typeErr != nil,
	}
	for _, r := range d.rules {
		v.Rules = append(v.Rules, [5]string{string(r.id), string(r.baseline), string(r.title), string(r.severity), string(r.status)})
	}
	if v.TypeErr {
		// Fields are unspecified after a type error.
		return scanView{TypeErr: true, Envelope: v.Envelope}
	}
	return v
}

// oracleView applies the reader's semantics to a tree: exact member names,
// the last of repeated members wins, null is the zero value, any value of
// the wrong type (even one a later member replaces) is a type error.
func oracleView(top jtree) scanView {
	var v scanView
	str := func(t jtree, dst *string) {
		switch t.kind {
		case 's':
			*dst = t.str
		case 'z':
			*dst = ""
		default:
			*dst = ""
			v.TypeErr = true
		}
	}
	for _, m := range top.members {
		switch m.name {
		case "schemaVersion":
			v.HasSchemaVersion = m.value.kind == 's'
			str(m.value, &v.SchemaVersion)
		case "host":
			v.Hostname, v.MachineID, v.OSPretty, v.OSID, v.OSVersion = "", "", "", "", ""
			switch m.value.kind {
			case 'o':
				for _, hm := range m.value.members {
					switch hm.name {
					case "hostname":
						str(hm.value, &v.Hostname)
					case "machineId":
						str(hm.value, &v.MachineID)
					case "os":
						v.OSPretty, v.OSID, v.OSVersion = "", "", ""
						switch hm.value.kind {
						case 'o':
							for _, om := range hm.value.members {
								switch om.name {
								case "prettyName":
									str(om.value, &v.OSPretty)
								case "id":
									str(om.value, &v.OSID)
								case "versionId":
									str(om.value, &v.OSVersion)
								}
							}
						case 'z':
						default:
							v.TypeErr = true
						}
					}
				}
			case 'z':
			default:
				v.TypeErr = true
			}
		case "endTime":
			str(m.value, &v.EndTime)
		case "complianceStatus":
			str(m.value, &v.ComplianceStatus)
		case "rules":
			v.Rules = nil
			switch m.value.kind {
			case 'a':
				for _, e := range m.value.elems {
					if e.kind != 'o' {
						v.TypeErr = true
						continue
					}
					var r [5]string
					for _, rm := range e.members {
						switch rm.name {
						case "id":
							str(rm.value, &r[0])
						case "baseline":
							str(rm.value, &r[1])
						case "title":
							str(rm.value, &r[2])
						case "severity":
							str(rm.value, &r[3])
						case "status":
							str(rm.value, &r[4])
						}
					}
					v.Rules = append(v.Rules, r)
				}
			case 'z':
			default:
				v.TypeErr = true
			}
		case "payloadType", "payload", "signatures":
			v.Envelope = true
		}
	}
	if v.TypeErr {
		return scanView{TypeErr: true, Envelope: v.Envelope}
	}
	return v
}

// checkScan compares the reader with the oracle on data.
func checkScan(t *testing.T, data []byte) {
	t.Helper()
	var d scanDoc
	err := scanDocument(data, &d)
	if !json.Valid(data) {
		if err == nil {
			t.Fatalf("accepted invalid JSON %q", data)
		}
		return
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	top, terr := decodeTree(dec)
	if terr != nil {
		t.Fatalf("oracle failed on valid JSON %q: %v", data, terr)
	}
	if _, terr := dec.Token(); terr != io.EOF {
		t.Fatalf("oracle: trailing data in valid JSON %q", data)
	}
	if top.kind != 'o' {
		if err == nil {
			t.Fatalf("accepted a non-object %q", data)
		}
		return
	}
	if err != nil {
		t.Fatalf("rejected valid JSON %q: %v", data, err)
	}
	if diff := cmp.Diff(oracleView(top), viewOf(&d)); diff != "" {
		t.Fatalf("%q (-oracle +reader):\n%s", data, diff)
	}
}

var scanSeeds = []string{
	``, ` `, `{}`, `[]`, `"x"`, `1`, `null`, `{} {}`, `{}x`, `{"a":1,}`, `{"a"}`, `{"a":}`, `{,}`, `[1,]`, `{"a":[1 2]}`,
	`{"schemaVersion":"1.1.0"}`, `{"schemaVersion":null}`, `{"schemaVersion":1}`, `{"schemaVersion":"1.1.0","schemaVersion":"2"}`,
	`{"host":{"hostname":"a","os":{"prettyName":"P","id":"i","versionId":"v"}}}`,
	`{"host":{"hostname":"a"},"host":{"machineId":"m"}}`, `{"host":null}`, `{"host":[]}`, `{"host":{"os":1}}`,
	`{"host":{"hostname":1},"host":{"hostname":"b"}}`,
	`{"rules":[{"id":"a","baseline":"b","title":"t","severity":"s","status":"pass","reasons":[{"x":[1,{"y":null}]}]}]}`,
	`{"rules":[{"id":"a"}],"rules":[{"id":"b"}]}`, `{"rules":null}`, `{"rules":{}}`, `{"rules":[null]}`, `{"rules":[1]}`,
	`{"rules":[{"id":"a","id":"b"}]}`, `{"rules":[{"ID":"a","Status":"fail"}]}`,
	`{"rules":[{"id":"\u0041\n\"\\\/\b\f\r\t","title":"\ud83d\ude00 \ud800"}]}`,
	"{\"rules\":[{\"id\":\"\xff\xfe\",\"title\":\"caf\xc3\xa9\"}]}",
	`{"ru\u006ces":[{"\u0069d":"escaped names"}]}`,
	`{"a":"\x"}`, `{"a":"\u12"}`, `{"a":"` + "\x01" + `"}`, `{"a":tru}`, `{"a":nul}`, `{"a":-}`, `{"a":01}`, `{"a":1.}`, `{"a":1e}`,
	`{"a":-0.5e+10}`, `{"a":1E-3}`, `{"a":1e999}`, `{"a":[[[[[]]]]]}`, `{"a":{"b":{"c":{}}}}`, ` {"a" : [ true , false , null ] } `,
	`{"payloadType":"x"}`, `{"payload":null}`, `{"signatures":[]}`,
	`{"endTime":"2026-01-01T00:00:00Z","complianceStatus":"Compliant"}`,
}

// deepSeeds are at encoding/json's nesting limit, one each side. They stay
// out of the fuzz corpus, whose minimiser would spend its time on them.
var deepSeeds = []string{
	strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
	`{"a":` + strings.Repeat("[", 9999) + strings.Repeat("]", 9999) + `}`,
	`{"a":` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}`,
}

func TestSummaryScanAgreesWithEncodingJSON(t *testing.T) {
	for _, s := range append(scanSeeds, deepSeeds...) {
		checkScan(t, []byte(s))
	}
	for _, path := range []string{"../runner/testdata/golden/noncompliant.json", "../runner/testdata/golden/compliant.json", "testdata/report.json", "testdata/report.dsse.json"} {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		checkScan(t, data)
		// Every prefix of a report is either rejected or (never) a
		// different report.
		for i := 0; i < len(data); i += 997 {
			checkScan(t, data[:i])
		}
	}
}

func FuzzSummaryScan(f *testing.F) {
	for _, s := range scanSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkScan(t, data)
	})
}

// checkEnvelope compares envelopeFromScan with parseEnvelope on data: the
// same error class, or the same envelope.
func checkEnvelope(t *testing.T, data []byte) {
	t.Helper()
	want, wantErr := parseEnvelope(data)
	var d scanDoc
	var got *envelope
	var gotErr error
	if err := scanDocument(data, &d); err != nil {
		gotErr = errors.Join(ErrMalformedEnvelope, err)
	} else if !d.envelope {
		// Summarize reads it as a plain report; parseEnvelope must not
		// accept it either.
		if wantErr == nil {
			t.Fatalf("%q: parseEnvelope accepts what the summary reads as a plain report", data)
		}
		return
	} else {
		got, gotErr = envelopeFromScan(&d, nil)
	}
	for _, sentinel := range []error{ErrMalformedEnvelope, ErrPayloadType, ErrUnsigned} {
		if errors.Is(wantErr, sentinel) != errors.Is(gotErr, sentinel) {
			t.Fatalf("%q: parseEnvelope: %v; summary: %v", data, wantErr, gotErr)
		}
	}
	if (wantErr == nil) != (gotErr == nil) {
		t.Fatalf("%q: parseEnvelope: %v; summary: %v", data, wantErr, gotErr)
	}
	if wantErr == nil {
		if diff := cmp.Diff(want, got, cmp.AllowUnexported(envelope{}, signature{}), cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("%q (-parseEnvelope +summary):\n%s", data, diff)
		}
	}
}

var envelopeSeeds = []string{
	`{"payloadType":"application/vnd.gcrun.report+json","payload":"e30=","signatures":[{"keyid":"k","sig":"c2ln"}]}`,
	`{"payloadType":"application/vnd.gcrun.report+json","payload":"e30=","signatures":[{"keyid":"k"},{"sig":"x"},{}]}`,
	`{"payloadType":"application/vnd.gcrun.report+json","payload":"e30=","signatures":[{"keyid":null,"sig":null}]}`,
	`{"payloadType":"application/vnd.gcrun.report+json","payload":"e30=","signatures":[{"keyid":1}]}`,
	`{"payloadType":"application/vnd.gcrun.report+json","payload":"e30=","signatures":[{"sig":[]}]}`,
	`{"payloadType":"application/vnd.gcrun.report+json","payload":"e30=","signatures":[{"keyid":"a","keyid":"b"}]}`,
	`{"payloadType":"application/vnd.gcrun.report+json","payload":"e30=","signatures":["x"]}`,
	`{"payloadType":"application/vnd.gcrun.report+json","payload":"e30=","signatures":{}}`,
	`{"payloadType":"application/vnd.gcrun.report+json","payload":"e30=","signatures":null}`,
	`{"payloadType":"application/vnd.gcrun.report+json","payload":"e30=","signatures":[]}`,
	`{"payloadType":"application/vnd.gcrun.report+json","payload":"e30=","signatures":[1],"signatures":[]}`,
	`{"payloadType":"application/vnd.gcrun.report+json","payload":"e30=","payload":"e30="}`,
	`{"payloadType":"application/vnd.gcrun.report+json","payload":"e30"}`,
	`{"payloadType":"application/vnd.gcrun.report+json","payload":"e3\n0="}`,
	`{"payloadType":"application/vnd.gcrun.report+json","payload":"e3\u0030="}`,
	`{"payloadType":"application/vnd.gcrun.report+json","payload":"e31="}`,
	`{"payloadType":"application/vnd.gcrun.report+json","payload":"e30-"}`,
	`{"payloadType":"application/vnd.gcrun.report+json","payload":1}`,
	`{"payloadType":"application/vnd.gcrun.report+json"}`,
	`{"payloadType":"application/vnd.gcrun.report+jso\u006e","payload":"","signatures":[{}]}`,
	`{"payloadType":"text/plain","payload":"e30="}`,
	`{"payloadType":null,"payload":"e30="}`,
	`{"payloadType":1,"payload":1}`,
	`{"payload":"e30=","signatures":[]}`,
	`{"signatures":[{"keyid":"k","sig":"s"}]}`,
	`{"schemaVersion":"1.1.0"}`, `{"a":1}`, `{"a":1,"a":2}`, `[]`, ``, `{`, `{"payload":"e30="} x`,
	`{"payloadType":"application/vnd.gcrun.report+json","payload":"e30=","signatures":[{"keyid":"k","sig":"s","x":{"y":1,"y":2}}],"z":{"q":1,"q":2}}`,
}

func TestSummaryEnvelopeAgreesWithParseEnvelope(t *testing.T) {
	for _, s := range envelopeSeeds {
		checkEnvelope(t, []byte(s))
	}
	data, err := os.ReadFile("testdata/report.dsse.json")
	if err != nil {
		t.Fatal(err)
	}
	checkEnvelope(t, data)
	for i := 0; i < len(data); i += 101 {
		checkEnvelope(t, data[:i])
	}
}

func FuzzSummaryEnvelope(f *testing.F) {
	for _, s := range envelopeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkEnvelope(t, data)
	})
}
