// Package config reads gcrun agent's configuration file (agent.yaml) and
// builds the agent's HTTPS client.
//
// The file is strict YAML: an unknown key, a duplicate key, a value of the
// wrong shape or an invalid value is an error that names the file and the
// line. Durations are Go duration strings ("5m", "336h"); sizes are plain
// byte counts or numbers with a unit (B, KiB, MiB, GiB, TiB, or the decimal
// KB, MB, GB, TB). Everything is fail closed: the server and bundle URLs
// must be https:// (TLS is always on), and a bundle source that is
// downloaded or read from a bundle file needs a verification_key.
package config

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Assignment modes.
const (
	ModeAudit       = "audit"
	ModeApply       = "apply"
	ModeAutocorrect = "autocorrect"
)

// Defaults filled by LoadConfig for keys the file leaves out.
const (
	DefaultStateDir          = "/var/lib/gcrun"
	DefaultRoot              = "/"
	DefaultPoll              = 5 * time.Minute
	DefaultEvaluate          = 15 * time.Minute
	DefaultBundleTTL         = 336 * time.Hour
	DefaultSpoolMaxBytes     = 100 << 20
	DefaultSpoolMaxReports   = 1000
	DefaultSpoolMaxAge       = 336 * time.Hour
	DefaultDeliveryTimeout   = 30 * time.Second
	DefaultMaxBody           = 8 << 20
	DefaultBackoffMin        = time.Second
	DefaultBackoffMax        = 5 * time.Minute
	DefaultShutdownGrace     = 10 * time.Second
	DefaultMode              = ModeAudit
	DefaultAssignmentTimeout = 10 * time.Minute
)

// Config is the agent configuration (agent.yaml).
type Config struct {
	// File is the path the configuration was loaded from.
	File string
	// Server is the receiver's base URL (https://, no trailing slash).
	Server string
	// StateDir holds the host key, enrolment, bundles, spool and state.
	StateDir string
	// Root is the scanned root ("/" for the host itself).
	Root string
	// EnrollmentSecretFile holds the enrolment secret for `gcrun agent
	// enroll` (optional).
	EnrollmentSecretFile string
	// TLS configures extra trusted roots and an optional client
	// certificate.
	TLS TLSConfig
	// Proxy is an explicit http(s) proxy URL; it wins over HTTPS_PROXY
	// and NO_PROXY, which are honoured when it is empty.
	Proxy string
	// VerificationKey is the PEM public key bundles must be signed with.
	VerificationKey string
	// Intervals of the agent loop.
	Intervals Intervals
	// BundleTTL is how long a bundle stays fresh without its source
	// confirming it; after that the reports say the policy is stale.
	BundleTTL time.Duration
	// Assignments are the packs the agent evaluates, in file order.
	Assignments []Assignment
	// Spool bounds the on-disk spool of undelivered reports.
	Spool SpoolConfig
	// Delivery configures report delivery.
	Delivery DeliveryConfig
}

// Intervals of the agent loop (each with +-10% jitter).
type Intervals struct {
	// Poll is how often bundles are checked for updates.
	Poll time.Duration
	// Evaluate is how often the assignments are evaluated.
	Evaluate time.Duration
}

// Assignment is one pack the agent evaluates.
type Assignment struct {
	// Name is unique, [a-z0-9._-]+.
	Name string
	// Source is an https:// bundle URL, a file:// URL of a bundle file,
	// or an absolute local path (a pack directory or a bundle file).
	Source string
	// Mode is audit, apply or autocorrect.
	Mode string
	// Timeout bounds one evaluation of the pack.
	Timeout time.Duration
	// Parameters override the pack's parameters (nil when none).
	Parameters map[string]any
	// Line is the assignment's line in the configuration file.
	Line int
}

// SpoolConfig bounds the spool; the oldest reports are evicted first, but
// never the newest report of an assignment.
type SpoolConfig struct {
	MaxBytes   int64
	MaxReports int
	MaxAge     time.Duration
}

// DeliveryConfig configures report delivery.
type DeliveryConfig struct {
	// Timeout bounds one HTTP request.
	Timeout time.Duration
	// MaxBody bounds a delivered (compressed and decompressed) report.
	MaxBody int64
	// BackoffMin and BackoffMax bound the exponential retry backoff.
	BackoffMin time.Duration
	BackoffMax time.Duration
	// ShutdownGrace is how long a stopping agent keeps delivering.
	ShutdownGrace time.Duration
}

