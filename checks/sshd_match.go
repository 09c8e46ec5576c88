package checks

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/netip"
	"strconv"
	"strings"

	"github.com/spf13/afero"
)

// This file computes the configuration sshd uses for one connection, as
// `sshd -T -C user=…,host=…,addr=…` prints it. OpenSSH reads its
// configuration twice (servconf.c): once at startup, when only the global
// lines and "Match all" blocks apply, and again for each connection
// (parse_server_match_config), when the lines of the Match blocks that
// match the connection are read into a fresh set of options, which
// copy_set_server_options then copies over the startup ones. Effective
// replays that second reading from the facts alone, so that it works on
// facts decoded from JSON (a Rego built-in gets input.sshd, not a file
// system).

// ErrSSHDGroupsUnknown is wrapped by Effective's error when a Match Group
// criterion decides whether a block applies but the connection's groups
// were not looked up (SSHDConnection.Groups is nil).
var ErrSSHDGroupsUnknown = errors.New("the user's groups are unknown")

// SSHDConnection is a connection to test the configuration against: the
// parameters of `sshd -T -C`. An empty string means the parameter is not
// given, and then, as with sshd -T, criteria that need it do not match;
// LocalPort 0 means no local port, and a "Match LocalPort" then makes
// Effective fail as it makes sshd -T fail.
type SSHDConnection struct {
	User      string `json:"user,omitempty"`
	Host      string `json:"host,omitempty"`
	Addr      string `json:"addr,omitempty"`
	LocalAddr string `json:"laddr,omitempty"`
	LocalPort int    `json:"lport,omitempty"`
	RDomain   string `json:"rdomain,omitempty"`
	// Groups are the names of the user's groups, which sshd finds with
	// getpwnam and getgrouplist for "Match Group"; SSHDUserGroups reads
	// them from a scanned root. nil means they were not looked up: a
	// Group criterion that matters then makes Effective fail with
	// ErrSSHDGroupsUnknown rather than guess. A user missing from the
	// password database has no groups (empty, not nil): sshd then never
	// matches a Group criterion, which is what an empty list does.
	Groups []string `json:"groups"`
}

// String returns the connection in ParseSSHDConnection's (and sshd -C's)
// syntax; Groups are not part of it.
func (c SSHDConnection) String() string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	add("user", c.User)
	add("host", c.Host)
	add("addr", c.Addr)
	add("laddr", c.LocalAddr)
	if c.LocalPort != 0 {
		add("lport", strconv.Itoa(c.LocalPort))
	}
	add("rdomain", c.RDomain)
	return strings.Join(parts, ",")
}

// ParseSSHDConnection parses a connection specification as `sshd -C` does
// (servconf.c parse_server_match_testspec): comma-separated user=, host=,
// addr=, laddr=, lport= and rdomain= items, a later item overriding an
// earlier one, and an empty item ending the list (sshd stops there too,
// ignoring the rest). An unknown item or a bad port is an error with
// sshd's message. Two differences, both errors rather than a silent
// difference: lport must be numeric (sshd also accepts a service name from
// the scanning host's /etc/services), and a value may not be empty (sshd
// would test an empty user or host name, which SSHDConnection cannot
// tell from an absent one).
func ParseSSHDConnection(spec string) (SSHDConnection, error) {
	var c SSHDConnection
	for _, p := range strings.Split(spec, ",") {
		if p == "" {
			break
		}
		key, val, _ := strings.Cut(p, "=")
		var dst *string
		switch {
		case strings.HasPrefix(p, "addr="):
			dst = &c.Addr
		case strings.HasPrefix(p, "host="):
			dst = &c.Host
		case strings.HasPrefix(p, "user="):
			dst = &c.User
		case strings.HasPrefix(p, "laddr="):
			dst = &c.LocalAddr
		case strings.HasPrefix(p, "rdomain="):
			dst = &c.RDomain
		case strings.HasPrefix(p, "lport="):
			n, ok := sshdA2portNumeric(val)
			if !ok {
				return SSHDConnection{}, fmt.Errorf("Invalid port '%s' in test mode specification %s", val, p)
			}
			c.LocalPort = n
			continue
		default:
			return SSHDConnection{}, fmt.Errorf("Invalid test mode specification %s", p)
		}
		if val == "" {
			return SSHDConnection{}, fmt.Errorf("empty %s in test mode specification %s", key, p)
		}
		*dst = val
	}
	return c, nil
}

