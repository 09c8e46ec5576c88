package report

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"
)

// This file is a single-pass JSON reader for Summarize. It validates a
// whole document as strictly as encoding/json's scanner does (json.Valid)
// while picking out only the fields a fleet summary needs, and skips the
// rest (descriptions, remediation, reasons, evidence: nine tenths of a
// report) without decoding it. encoding/json into a minimal struct scans
// every byte twice through its state machine: 1.6 ms for the 350 kB report
// of runner/testdata/golden/noncompliant.json, which puts 10,000 reports at
// the edge of the 10 s budget on two cores. This reader takes 0.32 ms for
// it (short strings byte by byte, long ones with the vectorised
// bytes.IndexByte), and 0.08 ms for the same report signed, a 470 kB
// base64 string. FuzzSummaryScan checks it against encoding/json on
// arbitrary input (same accept/reject decision, same values), and
// FuzzSummaryEnvelope the envelope checks built on it against
// parseEnvelope.
//
// Semantics, which the fuzz test's oracle mirrors: member names match
// exactly (not case-insensitively, unlike encoding/json's struct decoding);
// a repeated member replaces the earlier one (as when decoding into
// map[string]any); null is the zero value; a string field holding another
// type, or an object field holding a non-object, is an error; rules[]
// entries must be objects. Strings are unescaped and invalid UTF-8 replaced
// exactly as encoding/json does (but for an envelope's payload, see top).

// scanMaxDepth is encoding/json's nesting limit.
const scanMaxDepth = 10000

// scanRule holds the fields of one rules[] entry. The byte slices point into
// the scanned document unless the string had escapes.
type scanRule struct {
	id, baseline, title, severity, status []byte
}

// scanSig is one entry of an envelope's signatures.
type scanSig struct {
	notObject, dup   bool // not a JSON object; a member name repeated
	keyID, sig       []byte
	keyIDBad, sigBad bool // present, not null, not a string
	keyIDSet, sigSet bool // present and a string
}

// scanDoc is what scanDocument extracts: the fields of a report, or those
// of a DSSE envelope.
type scanDoc struct {
	schemaVersion             []byte
	hasSchemaVersion          bool
	hostname, machineID       []byte
	osPretty, osID, osVersion []byte
	endTime                   []byte
	complianceStatus          []byte
	rules                     []scanRule

	// typeErr is the first report field of the wrong type (see
	// scanner.typeErr); it makes a report, but not an envelope, unusable.
	typeErr error

	// envelope is set when the top level has payloadType, payload or
	// signatures (IsEnvelope's test); the rest is then meaningful.
	envelope bool
	// dup says a top-level member appears twice; dupMember names it.
	dup                           bool
	dupMember                     string
	payloadType, payload          []byte
	payloadTypeSet, payloadSet    bool // present and a string
	payloadTypeBad, payloadBad    bool // present, not null, not a string
	signaturesSeen, signaturesNul bool
	signaturesNotArray            bool
	sigs                          []scanSig
}

// reset clears d for reuse, keeping its slices' capacity.
func (d *scanDoc) reset() {
	rules, sigs := d.rules[:0], d.sigs[:0]
	*d = scanDoc{rules: rules, sigs: sigs}
}

type scanner struct {
	data  []byte
	i     int
	depth int
	// typeErr is the first field found with the wrong type. It does not
	// stop the scan: an envelope may carry any unknown members, and the
	// document must still be checked to the end.
	typeErr error
}

// mistyped records a type error and skips the value.
func (s *scanner) mistyped(format string, args ...any) error {
	if s.typeErr == nil {
		s.typeErr = fmt.Errorf(format, args...)
	}
	return s.skipValue()
}

// scanError is a syntax or type error at an offset.
type scanError struct {
	off int
	msg string
}

func (e *scanError) Error() string { return fmt.Sprintf("%s at offset %d", e.msg, e.off) }

func (s *scanner) fail(msg string) error { return &scanError{off: s.i, msg: msg} }