// Default returns the configuration with every default filled and no
// server or assignments.
func Default() *Config {
	return &Config{
		StateDir:  DefaultStateDir,
		Root:      DefaultRoot,
		Intervals: Intervals{Poll: DefaultPoll, Evaluate: DefaultEvaluate},
		BundleTTL: DefaultBundleTTL,
		Spool: SpoolConfig{
			MaxBytes:   DefaultSpoolMaxBytes,
			MaxReports: DefaultSpoolMaxReports,
			MaxAge:     DefaultSpoolMaxAge,
		},
		Delivery: DeliveryConfig{
			Timeout:       DefaultDeliveryTimeout,
			MaxBody:       DefaultMaxBody,
			BackoffMin:    DefaultBackoffMin,
			BackoffMax:    DefaultBackoffMax,
			ShutdownGrace: DefaultShutdownGrace,
		},
	}
}

// LoadConfig reads, validates and defaults the configuration at path.
// Every problem found is reported (joined), each naming path:line.
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("agent config: %w", err)
	}
	return Parse(path, data)
}

// Parse is LoadConfig for data already read; file names it in errors.
func Parse(file string, data []byte) (*Config, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
			return nil, fmt.Errorf("%s:%s: %s", file, m[1], m[2])
		}
		return nil, fmt.Errorf("%s: %s", file, msg)
	}
	d := &decoder{file: file, cfg: Default(), lines: map[string]int{}}
	d.cfg.File = file
	root := &doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			root = nil
		} else {
			root = root.Content[0]
		}
	}
	if root != nil && !isNull(root) {
		d.top(root)
	}
	d.validate()
	if len(d.errs) > 0 {
		return nil, errors.Join(d.errs...)
	}
	return d.cfg, nil
}

var yamlLineRE = regexp.MustCompile(`^line (\d+): (.*)$`)

// decoder walks the YAML tree, filling cfg and collecting errors.
type decoder struct {
	file  string
	cfg   *Config
	errs  []error
	lines map[string]int // key path ("tls.client_cert") -> line
	// srcLines[i] is the line of Assignments[i]'s source.
	srcLines []int
}

func (d *decoder) errorf(line int, format string, args ...any) {
	if line < 1 {
		line = 1
	}
	d.errs = append(d.errs, fmt.Errorf("%s:%d: %s", d.file, line, fmt.Sprintf(format, args...)))
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// mapping walks a mapping node: duplicate and unknown keys are errors;
// each known key's value goes to its handler (a null value keeps the
// default). prefix qualifies the keys in d.lines.
func (d *decoder) mapping(n *yaml.Node, what string, lines map[string]int, prefix string, fields map[string]func(v *yaml.Node)) {
	n = resolve(n)
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n.Line, "%s must be a mapping, got %s", what, kind(n))
		return
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolve(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			d.errorf(k.Line, "%s: keys must be strings", what)
			continue
		}
		key := k.Value
		if first, dup := seen[key]; dup {
			d.errorf(k.Line, "duplicate key %q (first on line %d)", key, first)
			continue
		}
		seen[key] = k.Line
		h, ok := fields[key]
		if !ok {
			known := make([]string, 0, len(fields))
			for f := range fields {
				known = append(known, f)
			}
			if s := suggest(key, known); s != "" {
				d.errorf(k.Line, "unknown key %q (did you mean %q?)", key, s)
			} else {
				sort.Strings(known)
				d.errorf(k.Line, "unknown key %q in %s (known: %s)", key, what, strings.Join(known, ", "))
			}
			continue
		}
		lines[prefix+key] = k.Line
		if isNull(v) {
			continue
		}
		h(v)
	}
}

func kind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "an unsupported node"
}

// str decodes a scalar as its literal text.
func (d *decoder) str(key string, dst *string) func(*yaml.Node) {
	return func(n *yaml.Node) {
		if n.Kind != yaml.ScalarNode {
			d.errorf(n.Line, "%s must be a string, got %s", key, kind(n))
			return
		}
		*dst = n.Value
	}
}