// SSHDUserGroups returns the groups sshd would find for user on the
// scanned root, as getpwnam and getgrouplist do with the "files" NSS
// source: the group of the user's primary gid from /etc/passwd, then every
// group of /etc/group that lists the user as a member, each gid named by
// the first /etc/group entry with that gid (gids without one are dropped,
// as ga_init drops them). known is false when the user is not in
// /etc/passwd (or there is none); groups is then empty, not nil, because
// sshd treats such a user as a member of no group. An error means the
// databases could not be read (too large, not a regular file, permission);
// other NSS sources (LDAP, SSSD, systemd) are not consulted.
func SSHDUserGroups(fsys afero.Fs, user string) (groups []string, known bool, err error) {
	passwd, err := ReadFile(fsys, "/etc/passwd", MaxConfigSize)
	if errors.Is(err, fs.ErrNotExist) {
		return []string{}, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("sshd: reading /etc/passwd: %w", err)
	}
	base, found := -1, false
	sshdNSSLines(passwd, func(f []string) bool {
		if len(f) < 4 || f[0] != user {
			return true
		}
		gid, err := strconv.ParseUint(f[3], 10, 32)
		if err != nil {
			return true // glibc skips an entry it cannot parse
		}
		base, found = int(gid), true
		return false
	})
	if !found {
		return []string{}, false, nil
	}
	group, err := ReadFile(fsys, "/etc/group", MaxConfigSize)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, false, fmt.Errorf("sshd: reading /etc/group: %w", err)
	}
	gids := []int{base}
	names := map[int]string{}
	sshdNSSLines(group, func(f []string) bool {
		if len(f) < 3 {
			return true
		}
		gid64, err := strconv.ParseUint(f[2], 10, 32)
		if err != nil {
			return true
		}
		gid := int(gid64)
		if _, dup := names[gid]; !dup {
			names[gid] = f[0]
		}
		if len(f) < 4 || gid == base {
			return true
		}
		for _, m := range strings.Split(f[3], ",") {
			if m != user {
				continue
			}
			seen := false
			for _, g := range gids {
				seen = seen || g == gid
			}
			if !seen {
				gids = append(gids, gid)
			}
			break
		}
		return true
	})
	groups = []string{}
	for _, g := range gids {
		if n, ok := names[g]; ok {
			groups = append(groups, n)
		}
	}
	return groups, true, nil
}

// sshdNSSLines calls fn with the colon-separated fields of each entry of
// an NSS "files" database, skipping blank and comment lines as glibc does,
// until fn returns false.
func sshdNSSLines(data []byte, fn func([]string) bool) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), len(data)+1)
	for sc.Scan() {
		line := strings.TrimLeft(sc.Text(), " \t\v\f\r")
		if line == "" || line[0] == '#' {
			continue
		}
		if !fn(strings.Split(line, ":")) {
			return
		}
	}
}

// SSHDEffective is the configuration sshd uses for one connection.
type SSHDEffective struct {
	// Config is what `sshd -T -C` prints, in the form of SSHDFacts.Config.
	Config SSHDConfig `json:"config"`
	// Sources locates the line that set each keyword; keywords left at
	// their default have no entry.
	Sources map[string]SSHDLocation `json:"sources"`
	// Matched lists the indexes in SSHDFacts.Match of the blocks that
	// apply to the connection, in order.
	Matched []int `json:"matched"`
}