const (
	swarOnes  = 0x0101010101010101
	swarHighs = 0x8080808080808080
)

// isSpace marks JSON's whitespace.
var isSpace = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

// strStop marks the bytes that end a run of plain string content.
var strStop = func() (t [256]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// scanDocument scans data into d (which is reset first).
func scanDocument(data []byte, d *scanDoc) error {
	d.reset()
	s := scanner{data: data}
	s.ws()
	if s.i == len(data) {
		return errors.New("empty input")
	}
	if data[s.i] != '{' {
		if err := s.skipValue(); err != nil {
			return err
		}
		return errors.New("not a JSON object")
	}
	if err := s.top(d); err != nil {
		return err
	}
	s.ws()
	if s.i != len(data) {
		return s.fail("invalid character after top-level value")
	}
	d.typeErr = s.typeErr
	return nil
}

func (s *scanner) ws() {
	data, i := s.data, s.i
	for i < len(data) && isSpace[data[i]] {
		i++
	}
	s.i = i
}

// object iterates over the members of the object at s.i, calling member
// with each name (unescaped) with s.i at the value, which member must
// consume.
func (s *scanner) object(member func(name []byte) error) error {
	if s.depth++; s.depth > scanMaxDepth {
		return s.fail("exceeded max depth")
	}
	s.i++ // '{'
	s.ws()
	if s.i < len(s.data) && s.data[s.i] == '}' {
		s.i++
		s.depth--
		return nil
	}
	for {
		if s.i >= len(s.data) || s.data[s.i] != '"' {
			return s.fail("want an object key")
		}
		name, err := s.str()
		if err != nil {
			return err
		}
		s.ws()
		if s.i >= len(s.data) || s.data[s.i] != ':' {
			return s.fail("want ':' after object key")
		}
		s.i++
		s.ws()
		if err := member(name); err != nil {
			return err
		}
		s.ws()
		if s.i >= len(s.data) {
			return s.fail("unexpected end of object")
		}
		switch s.data[s.i] {
		case ',':
			s.i++
			s.ws()
		case '}':
			s.i++
			s.depth--
			return nil
		default:
			return s.fail("want ',' or '}' in object")
		}
	}
}

// array iterates over the elements of the array at s.i, calling elem with
// s.i at each element, which elem must consume.
func (s *scanner) array(elem func() error) error {
	if s.depth++; s.depth > scanMaxDepth {
		return s.fail("exceeded max depth")
	}
	s.i++ // '['
	s.ws()
	if s.i < len(s.data) && s.data[s.i] == ']' {
		s.i++
		s.depth--
		return nil
	}
	for {
		if s.i >= len(s.data) {
			return s.fail("unexpected end of array")
		}
		if err := elem(); err != nil {
			return err
		}
		s.ws()
		if s.i >= len(s.data) {
			return s.fail("unexpected end of array")
		}
		switch s.data[s.i] {
		case ',':
			s.i++
			s.ws()
		case ']':
			s.i++
			s.depth--
			return nil
		default:
			return s.fail("want ',' or ']' in array")
		}
	}
}

// peek returns the byte at s.i, or 0 at the end.
func (s *scanner) peek() byte {
	if s.i < len(s.data) {
		return s.data[s.i]
	}
	return 0
}

// isNull consumes a null at s.i and reports whether there was one.
func (s *scanner) isNull() (bool, error) {
	if s.peek() != 'n' {
		return false, nil
	}
	return true, s.literal("null")
}

// optString reads a string or null into *dst (null: nil); anything else is
// a type error naming field.
func (s *scanner) optString(dst *[]byte, field string) error {
	switch s.peek() {
	case '"':
		v, err := s.str()
		*dst = v
		return err
	case 'n':
		*dst = nil
		return s.literal("null")
	}
	*dst = nil
	return s.mistyped("%s is not a string", field)
}

// optObject calls reset, then object(member) for an object; null leaves
// the fields reset, anything else is a type error.
func (s *scanner) optObject(field string, reset func(), member func(name []byte) error) error {
	reset()
	switch s.peek() {
	case '{':
		return s.object(member)
	case 'n':
		return s.literal("null")
	}
	return s.mistyped("%s is not an object", field)
}

// top scans the top-level object.
func (s *scanner) top(d *scanDoc) error {
	var buf [16][]byte
	seen := buf[:0]
	return s.object(func(name []byte) error {
		for _, n := range seen {
			if string(n) == string(name) && !d.dup {
				d.dup, d.dupMember = true, string(name)
			}
		}
		seen = append(seen, name)
		switch string(name) {
		case "schemaVersion":
			d.hasSchemaVersion = s.peek() != 'n'
			return s.optString(&d.schemaVersion, "schemaVersion")
		case "host":
			return s.optObject("host", func() { d.hostname, d.machineID, d.osPretty, d.osID, d.osVersion = nil, nil, nil, nil, nil },
				func(name []byte) error {
					switch string(name) {
					case "hostname":
						return s.optString(&d.hostname, "host.hostname")
					case "machineId":
						return s.optString(&d.machineID, "host.machineId")
					case "os":
						return s.optObject("host.os", func() { d.osPretty, d.osID, d.osVersion = nil, nil, nil },
							func(name []byte) error {
								switch string(name) {
								case "prettyName":
									return s.optString(&d.osPretty, "host.os.prettyName")
								case "id":
									return s.optString(&d.osID, "host.os.id")
								case "versionId":
									return s.optString(&d.osVersion, "host.os.versionId")
								}
								return s.skipValue()
							})
					}
					return s.skipValue()
				})
		case "endTime":
			return s.optString(&d.endTime, "endTime")
		case "complianceStatus":
			return s.optString(&d.complianceStatus, "complianceStatus")
		case "rules":
			d.rules = d.rules[:0]
			switch s.peek() {
			case '[':
				n := 0
				return s.array(func() error {
					n++
					if s.peek() != '{' {
						return s.mistyped("rules[%d] is not an object", n-1)
					}
					d.rules = append(d.rules, scanRule{})
					r := &d.rules[len(d.rules)-1]
					return s.object(func(name []byte) error {
						switch string(name) {
						case "id":
							return s.optString(&r.id, "rules[].id")
						case "baseline":
							return s.optString(&r.baseline, "rules[].baseline")
						case "title":
							return s.optString(&r.title, "rules[].title")
						case "severity":
							return s.optString(&r.severity, "rules[].severity")
						case "status":
							return s.optString(&r.status, "rules[].status")
						}
						return s.skipValue()
					})
				})
			case 'n':
				return s.literal("null")
			}
			return s.mistyped("rules is not an array")
		case "payloadType":
			d.envelope = true
			return s.envString(&d.payloadType, &d.payloadTypeSet, &d.payloadTypeBad, true)
		case "payload":
			d.envelope = true
			// The payload must be base64, so it is not checked for
			// invalid UTF-8 (which encoding/json would replace by
			// U+FFFD): either way, a payload that has any is not base64
			// and is rejected as such.
			return s.envString(&d.payload, &d.payloadSet, &d.payloadBad, false)
		case "signatures":
			d.envelope = true
			d.signaturesSeen, d.signaturesNul, d.signaturesNotArray = true, false, false
			d.sigs = d.sigs[:0]
			switch s.peek() {
			case 'n':
				d.signaturesNul = true
				return s.literal("null")
			case '[':
				return s.array(func() error { return s.signature(d) })
			}
			d.signaturesNotArray = true
			return s.skipValue()
		}
		return s.skipValue()
	})
}

// envString reads an envelope member that should be a string, recording
// rather than failing on another type: the envelope's rules decide which
// problem is reported first. checkUTF8 is str's.
func (s *scanner) envString(dst *[]byte, set, bad *bool, checkUTF8 bool) error {
	*dst, *set, *bad = nil, false, false
	switch s.peek() {
	case '"':
		v, err := s.decodeString(checkUTF8)
		*dst, *set = v, true
		return err
	case 'n':
		return s.literal("null")
	}
	*bad = true
	return s.skipValue()
}

// signature scans one entry of an envelope's signatures.
func (s *scanner) signature(d *scanDoc) error {
	d.sigs = append(d.sigs, scanSig{})
	sg := &d.sigs[len(d.sigs)-1]
	if s.peek() != '{' {
		sg.notObject = true
		return s.skipValue()
	}
	var names [][]byte
	return s.object(func(name []byte) error {
		for _, n := range names {
			if string(n) == string(name) {
				sg.dup = true
			}
		}
		names = append(names, name)
		switch string(name) {
		case "keyid":
			return s.envString(&sg.keyID, &sg.keyIDSet, &sg.keyIDBad, true)
		case "sig":
			return s.envString(&sg.sig, &sg.sigSet, &sg.sigBad, true)
		}
		return s.skipValue()
	})
}

// skipValue validates and skips the value at s.i.
func (s *scanner) skipValue() error {
	switch c := s.peek(); {
	case c == '"':
		return s.skipString()
	case c == '{':
		return s.skipObject()
	case c == '[':
		return s.skipArray()
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		return s.number()
	case s.i >= len(s.data):
		return s.fail("unexpected end of input")
	}
	return s.fail(fmt.Sprintf("invalid character %q looking for beginning of value", s.data[s.i]))
}

// skipObject is object with skipValue for every member, without decoding
// the member names nobody reads (most of a report is skipped).
func (s *scanner) skipObject() error {
	if s.depth++; s.depth > scanMaxDepth {
		return s.fail("exceeded max depth")
	}
	s.i++ // '{'
	s.ws()
	if s.peek() == '}' {
		s.i++
		s.depth--
		return nil
	}
	for {
		if s.peek() != '"' {
			return s.fail("want an object key")
		}
		if _, _, err := s.scanString(); err != nil {
			return err
		}
		s.ws()
		if s.peek() != ':' {
			return s.fail("want ':' after object key")
		}
		s.i++
		s.ws()
		if err := s.skipValue(); err != nil {
			return err
		}
		s.ws()
		switch s.peek() {
		case ',':
			s.i++
			s.ws()
		case '}':
			s.i++
			s.depth--
			return nil
		default:
			return s.fail("want ',' or '}' in object")
		}
	}
}

// skipArray is array with skipValue for every element.
func (s *scanner) skipArray() error {
	if s.depth++; s.depth > scanMaxDepth {
		return s.fail("exceeded max depth")
	}
	s.i++ // '['
	s.ws()
	if s.peek() == ']' {
		s.i++
		s.depth--
		return nil
	}
	for {
		if err := s.skipValue(); err != nil {
			return err
		}
		s.ws()
		switch s.peek() {
		case ',':
			s.i++
			s.ws()
		case ']':
			s.i++
			s.depth--
			return nil
		default:
			return s.fail("want ',' or ']' in array")
		}
	}
}

func (s *scanner) literal(lit string) error {
	if len(s.data)-s.i < len(lit) || string(s.data[s.i:s.i+len(lit)]) != lit {
		return s.fail("invalid literal, want " + lit)
	}
	s.i += len(lit)
	return nil
}

// number validates a JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *scanner) number() error {
	digits := func() int {
		start := s.i
		for s.i < len(s.data) && s.data[s.i] >= '0' && s.data[s.i] <= '9' {
			s.i++
		}
		return s.i - start
	}
	if s.peek() == '-' {
		s.i++
	}
	switch c := s.peek(); {
	case c == '0':
		s.i++
	case c >= '1' && c <= '9':
		digits()
	default:
		return s.fail("invalid number")
	}
	if s.peek() == '.' {
		s.i++
		if digits() == 0 {
			return s.fail("invalid number: no digits after '.'")
		}
	}
	if c := s.peek(); c == 'e' || c == 'E' {
		s.i++
		if c := s.peek(); c == '+' || c == '-' {
			s.i++
		}
		if digits() == 0 {
			return s.fail("invalid number: no digits in exponent")
		}
	}
	return nil
}