// duration decodes a Go duration string; it must be positive.
func (d *decoder) duration(key string, dst *time.Duration) func(*yaml.Node) {
	return func(n *yaml.Node) {
		if n.Kind != yaml.ScalarNode {
			d.errorf(n.Line, "%s must be a duration such as \"5m\", got %s", key, kind(n))
			return
		}
		v, err := time.ParseDuration(n.Value)
		if err != nil {
			d.errorf(n.Line, "%s: invalid duration %q (use a Go duration such as \"90s\", \"5m\" or \"336h\")", key, n.Value)
			return
		}
		if v <= 0 {
			d.errorf(n.Line, "%s must be positive, got %q", key, n.Value)
			return
		}
		*dst = v
	}
}

// size decodes a byte size; it must be positive.
func (d *decoder) size(key string, dst *int64) func(*yaml.Node) {
	return func(n *yaml.Node) {
		if n.Kind != yaml.ScalarNode {
			d.errorf(n.Line, "%s must be a size such as \"100MiB\", got %s", key, kind(n))
			return
		}
		v, err := ParseSize(n.Value)
		if err != nil {
			d.errorf(n.Line, "%s: %v", key, err)
			return
		}
		if v <= 0 {
			d.errorf(n.Line, "%s must be positive, got %q", key, n.Value)
			return
		}
		*dst = v
	}
}

// count decodes a positive integer.
func (d *decoder) count(key string, dst *int) func(*yaml.Node) {
	return func(n *yaml.Node) {
		v, err := strconv.Atoi(n.Value)
		if n.Kind != yaml.ScalarNode || err != nil {
			d.errorf(n.Line, "%s must be an integer, got %s", key, kind(n))
			return
		}
		if v <= 0 {
			d.errorf(n.Line, "%s must be positive, got %d", key, v)
			return
		}
		*dst = v
	}
}

var sizeUnits = map[string]int64{
	"": 1, "b": 1,
	"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
	"kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
}

var sizeRE = regexp.MustCompile(`^([0-9]+)\s*([A-Za-z]*)$`)

// ParseSize parses a byte size: a plain number of bytes, or a whole number
// with a unit: B, KiB, MiB, GiB, TiB (binary) or KB, MB, GB, TB (decimal),
// case-insensitive.
func ParseSize(s string) (int64, error) {
	m := sizeRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, fmt.Errorf("invalid size %q (use bytes or a unit such as \"512KiB\", \"8MiB\", \"1GiB\")", s)
	}
	unit, ok := sizeUnits[strings.ToLower(m[2])]
	if !ok {
		return 0, fmt.Errorf("invalid size %q: unknown unit %q (use B, KiB, MiB, GiB, TiB, KB, MB, GB or TB)", s, m[2])
	}
	n, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil || n > math.MaxInt64/unit {
		return 0, fmt.Errorf("invalid size %q: too large", s)
	}
	return n * unit, nil
}

func (d *decoder) top(n *yaml.Node) {
	c := d.cfg
	d.mapping(n, "the configuration", d.lines, "", map[string]func(*yaml.Node){
		"server":                 d.str("server", &c.Server),
		"state_dir":              d.str("state_dir", &c.StateDir),
		"root":                   d.str("root", &c.Root),
		"enrollment_secret_file": d.str("enrollment_secret_file", &c.EnrollmentSecretFile),
		"proxy":                  d.str("proxy", &c.Proxy),
		"verification_key":       d.str("verification_key", &c.VerificationKey),
		"bundle_ttl":             d.duration("bundle_ttl", &c.BundleTTL),
		"tls": func(v *yaml.Node) {
			d.mapping(v, "tls", d.lines, "tls.", map[string]func(*yaml.Node){
				"ca_file":     d.str("tls.ca_file", &c.TLS.CAFile),
				"client_cert": d.str("tls.client_cert", &c.TLS.ClientCert),
				"client_key":  d.str("tls.client_key", &c.TLS.ClientKey),
			})
		},
		"intervals": func(v *yaml.Node) {
			d.mapping(v, "intervals", d.lines, "intervals.", map[string]func(*yaml.Node){
				"poll":     d.duration("intervals.poll", &c.Intervals.Poll),
				"evaluate": d.duration("intervals.evaluate", &c.Intervals.Evaluate),
			})
		},
		"spool": func(v *yaml.Node) {
			d.mapping(v, "spool", d.lines, "spool.", map[string]func(*yaml.Node){
				"max_bytes":   d.size("spool.max_bytes", &c.Spool.MaxBytes),
				"max_reports": d.count("spool.max_reports", &c.Spool.MaxReports),
				"max_age":     d.duration("spool.max_age", &c.Spool.MaxAge),
			})
		},
		"delivery": func(v *yaml.Node) {
			d.mapping(v, "delivery", d.lines, "delivery.", map[string]func(*yaml.Node){
				"timeout":        d.duration("delivery.timeout", &c.Delivery.Timeout),
				"max_body":       d.size("delivery.max_body", &c.Delivery.MaxBody),
				"backoff_min":    d.duration("delivery.backoff_min", &c.Delivery.BackoffMin),
				"backoff_max":    d.duration("delivery.backoff_max", &c.Delivery.BackoffMax),
				"shutdown_grace": d.duration("delivery.shutdown_grace", &c.Delivery.ShutdownGrace),
			})
		},
		"assignments": d.assignments,
	})
}