// Effective computes the configuration sshd uses for conn, exactly as
// `sshd -T -C` computes it: Match blocks whose criteria all hold (and whose
// parent block, if any, applies) are re-read in order into a fresh set of
// options, where most keywords keep their first value and list keywords
// (AllowUsers, AcceptEnv, ...) accumulate; every keyword they set then
// replaces the global value, lists included. It uses the facts alone, so
// facts decoded from JSON work too.
//
// It fails where sshd -T -C fails: a "Match LocalPort" without
// conn.LocalPort, an "AuthenticationMethods any" after methods applied to
// this connection, an algorithm list that leaves no algorithm. It also
// fails, wrapping ErrSSHDGroupsUnknown, when a Group criterion decides a
// block and conn.Groups is nil. Those errors are *SSHDConfigError naming
// the line; facts that are missing or malformed (hand-made JSON) give
// plain errors. With the zero SSHDConnection it computes what sshd -T
// without -C prints: Config, or the same refusal on "Match LocalPort".
func (f *SSHDFacts) Effective(conn SSHDConnection) (*SSHDEffective, error) {
	if f == nil || !f.Exists {
		return nil, errors.New("sshd: no configuration to evaluate (the configuration file does not exist)")
	}
	active, err := sshdActiveBlocks(f.Match, conn, true)
	if err != nil {
		return nil, err
	}
	mo, err := sshdReplay(f.MatchLines, active)
	if err != nil {
		return nil, err
	}
	base, err := sshdNormConfig(f.Config)
	if err != nil {
		return nil, err
	}
	src := make(map[string]SSHDLocation, len(f.Sources))
	for k, v := range f.Sources {
		src[k] = v
	}
	first, err := sshdNormConfig(f.FirstPass.Config)
	if err != nil {
		return nil, err
	}
	for k, v := range first {
		base[k] = v
		if s, ok := f.FirstPass.Sources[k]; ok {
			src[k] = s
		} else {
			delete(src, k)
		}
	}
	cfg, cs, _, err := sshdOverlay(base, src, mo)
	if err != nil {
		return nil, err
	}
	matched := []int{}
	for i, a := range active {
		if a {
			matched = append(matched, i)
		}
	}
	return &SSHDEffective{Config: cfg, Sources: cs, Matched: matched}, nil
}

// sshdActiveBlocks decides which blocks apply to conn. A block whose parent
// does not apply is never evaluated: sshd reads its file with
// SSHCFG_NEVERMATCH and checks the Match line's syntax only. strict is
// sshd -T -C: a LocalPort criterion without a local port is an error;
// otherwise (the collector's view of sshd -T without -C) it does not match.
func sshdActiveBlocks(blocks []SSHDMatch, conn SSHDConnection, strict bool) ([]bool, error) {
	active := make([]bool, len(blocks))
	for i, b := range blocks {
		if b.Parent < -1 || b.Parent >= i {
			return nil, &SSHDConfigError{File: b.File, Line: b.Line, Msg: fmt.Sprintf("Match block %d: parent %d is not an earlier block", i, b.Parent)}
		}
		if b.Parent >= 0 && !active[b.Parent] {
			continue
		}
		ok, err := sshdMatchCriteria(b.Criteria, conn, strict)
		if err != nil {
			ce := &SSHDConfigError{File: b.File, Line: b.Line, Msg: "Match: " + err.Error()}
			if errors.Is(err, ErrSSHDGroupsUnknown) {
				ce.Err = ErrSSHDGroupsUnknown
			}
			return nil, ce
		}
		active[i] = ok
	}
	return active, nil
}

// sshdMatchCriteria is match_cfg_line for a connection in test mode: every
// criterion is evaluated (so a LocalPort without a port fails even after a
// criterion that did not match), and they are ANDed.
func sshdMatchCriteria(crit []SSHDCriterion, conn SSHDConnection, strict bool) (bool, error) {
	if len(crit) == 0 {
		return false, errors.New("one or more attributes required")
	}
	result := true
	var groupLists []string
	for _, c := range crit {
		list := strings.Join(c.Patterns, ",")
		switch c.Type {
		case "all":
			if len(crit) != 1 {
				return false, errors.New("'all' cannot be combined with other Match attributes")
			}
			return true, nil
		case "user":
			if conn.User == "" || sshdMatchPatternList(conn.User, list, false) != 1 {
				result = false
			}
		case "group":
			if conn.User == "" {
				result = false
				continue
			}
			groupLists = append(groupLists, list)
		case "host":
			if conn.Host == "" || sshdMatchPatternList(sshdLowerASCII(conn.Host), list, true) != 1 {
				result = false
			}
		case "address", "localaddress":
			addr := conn.Addr
			if c.Type == "localaddress" {
				addr = conn.LocalAddr
			}
			if addr == "" {
				result = false
				continue
			}
			switch sshdAddrMatchList(addr, list) {
			case 1:
			case -2:
				return false, fmt.Errorf("invalid %s argument %q", c.Type, list)
			default:
				result = false
			}
		case "localport":
			port, err := strconv.Atoi(list)
			if err != nil || port < 0 || port > 65535 {
				return false, fmt.Errorf("invalid LocalPort %q", list)
			}
			if conn.LocalPort == 0 {
				if strict {
					return false, errors.New("'Match LocalPort' in configuration but 'lport' not in connection test specification")
				}
				result = false
				continue
			}
			if port != conn.LocalPort {
				result = false
			}
		case "rdomain":
			if conn.RDomain == "" || sshdMatchPatternList(conn.RDomain, list, false) != 1 {
				result = false
			}
		default:
			return false, fmt.Errorf("unsupported attribute %q", c.Type)
		}
	}
	// Group lookups only matter when everything else matched; sshd's own
	// lookup has no side effect, so deciding them last changes nothing.
	if result && len(groupLists) > 0 {
		if conn.Groups == nil {
			return false, fmt.Errorf("Group criterion for user %q: %w", conn.User, ErrSSHDGroupsUnknown)
		}
		for _, l := range groupLists {
			if !sshdGroupsMatch(conn.Groups, l) {
				result = false
			}
		}
	}
	return result, nil
}