// skipString validates and skips the string at s.i (which is '"').
func (s *scanner) skipString() error {
	_, _, err := s.scanString()
	return err
}

// str reads the string at s.i: the raw bytes when they need no decoding,
// else the string decoded exactly as encoding/json decodes it (escapes,
// invalid UTF-8 replaced by U+FFFD).
func (s *scanner) str() ([]byte, error) { return s.decodeString(true) }

// decodeString is str, leaving invalid UTF-8 in a string without escapes
// as it is unless checkUTF8.
func (s *scanner) decodeString(checkUTF8 bool) ([]byte, error) {
	start := s.i
	raw, plain, err := s.scanString()
	if err != nil {
		return nil, err
	}
	if plain && (!checkUTF8 || utf8.Valid(raw)) {
		return raw, nil
	}
	var v string
	if err := json.Unmarshal(s.data[start:s.i], &v); err != nil {
		return nil, &scanError{off: start, msg: "invalid string: " + err.Error()}
	}
	return []byte(v), nil
}

// scanString validates the string at s.i and moves past it. raw is its
// content between the quotes; plain says it has no escapes.
func (s *scanner) scanString() (raw []byte, plain bool, err error) {
	data := s.data
	i := s.i + 1
	start := i
	plain = true
	for {
		i = plainRun(data, i)
		if i >= len(data) {
			s.i = i
			return nil, false, s.fail("unexpected end of string")
		}
		switch c := data[i]; {
		case c == '"':
			s.i = i + 1
			return data[start:i], plain, nil
		case c == '\\':
			plain = false
			if i+1 >= len(data) {
				s.i = i
				return nil, false, s.fail("unexpected end of string")
			}
			switch data[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(data) {
					s.i = i
					return nil, false, s.fail("unexpected end of string")
				}
				for _, h := range data[i+2 : i+6] {
					if !isHex(h) {
						s.i = i
						return nil, false, s.fail("invalid \\u escape")
					}
				}
				i += 6
			default:
				s.i = i
				return nil, false, s.fail("invalid escape in string")
			}
		default:
			s.i = i
			return nil, false, s.fail("control character in string")
		}
	}
}