var nameRE = regexp.MustCompile(`^[a-z0-9._-]+$`)

func (d *decoder) assignments(n *yaml.Node) {
	if n.Kind != yaml.SequenceNode {
		d.errorf(n.Line, "assignments must be a list, got %s", kind(n))
		return
	}
	names := map[string]int{}
	for _, item := range n.Content {
		item = resolve(item)
		a := Assignment{Mode: DefaultMode, Timeout: DefaultAssignmentTimeout, Line: item.Line}
		if isNull(item) || item.Kind != yaml.MappingNode {
			d.errorf(item.Line, "an assignment must be a mapping with name and source, got %s", kind(item))
			continue
		}
		lines := map[string]int{}
		var params *yaml.Node
		d.mapping(item, "an assignment", lines, "", map[string]func(*yaml.Node){
			"name":    d.str("name", &a.Name),
			"source":  d.str("source", &a.Source),
			"mode":    d.str("mode", &a.Mode),
			"timeout": d.duration("timeout", &a.Timeout),
			"parameters": func(v *yaml.Node) {
				params = v
			},
		})
		at := func(k string) int {
			if l, ok := lines[k]; ok {
				return l
			}
			return a.Line
		}
		switch {
		case a.Name == "":
			d.errorf(at("name"), "assignment: name is required")
		case !nameRE.MatchString(a.Name) || a.Name == "." || a.Name == "..":
			d.errorf(at("name"), "assignment name %q: use only lower-case letters, digits, '.', '_' and '-'", a.Name)
		default:
			if first, dup := names[a.Name]; dup {
				d.errorf(at("name"), "duplicate assignment name %q (first on line %d)", a.Name, first)
			} else {
				names[a.Name] = at("name")
			}
		}
		switch a.Mode {
		case ModeAudit, ModeApply, ModeAutocorrect:
		default:
			d.errorf(at("mode"), "assignment %q: mode %q: must be audit, apply or autocorrect", a.Name, a.Mode)
		}
		if a.Source == "" {
			d.errorf(at("name"), "assignment %q: source is required", a.Name)
		} else if err := checkSource(a.Source); err != nil {
			d.errorf(at("source"), "assignment %q: source %v", a.Name, err)
		}
		if params != nil {
			if params.Kind != yaml.MappingNode {
				d.errorf(params.Line, "assignment %q: parameters must be a mapping, got %s", a.Name, kind(params))
			} else {
				var m map[string]any
				if err := params.Decode(&m); err != nil {
					d.errorf(params.Line, "assignment %q: parameters: %v", a.Name, err)
				} else {
					a.Parameters = m
				}
			}
		}
		d.cfg.Assignments = append(d.cfg.Assignments, a)
		d.srcLines = append(d.srcLines, at("source"))
	}
}

// checkSource accepts an https:// URL, a file:// URL of an absolute path
// or an absolute local path.
func checkSource(s string) error {
	switch {
	case strings.HasPrefix(s, "https://"):
		return checkHTTPS(s)
	case strings.HasPrefix(s, "file://"):
		u, err := url.Parse(s)
		if err != nil {
			return fmt.Errorf("%q: %v", s, err)
		}
		if (u.Host != "" && u.Host != "localhost") || !filepath.IsAbs(u.Path) || u.RawQuery != "" || u.Fragment != "" {
			return fmt.Errorf("%q: a file URL must name an absolute local path (file:///path/bundle.tar.gz)", s)
		}
		return nil
	case strings.Contains(s, "://"):
		return fmt.Errorf("%q: only https:// URLs, file:// URLs and absolute paths are allowed (TLS is always on)", s)
	case !filepath.IsAbs(s):
		return fmt.Errorf("%q: a local source must be an absolute path", s)
	}
	return nil
}