// sshdGroupsMatch is groupaccess.c's ga_match_pattern_list: a negated
// match on any group wins, otherwise one positive match is enough; a user
// in no group matches nothing.
func sshdGroupsMatch(groups []string, list string) bool {
	found := false
	for _, g := range groups {
		switch sshdMatchPatternList(g, list, false) {
		case -1:
			return false
		case 1:
			found = true
		}
	}
	return found
}

// sshdAddrPton is addr_pton: a numeric IPv4 address in any form inet_aton
// accepts, or an IPv6 address with an optional zone.
func sshdAddrPton(s string) (netip.Addr, bool) {
	if !strings.Contains(s, ":") {
		return sshdInetAton(s)
	}
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is6() {
		return netip.Addr{}, false
	}
	return a, true
}

// sshdAddrMatchList is addrmatch.c's addr_match_list: 1 when addr matches
// an entry (a CIDR network, or else a wildcard pattern), -1 when it matches
// a negated one (which ends the search: the whole list fails), 0 when
// nothing matches or addr is not an address, -2 for an invalid list.
func sshdAddrMatchList(addr, list string) int {
	try, ok := sshdAddrPton(addr)
	if !ok {
		return 0
	}
	ret := 0
	for _, cp := range strings.Split(list, ",") {
		neg := strings.HasPrefix(cp, "!")
		if neg {
			cp = cp[1:]
		}
		if cp == "" {
			return -2
		}
		net, bits, r := sshdAddrPtonCIDRAddr(cp)
		var hit bool
		switch r {
		case -2:
			return -2
		case 0:
			hit = sshdNetMatch(try, net, bits)
		default:
			hit = sshdMatchPattern(addr, cp)
		}
		if hit {
			if neg {
				return -1
			}
			ret = 1
		}
	}
	return ret
}

// sshdNetMatch is addr_netmatch: same family, and the host masked to the
// prefix equals the network, zones (scope ids) included.
func sshdNetMatch(host, net netip.Addr, bits int) bool {
	if host.Is4() != net.Is4() {
		return false
	}
	p, err := host.WithZone("").Prefix(bits)
	if err != nil {
		return false
	}
	return p.Addr() == net.WithZone("") && host.Zone() == net.Zone()
}

// sshdReplay is sshd's per-connection reading of the configuration
// (parse_server_config with connection info) over the recorded Match
// lines: lines of active blocks set a fresh scope with the keywords' own
// merge rules; AuthenticationMethods lines are checked whether active or
// not, as sshd checks them.
func sshdReplay(lines []SSHDMatchLine, active []bool) (*sshdScope, error) {
	mo := newSSHDScope()
	for _, ln := range lines {
		loc := SSHDLocation{File: ln.File, Line: ln.Line}
		kw := sshdKeywords[ln.Keyword]
		if kw == nil || !kw.matchable {
			return nil, &SSHDConfigError{File: ln.File, Line: ln.Line, Msg: fmt.Sprintf("%q cannot be set in a Match block", ln.Keyword)}
		}
		v, err := sshdNormValue(ln.Value)
		if err == nil {
			if _, isList := v.([]string); isList != kw.list {
				err = fmt.Errorf("value of type %T", ln.Value)
			}
		}
		if err != nil {
			return nil, &SSHDConfigError{File: ln.File, Line: ln.Line, Msg: fmt.Sprintf("%s: %v", ln.Keyword, err)}
		}
		on := false
		if ln.Block >= 0 {
			if ln.Block >= len(active) {
				return nil, &SSHDConfigError{File: ln.File, Line: ln.Line, Msg: fmt.Sprintf("%s: no Match block %d", ln.Keyword, ln.Block)}
			}
			on = active[ln.Block]
		}
		if kw.name == "authenticationmethods" {
			if err := sshdCheckAuthAny(mo, v.(string), on, loc); err != nil {
				return nil, err
			}
		}
		if !on {
			continue
		}
		if err := mo.apply(kw, v, loc); err != nil {
			return nil, err
		}
	}
	return mo, nil
}