// plainRun returns the index of the first byte at or after i that ends a
// run of plain string content (a quote, a backslash or a control
// character), or len(data). Short runs, most keys and values, are scanned
// byte by byte. Long ones (descriptions, a signed report's base64 payload)
// are searched in windows of doubling size with the vectorised
// bytes.IndexByte for the quote and the backslash, and the bytes before
// them checked for control characters eight at a time; doubling keeps the
// work linear however the stops are spaced.
func plainRun(data []byte, i int) int {
	for n := min(len(data), i+32); i < n; i++ {
		if strStop[data[i]] {
			return i
		}
	}
	for w := 64; i < len(data); w *= 2 {
		win := data[i:min(len(data), i+w)]
		end := len(win)
		if q := bytes.IndexByte(win, '"'); q >= 0 {
			end = q
		}
		if b := bytes.IndexByte(win[:end], '\\'); b >= 0 {
			end = b
		}
		if c := controlIndex(win[:end]); c >= 0 {
			return i + c
		}
		if end < len(win) {
			return i + end
		}
		i += len(win)
	}
	return i
}

// controlIndex returns the index of the first byte below 0x20 in b, or -1.
// Eight bytes are tested at once with the "has a byte less than n" test
// from Bit Twiddling Hacks, which is exact in telling whether there is one.
func controlIndex(b []byte) int {
	j := 0
	for ; j+8 <= len(b); j += 8 {
		x := binary.LittleEndian.Uint64(b[j:])
		if (x-swarOnes*0x20)&^x&swarHighs != 0 {
			break
		}
	}
	for ; j < len(b); j++ {
		if b[j] < 0x20 {
			return j
		}
	}
	return -1
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}