// sourceIsBundle says whether a source yields a bundle file that must be
// signed: downloads, file:// URLs and local .tar.gz/.tgz files. A local
// directory is a trusted pack.
func sourceIsBundle(s string) bool {
	return strings.Contains(s, "://") || strings.HasSuffix(s, ".tar.gz") || strings.HasSuffix(s, ".tgz")
}

// checkHTTPS validates an https:// URL with a host.
func checkHTTPS(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("%q: %v", s, err)
	}
	if u.Scheme != "https" {
		return fmt.Errorf("%q: must be an https:// URL (TLS is always on)", s)
	}
	if u.Host == "" || u.Hostname() == "" {
		return fmt.Errorf("%q: has no host", s)
	}
	if u.User != nil {
		return fmt.Errorf("%q: credentials in the URL are not allowed", s)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("%q: must not have a query or fragment", s)
	}
	return nil
}

func (d *decoder) line(key string) int { return d.lines[key] }

// validate checks what spans several keys, and required keys.
func (d *decoder) validate() {
	c := d.cfg
	if c.Server == "" {
		d.errorf(d.line("server"), "server is required (the receiver's https:// URL)")
	} else if err := checkHTTPS(c.Server); err != nil {
		d.errorf(d.line("server"), "server %v", err)
	} else {
		c.Server = strings.TrimRight(c.Server, "/")
	}
	if c.Proxy != "" {
		u, err := url.Parse(c.Proxy)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
			d.errorf(d.line("proxy"), "proxy %q: must be an http:// or https:// URL with a host", c.Proxy)
		}
	}
	for _, p := range []struct {
		key, val string
		req      bool
	}{
		{"state_dir", c.StateDir, true},
		{"root", c.Root, true},
		{"enrollment_secret_file", c.EnrollmentSecretFile, false},
		{"verification_key", c.VerificationKey, false},
		{"tls.ca_file", c.TLS.CAFile, false},
		{"tls.client_cert", c.TLS.ClientCert, false},
		{"tls.client_key", c.TLS.ClientKey, false},
	} {
		if p.val == "" {
			if p.req {
				d.errorf(d.line(p.key), "%s must not be empty", p.key)
			}
			continue
		}
		if !filepath.IsAbs(p.val) {
			d.errorf(d.line(p.key), "%s %q: must be an absolute path", p.key, p.val)
		}
	}
	if (c.TLS.ClientCert == "") != (c.TLS.ClientKey == "") {
		l := d.line("tls.client_cert")
		if l == 0 {
			l = d.line("tls.client_key")
		}
		d.errorf(l, "tls: client_cert and client_key go together (set both or neither)")
	}
	if c.Delivery.BackoffMin > c.Delivery.BackoffMax {
		l := d.line("delivery.backoff_min")
		if l == 0 {
			l = d.line("delivery.backoff_max")
		}
		d.errorf(l, "delivery: backoff_min %s is above backoff_max %s", c.Delivery.BackoffMin, c.Delivery.BackoffMax)
	}
	if len(c.Assignments) == 0 {
		l := d.line("assignments")
		if l == 0 {
			l = 1
		}
		d.errorf(l, "assignments: at least one assignment is required")
	}
	if c.VerificationKey == "" {
		for i, a := range c.Assignments {
			if a.Source != "" && sourceIsBundle(a.Source) {
				d.errorf(d.srcLines[i],
					"assignment %q: source %q is a bundle, so verification_key is required (bundles must be signed)", a.Name, a.Source)
			}
		}
	}
}

// suggest returns the known key closest to key, if it is close enough to
// be a typo.
func suggest(key string, known []string) string {
	sort.Strings(known)
	best, bestD := "", math.MaxInt
	for _, k := range known {
		if dist := levenshtein(key, k); dist < bestD {
			best, bestD = k, dist
		}
	}
	limit := max(2, len(key)/3)
	if bestD <= limit && bestD < len(key) {
		return best
	}
	return ""
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