// sshdCheckAuthAny is the "any" check of servconf.c's AuthenticationMethods
// case against the options being built: "any" is fatal once methods are
// set, including methods this very line appended before it.
func sshdCheckAuthAny(mo *sshdScope, line string, active bool, loc SSHDLocation) error {
	num := 0
	if cur, ok := mo.values["authenticationmethods"].(string); ok {
		num = len(strings.Fields(cur))
	}
	found := num == 0
	for _, a := range strings.Fields(line) {
		if a == "any" && num > 0 {
			return &SSHDConfigError{File: loc.File, Line: loc.Line,
				Msg: `AuthenticationMethods: "any" must appear alone (methods are already set for this connection)`}
		}
		if found && active {
			num++
		}
	}
	return nil
}

// sshdOverlay is copy_set_server_options: every keyword mo sets replaces
// cfg's value (lists replaced, not appended to), except that RekeyLimit's
// interval is kept when mo sets only the limit. cfg and src are changed in
// place and returned; first holds what the replaced keywords were.
func sshdOverlay(cfg SSHDConfig, src map[string]SSHDLocation, mo *sshdScope) (SSHDConfig, map[string]SSHDLocation, SSHDSettings, error) {
	first := SSHDSettings{Config: SSHDConfig{}, Sources: map[string]SSHDLocation{}}
	if len(mo.values) == 0 {
		return cfg, src, first, nil
	}
	rekey, hasRekey := mo.values["rekeylimit"].(sshdRekeyState)
	mc, ms, err := mo.render(false)
	if err != nil {
		return nil, nil, first, err
	}
	for k, v := range mc {
		if k == "rekeylimit" && hasRekey && !rekey.hasIntv {
			// The interval is an option of its own, left as it was.
			old, _ := cfg[k].(string)
			r, _ := sshdParseRekeyValue(old)
			v = fmt.Sprintf("%d %d", rekey.limit, r.interval)
		}
		if old, ok := cfg[k]; ok {
			first.Config[k] = old
		}
		if s, ok := src[k]; ok {
			first.Sources[k] = s
		}
		cfg[k] = v
		src[k] = ms[k]
	}
	return cfg, src, first, nil
}

// sshdNormValue accepts a configuration value in Go form or as decoded from
// JSON ([]any of strings) and returns a string or a fresh []string.
func sshdNormValue(v any) (any, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case []string:
		return append([]string{}, v...), nil
	case []any:
		out := make([]string, len(v))
		for i, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("list element of type %T, want string", e)
			}
			out[i] = s
		}
		return out, nil
	}
	return nil, fmt.Errorf("value of type %T, want a string or a list of strings", v)
}

// sshdNormConfig copies cfg with every value normalised by sshdNormValue.
func sshdNormConfig(cfg SSHDConfig) (SSHDConfig, error) {
	out := make(SSHDConfig, len(cfg))
	for k, v := range cfg {
		n, err := sshdNormValue(v)
		if err != nil {
			return nil, fmt.Errorf("sshd: config %q: %w", k, err)
		}
		out[k] = n
	}
	return out, nil
}

// UnmarshalJSON decodes lists as []string, not []any, so that facts read
// back from JSON hold the same Go values the collector produced.
func (c *SSHDConfig) UnmarshalJSON(b []byte) error {
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	if raw == nil {
		*c = nil
		return nil
	}
	cfg, err := sshdNormConfig(raw)
	if err != nil {
		return err
	}
	*c = cfg
	return nil
}

// UnmarshalJSON decodes Value like SSHDConfig's values.
func (m *SSHDMatchLine) UnmarshalJSON(b []byte) error {
	type plain SSHDMatchLine
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	v, err := sshdNormValue(p.Value)
	if err != nil {
		return fmt.Errorf("sshd: match line %s:%d: %w", p.File, p.Line, err)
	}
	p.Value = v
	*m = SSHDMatchLine(p)
	return nil
}
