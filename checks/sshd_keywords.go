package checks

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// This file is the knowledge of OpenSSH 9.2p1 as Debian 12 builds it
// (openssh-server 1:9.2p1-2+deb12u*): which keywords exist, where they may
// appear, how each value is normalised and what sshd -T prints when the
// configuration leaves a keyword unset. The references to servconf.c are to
// that release; where sshd behaves oddly, the code follows sshd, because the
// facts must describe what the daemon really does, not what its manual says.

// sshdDir is SSHDIR: relative Include paths are resolved against it.
const sshdDir = "/etc/ssh"

// sshdMaxIncludeDepth is SERVCONF_MAX_DEPTH: sshd refuses an Include chain
// deeper than this below the main file.
const sshdMaxIncludeDepth = 16

// sshdDefaultHostKeys are the keys sshd loads when no HostKey is configured
// (fill_default_server_options; Debian builds with ECC, without XMSS).
var sshdDefaultHostKeys = []string{
	"/etc/ssh/ssh_host_rsa_key",
	"/etc/ssh/ssh_host_ecdsa_key",
	"/etc/ssh/ssh_host_ed25519_key",
}

// Algorithm lists of the Debian 12 build. "all" lists are what the binary
// supports (ssh -Q), default lists what sshd -T prints for an empty
// configuration. They are needed to expand "+", "-" and "^" lists the way
// kex_assemble_names does.
const (
	sshdAllCiphers = "3des-cbc,aes128-cbc,aes192-cbc,aes256-cbc,aes128-ctr,aes192-ctr,aes256-ctr," +
		"aes128-gcm@openssh.com,aes256-gcm@openssh.com,chacha20-poly1305@openssh.com"
	sshdDefaultCiphers = "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr," +
		"aes128-gcm@openssh.com,aes256-gcm@openssh.com"

	sshdAllMACs = "hmac-sha1,hmac-sha1-96,hmac-sha2-256,hmac-sha2-512,hmac-md5,hmac-md5-96," +
		"umac-64@openssh.com,umac-128@openssh.com,hmac-sha1-etm@openssh.com,hmac-sha1-96-etm@openssh.com," +
		"hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-md5-etm@openssh.com," +
		"hmac-md5-96-etm@openssh.com,umac-64-etm@openssh.com,umac-128-etm@openssh.com"
	sshdDefaultMACs = "umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com," +
		"hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-64@openssh.com,umac-128@openssh.com," +
		"hmac-sha2-256,hmac-sha2-512,hmac-sha1"

	sshdAllKex = "diffie-hellman-group1-sha1,diffie-hellman-group14-sha1,diffie-hellman-group14-sha256," +
		"diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group-exchange-sha1," +
		"diffie-hellman-group-exchange-sha256,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521," +
		"curve25519-sha256,curve25519-sha256@libssh.org,sntrup761x25519-sha512,sntrup761x25519-sha512@openssh.com"
	sshdDefaultKex = "sntrup761x25519-sha512,sntrup761x25519-sha512@openssh.com,curve25519-sha256," +
		"curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521," +
		"diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512," +
		"diffie-hellman-group14-sha256"

	// sshdAllKeyAlgs is sshkey_alg_list(0, 0, 1): every key type including
	// signature-only names; it is also the set sshkey_names_valid2 accepts.
	sshdAllKeyAlgs = "ssh-ed25519,ssh-ed25519-cert-v01@openssh.com,sk-ssh-ed25519@openssh.com," +
		"sk-ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256,ecdsa-sha2-nistp256-cert-v01@openssh.com," +
		"ecdsa-sha2-nistp384,ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521," +
		"ecdsa-sha2-nistp521-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com," +
		"sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,webauthn-sk-ecdsa-sha2-nistp256@openssh.com," +
		"ssh-dss,ssh-dss-cert-v01@openssh.com,ssh-rsa,ssh-rsa-cert-v01@openssh.com,rsa-sha2-256," +
		"rsa-sha2-256-cert-v01@openssh.com,rsa-sha2-512,rsa-sha2-512-cert-v01@openssh.com"
	sshdDefaultKeyAlgs = "ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com," +
		"ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521-cert-v01@openssh.com," +
		"sk-ssh-ed25519-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com," +
		"rsa-sha2-512-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com,ssh-ed25519," +
		"ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com," +
		"sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256"

	// sshdAllSigAlgs is sshkey_alg_list(0, 1, 1): plain signature algorithms,
	// what CASignatureAlgorithms is assembled against.
	sshdAllSigAlgs = "ssh-ed25519,sk-ssh-ed25519@openssh.com,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384," +
		"ecdsa-sha2-nistp521,sk-ecdsa-sha2-nistp256@openssh.com,webauthn-sk-ecdsa-sha2-nistp256@openssh.com," +
		"ssh-dss,ssh-rsa,rsa-sha2-256,rsa-sha2-512"
	sshdDefaultSigAlgs = "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521," +
		"sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256"

	// GSSAPI key exchange comes from Debian's gssapi patch.
	sshdAllGSSKex     = "gss-gex-sha1-,gss-group1-sha1-,gss-group14-sha1-,gss-group14-sha256-,gss-group16-sha512-,gss-nistp256-sha256-,gss-curve25519-sha256-"
	sshdDefaultGSSKex = "gss-group14-sha256-,gss-group16-sha512-,gss-nistp256-sha256-,gss-curve25519-sha256-,gss-group14-sha1-,gss-gex-sha1-"
)

// sshdDefaults is what sshd -T prints for every keyword an empty
// configuration leaves unset, keyed by the name sshd -T prints. Keywords
// printed on several lines default to a list; those sshd -T omits when
// unset default to an empty list (or "" for the two one-line keywords it
// omits, logverbose and channeltimeout). port, listenaddress and hostkey
// are derived in sshdParser.finish.
var sshdDefaults = map[string]any{
	"port":                            []string{"22"},
	"addressfamily":                   "any",
	"listenaddress":                   []string{},
	"usepam":                          "no",
	"logingracetime":                  "120",
	"x11displayoffset":                "10",
	"maxauthtries":                    "6",
	"maxsessions":                     "10",
	"clientaliveinterval":             "0",
	"clientalivecountmax":             "3",
	"requiredrsasize":                 "1024",
	"streamlocalbindmask":             "0177",
	"unusedconnectiontimeout":         "none",
	"permitrootlogin":                 "without-password",
	"ignorerhosts":                    "yes",
	"ignoreuserknownhosts":            "no",
	"hostbasedauthentication":         "no",
	"hostbasedusesnamefrompacketonly": "no",
	"pubkeyauthentication":            "yes",
	"kerberosauthentication":          "no",
	"kerberosorlocalpasswd":           "yes",
	"kerberosticketcleanup":           "yes",
	"gssapiauthentication":            "no",
	"gssapicleanupcredentials":        "yes",
	"gssapikeyexchange":               "no",
	"gssapistrictacceptorcheck":       "yes",
	"gssapistorecredentialsonrekey":   "no",
	"gssapikexalgorithms":             sshdDefaultGSSKex,
	"passwordauthentication":          "yes",
	"kbdinteractiveauthentication":    "yes",
	"printmotd":                       "yes",
	"printlastlog":                    "yes",
	"x11forwarding":                   "no",
	"x11uselocalhost":                 "yes",
	"permittty":                       "yes",
	"permituserrc":                    "yes",
	"strictmodes":                     "yes",
	"tcpkeepalive":                    "yes",
	"permitemptypasswords":            "no",
	"compression":                     "yes",
	"gatewayports":                    "no",
	"usedns":                          "no",
	"allowtcpforwarding":              "yes",
	"allowagentforwarding":            "yes",
	"disableforwarding":               "no",
	"allowstreamlocalforwarding":      "yes",
	"streamlocalbindunlink":           "no",
	"fingerprinthash":                 "SHA256",
	"exposeauthinfo":                  "no",
	"pidfile":                         "/run/sshd.pid",
	"modulifile":                      "/etc/ssh/moduli",
	"xauthlocation":                   "/usr/bin/xauth",
	"ciphers":                         sshdDefaultCiphers,
	"macs":                            sshdDefaultMACs,
	"banner":                          "none",
	"forcecommand":                    "none",
	"chrootdirectory":                 "none",
	"trustedusercakeys":               "none",
	"revokedkeys":                     "none",
	"securitykeyprovider":             "internal",
	"authorizedprincipalsfile":        "none",
	"versionaddendum":                 "none",
	"authorizedkeyscommand":           "none",
	"authorizedkeyscommanduser":       "none",
	"authorizedprincipalscommand":     "none",
	"authorizedprincipalscommanduser": "none",
	"hostkeyagent":                    "none",
	"kexalgorithms":                   sshdDefaultKex,
	"casignaturealgorithms":           sshdDefaultSigAlgs,
	"hostbasedacceptedalgorithms":     sshdDefaultKeyAlgs,
	"hostkeyalgorithms":               sshdDefaultKeyAlgs,
	"pubkeyacceptedalgorithms":        sshdDefaultKeyAlgs,
	"loglevel":                        "INFO",
	"syslogfacility":                  "AUTH",
	"authorizedkeysfile":              ".ssh/authorized_keys .ssh/authorized_keys2",
	"hostkey":                         []string{},
	"hostcertificate":                 []string{},
	"allowusers":                      []string{},
	"denyusers":                       []string{},
	"allowgroups":                     []string{},
	"denygroups":                      []string{},
	"acceptenv":                       []string{},
	"setenv":                          []string{},
	"authenticationmethods":           "any",
	"logverbose":                      "",
	"channeltimeout":                  "",
	"subsystem":                       []string{},
	"maxstartups":                     "10:30:100",
	"persourcemaxstartups":            "none",
	"persourcenetblocksize":           "32:128",
	"permittunnel":                    "no",
	"ipqos":                           "lowdelay throughput",
	"rekeylimit":                      "0 0",
	"permitopen":                      "any",
	"permitlisten":                    "any",
	"permituserenvironment":           "no",
	"pubkeyauthoptions":               "none",
}

// sshdMerge says how a later setting of a keyword combines with an earlier
// one in the same scope.
type sshdMerge int

const (
	// sshdFirst: the first setting wins, later ones are checked and
	// dropped. Most keywords work this way.
	sshdFirst sshdMerge = iota
	// sshdLast: every setting overwrites (sshd forgets the "already set"
	// check for these: IPQoS, FingerprintHash, StreamLocalBindMask, ...).
	sshdLast
	// sshdAppend: every setting adds to a list (Port, HostKey, AllowUsers).
	sshdAppend
	// sshdCustom: the keyword's merge function decides.
	sshdCustom
)

// sshdKeyword describes one keyword as sshd -T prints it.
type sshdKeyword struct {
	// name is the lowercase name sshd -T prints.
	name string
	// matchable: allowed in Match blocks (SSHCFG_MATCH under its own
	// name), and so copied from a matching block over the global value.
	matchable bool
	// list marks keywords sshd -T prints once per value.
	list  bool
	merge sshdMerge
	// parse validates one line and returns its normalised value: a string,
	// a []string for sshdAppend and list keywords, or any value a custom
	// merge and finish understand; nil when the line sets nothing.
	parse func(l *sshdLine) (any, error)
	// mergeFn combines v into sc for sshdCustom keywords.
	mergeFn func(sc *sshdScope, v any, loc SSHDLocation) error
	// finish turns the merged value into its final string or []string; nil
	// when the merged value already is final.
	finish func(v any) (any, error)
	// blockFinish replaces finish for Match blocks when set.
	blockFinish func(v any) (any, error)
}

// sshdSpelling is one entry of sshd's keyword table: a spelling (aliases
// included), the keyword it means and whether it may appear in a Match
// block. A nil kw marks keywords sshd accepts and ignores (deprecated,
// unsupported on Debian, or Protocol).
type sshdSpelling struct {
	kw          *sshdKeyword
	globalOnly  bool
	ignoredWhy  string
	matchOrIncl string // "match" or "include": handled by the parser itself
}

// sshdKeywords maps the canonical name to its description.
var sshdKeywords = map[string]*sshdKeyword{}

// sshdSpellings maps every lowercase spelling sshd accepts.
var sshdSpellings = map[string]sshdSpelling{}

func init() {
	def := func(kw *sshdKeyword) *sshdKeyword {
		if _, ok := sshdDefaults[kw.name]; !ok && kw.name != "debianbanner" {
			panic("sshd keyword without default: " + kw.name)
		}
		sshdKeywords[kw.name] = kw
		return kw
	}
	// spell registers spellings; g marks SSHCFG_GLOBAL.
	spell := func(kw *sshdKeyword, g bool, names ...string) {
		if len(names) == 0 {
			names = []string{kw.name}
		}
		for _, n := range names {
			sshdSpellings[n] = sshdSpelling{kw: kw, globalOnly: g}
		}
	}
	ignore := func(g bool, why string, names ...string) {
		for _, n := range names {
			sshdSpellings[n] = sshdSpelling{globalOnly: g, ignoredWhy: why}
		}
	}
	first := func(name string, parse func(*sshdLine) (any, error)) *sshdKeyword {
		return def(&sshdKeyword{name: name, merge: sshdFirst, parse: parse})
	}
	last := func(name string, parse func(*sshdLine) (any, error)) *sshdKeyword {
		return def(&sshdKeyword{name: name, merge: sshdLast, parse: parse})
	}
	appendList := func(name string, parse func(*sshdLine) (any, error)) *sshdKeyword {
		return def(&sshdKeyword{name: name, list: true, merge: sshdAppend, parse: parse})
	}
	algos := func(name string, valid func(string) bool, def, all string) *sshdKeyword {
		kw := first(name, sshdParseAlgos(valid))
		kw.finish = func(v any) (any, error) { return sshdAssemble(v.(string), def, all) }
		kw.blockFinish = func(v any) (any, error) {
			// sshd expands a block's list only for a connection the block
			// matches (and drops that connection if it cannot); the file
			// itself is accepted, so keep what cannot be expanded as written.
			if l, err := sshdAssemble(v.(string), def, all); err == nil {
				return l, nil
			}
			return v, nil
		}
		return kw
	}

	// Flags (multistate_flag): yes/no, case-insensitive, printed lowercase.
	for _, f := range []struct {
		name string
		g    bool
	}{
		{"usepam", true}, {"hostbasedauthentication", false}, {"hostbasedusesnamefrompacketonly", false},
		{"kerberosauthentication", false}, {"kerberosorlocalpasswd", true}, {"kerberosticketcleanup", true},
		{"gssapiauthentication", false}, {"gssapistrictacceptorcheck", true},
		{"gssapikeyexchange", true}, {"gssapistorecredentialsonrekey", true},
		{"passwordauthentication", false}, {"printmotd", true}, {"printlastlog", true},
		{"ignoreuserknownhosts", true}, {"x11forwarding", false}, {"x11uselocalhost", false},
		{"strictmodes", true}, {"permitemptypasswords", false}, {"usedns", true},
		{"allowagentforwarding", false}, {"disableforwarding", false}, {"streamlocalbindunlink", false},
		{"exposeauthinfo", false}, {"permittty", false}, {"permituserrc", false},
	} {
		spell(first(f.name, sshdParseFlag), f.g)
	}
	pubkey := first("pubkeyauthentication", sshdParseFlag)
	spell(pubkey, false)
	spell(pubkey, true, "dsaauthentication")
	spell(first("kbdinteractiveauthentication", sshdParseFlag), false,
		"kbdinteractiveauthentication", "challengeresponseauthentication", "skeyauthentication")
	spell(first("tcpkeepalive", sshdParseFlag), true, "tcpkeepalive", "keepalive")
	spell(first("gssapicleanupcredentials", sshdParseFlag), true, "gssapicleanupcredentials", "gssapicleanupcreds")
	// DebianBanner is parsed (so that a bad value is an error) but sshd -T
	// does not print it, so it stays out of config; the facts carry it
	// beside config, as debian_banner (sshd_extra.go).
	spell(&sshdKeyword{name: "debianbanner", parse: sshdParseFlag}, true)

	// Other multistate keywords.
	spell(first("addressfamily", sshdMultistate(map[string]string{"inet": "inet", "inet6": "inet6", "any": "any"})), true)
	spell(first("permitrootlogin", sshdMultistate(map[string]string{
		"without-password": "without-password", "prohibit-password": "without-password",
		"forced-commands-only": "forced-commands-only", "yes": "yes", "no": "no"})), false)
	spell(first("ignorerhosts", sshdMultistate(map[string]string{"yes": "yes", "no": "no", "shosts-only": "shosts-only"})), false)
	spell(first("compression", sshdMultistate(map[string]string{"yes": "yes", "delayed": "yes", "no": "no"})), true)
	spell(first("gatewayports", sshdMultistate(map[string]string{"clientspecified": "clientspecified", "yes": "yes", "no": "no"})), false)
	tcpfwd := map[string]string{"yes": "yes", "all": "yes", "no": "no", "remote": "remote", "local": "local"}
	spell(first("allowtcpforwarding", sshdMultistate(tcpfwd)), false)
	spell(first("allowstreamlocalforwarding", sshdMultistate(tcpfwd)), false)
	// PermitTunnel compares with strcmp: "Yes" is an error.
	spell(first("permittunnel", sshdExact("no", "point-to-point", "ethernet", "yes")), false)

	// Integers and times.
	for _, n := range []string{"x11displayoffset", "maxauthtries", "maxsessions", "clientalivecountmax", "requiredrsasize"} {
		spell(first(n, sshdParseInt), false)
	}
	spell(first("logingracetime", sshdParseTime), true)
	spell(first("clientaliveinterval", sshdParseTime), false)
	spell(def(&sshdKeyword{name: "unusedconnectiontimeout", merge: sshdCustom, parse: sshdParseUnusedTimeout,
		mergeFn: sshdMergeUnusedTimeout, finish: func(v any) (any, error) {
			if v == "0" {
				return "none", nil
			}
			return v, nil
		}}), false)
	spell(last("persourcemaxstartups", sshdParsePerSourceMaxStartups), true)
	spell(last("persourcenetblocksize", sshdParseNetBlockSize), true)
	spell(last("streamlocalbindmask", sshdParseBindMask), false)
	spell(last("fingerprinthash", sshdParseFingerprintHash), true)
	spell(last("ipqos", sshdParseIPQoS), false)
	maxStartups := def(&sshdKeyword{name: "maxstartups", merge: sshdCustom, parse: sshdParseMaxStartups,
		mergeFn: sshdMergeMaxStartups, finish: sshdFinishMaxStartups})
	spell(maxStartups, true)
	rekey := def(&sshdKeyword{name: "rekeylimit", merge: sshdCustom, parse: sshdParseRekeyLimit,
		mergeFn: sshdMergeRekeyLimit, finish: sshdFinishRekeyLimit})
	spell(rekey, false)

	// Log settings.
	spell(first("loglevel", sshdParseLogLevel), false)
	spell(first("syslogfacility", sshdParseLogFacility), true)
	spell(first("logverbose", sshdParseLogVerbose), false)

	// Paths. parse_filename derelativises against sshd's working directory
	// ("/" for a daemon) and expands "~"; "none" clears.
	for _, f := range []struct {
		name string
		g    bool
	}{{"pidfile", true}, {"modulifile", true}, {"xauthlocation", true}, {"banner", false},
		{"trustedusercakeys", false}, {"revokedkeys", false}} {
		spell(first(f.name, sshdParsePath), f.g)
	}
	spell(first("hostkeyagent", sshdParseHostKeyAgent), true)
	spell(first("securitykeyprovider", sshdParseSecurityKeyProvider), true)
	spell(first("authorizedprincipalsfile", sshdParsePrincipalsFile), false)
	spell(first("chrootdirectory", sshdParseNoneable), false)
	spell(first("authorizedkeyscommanduser", sshdParseWord), false)
	spell(first("authorizedprincipalscommanduser", sshdParseWord), false)
	spell(first("forcecommand", sshdParseForceCommand), false)
	spell(first("authorizedkeyscommand", sshdParseCommand), false)
	// servconf.c tests authorized_keys_command where it means
	// authorized_principals_command: the principals command is overwritten
	// by each line until an AuthorizedKeysCommand is set.
	spell(def(&sshdKeyword{name: "authorizedprincipalscommand", merge: sshdCustom, parse: sshdParseCommand,
		mergeFn: sshdMergePrincipalsCommand}), false)
	spell(first("versionaddendum", sshdParseVersionAddendum), true)
	spell(first("permituserenvironment", sshdParsePermitUserEnv), true)
	spell(first("pubkeyauthoptions", sshdParsePubkeyAuthOptions), false)
	spell(first("authorizedkeysfile", sshdParseAuthorizedKeysFile), false)
	spell(first("authenticationmethods", sshdParseAuthMethods), false)
	spell(first("channeltimeout", sshdParseChannelTimeout), false)
	spell(first("permitopen", sshdParsePermitOpen(false)), false)
	spell(first("permitlisten", sshdParsePermitOpen(true)), false)
	spell(first("gssapikexalgorithms", sshdParseGSSKex), true)

	// Algorithm lists.
	spell(algos("ciphers", sshdInList(sshdAllCiphers), sshdDefaultCiphers, sshdAllCiphers), true)
	spell(algos("macs", sshdInList(sshdAllMACs), sshdDefaultMACs, sshdAllMACs), true)
	spell(algos("kexalgorithms", sshdInList(sshdAllKex), sshdDefaultKex, sshdAllKex), true)
	spell(algos("hostkeyalgorithms", sshdKeyNamesValid, sshdDefaultKeyAlgs, sshdAllKeyAlgs), true)
	hb := algos("hostbasedacceptedalgorithms", sshdKeyNamesValid, sshdDefaultKeyAlgs, sshdAllKeyAlgs)
	spell(hb, false, "hostbasedacceptedalgorithms", "hostbasedacceptedkeytypes")
	pk := algos("pubkeyacceptedalgorithms", sshdKeyNamesValid, sshdDefaultKeyAlgs, sshdAllKeyAlgs)
	spell(pk, false, "pubkeyacceptedalgorithms", "pubkeyacceptedkeytypes")
	spell(algos("casignaturealgorithms", sshdKeyNamesValid, sshdDefaultSigAlgs, sshdAllSigAlgs), false)

	// Lists printed one value a line.
	spell(def(&sshdKeyword{name: "port", list: true, merge: sshdAppend, parse: sshdParsePort}), true)
	spell(def(&sshdKeyword{name: "listenaddress", list: true, merge: sshdCustom, parse: sshdParseListenAddress,
		mergeFn: sshdMergeListenAddress, finish: sshdFinishListenAddress}), true)
	spell(appendList("hostkey", sshdParseHostKey), true, "hostkey", "hostdsakey")
	spell(appendList("hostcertificate", sshdParseHostKey), true)
	spell(appendList("allowusers", sshdParseUsers), false)
	spell(appendList("denyusers", sshdParseUsers), false)
	spell(appendList("allowgroups", sshdParseGroups), false)
	spell(appendList("denygroups", sshdParseGroups), false)
	spell(appendList("acceptenv", sshdParseAcceptEnv), false)
	spell(def(&sshdKeyword{name: "setenv", list: true, merge: sshdFirst, parse: sshdParseSetEnv}), false)
	spell(def(&sshdKeyword{name: "subsystem", list: true, merge: sshdCustom, parse: sshdParseSubsystem,
		mergeFn: sshdMergeSubsystem, finish: sshdFinishSubsystem}), true)

	// Keywords the parser itself handles.
	sshdSpellings["match"] = sshdSpelling{matchOrIncl: "match"}
	sshdSpellings["include"] = sshdSpelling{matchOrIncl: "include"}
	// RDomain is a keyword, but Linux builds reject every use of it.
	sshdSpellings["rdomain"] = sshdSpelling{kw: &sshdKeyword{name: "rdomain", parse: func(l *sshdLine) (any, error) {
		return nil, l.errorf("RDomain is not supported on this platform")
	}}}

	ignore(true, "deprecated", "pamauthenticationviakbdint", "serverkeybits", "keyregenerationinterval",
		"rhostsauthentication", "checkmail", "uselogin", "verifyreversemapping", "reversemappingcheck",
		"useprivilegeseparation")
	ignore(false, "deprecated", "rhostsrsaauthentication", "rsaauthentication", "authorizedkeysfile2")
	ignore(true, "unsupported", "kerberosgetafstoken", "kerberostgtpassing", "afstokenpassing",
		"gssapiusesessioncredcache", "gssusesessionccache")
	ignore(true, "ignored", "protocol")

	for name := range sshdDefaults {
		if sshdKeywords[name] == nil {
			panic("sshd default without keyword: " + name)
		}
		sshdKeywords[name].matchable = !sshdSpellings[name].globalOnly
		if _, isList := sshdDefaults[name].([]string); isList != sshdKeywords[name].list {
			panic("sshd keyword printed once per value without a list default, or the reverse: " + name)
		}
	}
}

// sshdLine is one configuration line being parsed.
type sshdLine struct {
	p    *sshdParser
	loc  SSHDLocation
	kw   string   // the keyword as written, for messages
	args []string // the arguments, split and unquoted like argv_split
	rest string   // the text after the keyword, for keywords sshd takes verbatim
	// active: the line sets the global configuration (sshd's activep).
	active bool
}

func (l *sshdLine) errorf(format string, a ...any) error {
	return &SSHDConfigError{File: l.loc.File, Line: l.loc.Line, Msg: fmt.Sprintf(format, a...)}
}

// one returns the single argument of a keyword that takes exactly one.
func (l *sshdLine) one() (string, error) {
	switch {
	case len(l.args) == 0 || l.args[0] == "":
		return "", l.errorf("%s: missing argument", l.kw)
	case len(l.args) > 1:
		return "", l.errorf("%s: extra arguments at end of line", l.kw)
	}
	return l.args[0], nil
}

// sshdParseFlag parses yes/no keywords (multistate_flag).
var sshdParseFlag = sshdMultistate(map[string]string{"yes": "yes", "no": "no"})

// sshdMultistate parses parse_multistate keywords: case-insensitive names,
// printed as sshd's first name for the same value.
func sshdMultistate(states map[string]string) func(*sshdLine) (any, error) {
	return func(l *sshdLine) (any, error) {
		a, err := l.one()
		if err != nil {
			return nil, err
		}
		if v, ok := states[strings.ToLower(a)]; ok {
			return v, nil
		}
		return nil, l.errorf("%s: unsupported value %q", l.kw, a)
	}
}

// sshdExact parses keywords sshd compares case-sensitively.
func sshdExact(values ...string) func(*sshdLine) (any, error) {
	return func(l *sshdLine) (any, error) {
		a, err := l.one()
		if err != nil {
			return nil, err
		}
		for _, v := range values {
			if a == v {
				return v, nil
			}
		}
		return nil, l.errorf("%s: unsupported value %q", l.kw, a)
	}
}

// sshdStrtonum is OpenBSD's strtonum in base 10: optional leading white
// space and sign, nothing after the digits, within [min, max].
func sshdStrtonum(s string, min, max int64) (int64, error) {
	n, rest, ok := sshdStrtol(s, 10)
	switch {
	case !ok || rest != "":
		return 0, fmt.Errorf("invalid")
	case n < min:
		return 0, fmt.Errorf("too small")
	case n > max:
		return 0, fmt.Errorf("too large")
	}
	return n, nil
}

// sshdAtoi is atoi_err: a decimal integer from 0 to INT_MAX.
func sshdAtoi(s string) (int, error) {
	if s == "" {
		return 0, fmt.Errorf("missing")
	}
	n, err := sshdStrtonum(s, 0, 1<<31-1)
	return int(n), err
}

func sshdParseInt(l *sshdLine) (any, error) {
	a, err := l.one()
	if err != nil {
		return nil, err
	}
	n, err := sshdAtoi(a)
	if err != nil {
		return nil, l.errorf("%s: integer value %q %v", l.kw, a, err)
	}
	return strconv.Itoa(n), nil
}

// sshdConvtime is convtime: a sequence of NUMBER[smhdwSMHDW], in seconds,
// -1 when invalid or above INT_MAX.
func sshdConvtime(s string) int {
	if s == "" {
		return -1
	}
	total := int64(0)
	for s != "" {
		secs, rest, ok := sshdStrtol(s, 10)
		if !ok || secs < 0 {
			return -1
		}
		mult := int64(1)
		if rest != "" {
			switch rest[0] {
			case 's', 'S':
			case 'm', 'M':
				mult = 60
			case 'h', 'H':
				mult = 3600
			case 'd', 'D':
				mult = 86400
			case 'w', 'W':
				mult = 7 * 86400
			default:
				return -1
			}
			rest = rest[1:]
		}
		if secs > (1<<31-1)/mult {
			return -1
		}
		secs *= mult
		if total > 1<<31-1-secs {
			return -1
		}
		total += secs
		s = rest
	}
	return int(total)
}

// sshdStrtol is strtol: optional leading white space and sign, then digits
// in base (0 means C's prefix rules); it returns the value, the unparsed
// rest and whether any digit was read. Values saturate at int64 limits.
func sshdStrtol(s string, base int) (int64, string, bool) {
	i := 0
	for i < len(s) && strings.IndexByte(" \t\n\v\f\r", s[i]) >= 0 {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	if base == 0 {
		switch {
		case i+1 < len(s) && s[i] == '0' && (s[i+1] == 'x' || s[i+1] == 'X') && i+2 < len(s) && sshdDigit(s[i+2], 16) >= 0:
			base, i = 16, i+2
		case i < len(s) && s[i] == '0':
			base = 8
		default:
			base = 10
		}
	} else if base == 16 && i+2 < len(s) && s[i] == '0' && (s[i+1] == 'x' || s[i+1] == 'X') && sshdDigit(s[i+2], 16) >= 0 {
		i += 2
	}
	start := i
	var n int64
	over := false
	for i < len(s) {
		d := sshdDigit(s[i], base)
		if d < 0 {
			break
		}
		if n > (1<<63-1-int64(d))/int64(base) {
			over = true
		} else {
			n = n*int64(base) + int64(d)
		}
		i++
	}
	if i == start {
		return 0, s, false
	}
	if over {
		n = 1<<63 - 1
	}
	if neg {
		n = -n
		if over {
			n = -1 << 63
		}
	}
	return n, s[i:], true
}

func sshdDigit(c byte, base int) int {
	d := -1
	switch {
	case c >= '0' && c <= '9':
		d = int(c - '0')
	case c >= 'a' && c <= 'z':
		d = int(c-'a') + 10
	case c >= 'A' && c <= 'Z':
		d = int(c-'A') + 10
	}
	if d >= base {
		return -1
	}
	return d
}

func sshdParseTime(l *sshdLine) (any, error) {
	a, err := l.one()
	if err != nil {
		return nil, err
	}
	v := sshdConvtime(a)
	if v < 0 {
		return nil, l.errorf("%s: invalid time value %q", l.kw, a)
	}
	return strconv.Itoa(v), nil
}

// sshdParseUnusedTimeout keeps "none" apart from a time of 0 because they
// merge differently; both mean no timeout and print as "none".
func sshdParseUnusedTimeout(l *sshdLine) (any, error) {
	if len(l.args) > 0 && strings.EqualFold(l.args[0], "none") {
		if len(l.args) > 1 {
			return nil, l.errorf("%s: extra arguments at end of line", l.kw)
		}
		return "none", nil
	}
	return sshdParseTime(l)
}

// sshdMergeUnusedTimeout: a time is "first wins", but sshd sets "none"
// without checking whether a value is already set.
func sshdMergeUnusedTimeout(sc *sshdScope, v any, loc SSHDLocation) error {
	if _, set := sc.values["unusedconnectiontimeout"]; !set || v == "none" {
		sc.values["unusedconnectiontimeout"] = v
		sc.sources["unusedconnectiontimeout"] = loc
	}
	return nil
}

func sshdParsePerSourceMaxStartups(l *sshdLine) (any, error) {
	a, err := l.one()
	if err != nil {
		return nil, err
	}
	if a == "none" {
		return "none", nil
	}
	n, err := sshdAtoi(a)
	if err != nil {
		return nil, l.errorf("%s: integer value %q %v", l.kw, a, err)
	}
	return strconv.Itoa(n), nil
}

// sshdScanInts is sscanf with a "%d:%d:..." format: it returns the integers
// converted before the first mismatch, ignoring whatever follows.
func sshdScanInts(s string, max int) []int {
	var out []int
	for len(out) < max {
		if len(out) > 0 {
			if !strings.HasPrefix(s, ":") {
				break
			}
			s = s[1:]
		}
		n, rest, ok := sshdStrtol(s, 10)
		if !ok {
			break
		}
		if n > 1<<31-1 {
			n = -1 // sscanf's overflow is undefined; any out-of-range value is rejected below
		}
		out = append(out, int(n))
		s = rest
	}
	return out
}

func sshdParseNetBlockSize(l *sshdLine) (any, error) {
	a, err := l.one()
	if err != nil {
		return nil, err
	}
	n := sshdScanInts(a, 2)
	// With one number sshd leaves the IPv6 length at whatever its local
	// variable held, which is 0 in practice (and what sshd -T shows).
	v4, v6 := 0, 0
	ok := len(n) > 0
	if ok {
		v4 = n[0]
		ok = v4 >= 0 && v4 <= 32
	}
	if len(n) == 2 {
		v6 = n[1]
		ok = ok && v6 >= 0 && v6 <= 128
	}
	if !ok {
		return nil, l.errorf("%s: invalid spec %q", l.kw, a)
	}
	return fmt.Sprintf("%d:%d", v4, v6), nil
}

func sshdParseBindMask(l *sshdLine) (any, error) {
	a, err := l.one()
	if err != nil {
		return nil, err
	}
	v, _, ok := sshdStrtol(a, 8)
	if !ok || v < 0 || v > 0o777 {
		return nil, l.errorf("%s: invalid mask %q", l.kw, a)
	}
	return fmt.Sprintf("0%o", v), nil
}

func sshdParseFingerprintHash(l *sshdLine) (any, error) {
	a, err := l.one()
	if err != nil {
		return nil, err
	}
	for _, h := range []string{"MD5", "SHA1", "SHA256", "SHA384", "SHA512"} {
		if strings.EqualFold(a, h) {
			return h, nil
		}
	}
	return nil, l.errorf("%s: invalid algorithm %q", l.kw, a)
}

// sshdIPQoS is misc.c's ipqos table in its order: names print as the first
// entry with the same value.
var sshdIPQoS = []struct {
	name  string
	value int
}{
	{"none", 1<<31 - 1}, {"af11", 0x28}, {"af12", 0x30}, {"af13", 0x38}, {"af21", 0x48}, {"af22", 0x50},
	{"af23", 0x58}, {"af31", 0x68}, {"af32", 0x70}, {"af33", 0x78}, {"af41", 0x88}, {"af42", 0x90},
	{"af43", 0x98}, {"cs0", 0x00}, {"cs1", 0x20}, {"cs2", 0x40}, {"cs3", 0x60}, {"cs4", 0x80},
	{"cs5", 0xa0}, {"cs6", 0xc0}, {"cs7", 0xe0}, {"ef", 0xb8}, {"le", 0x04}, {"lowdelay", 0x10},
	{"throughput", 0x08}, {"reliability", 0x04},
}

func sshdParseIPQoSValue(s string) (int, bool) {
	for _, q := range sshdIPQoS {
		if strings.EqualFold(s, q.name) {
			return q.value, true
		}
	}
	v, rest, ok := sshdStrtol(s, 0)
	if !ok || rest != "" || v < 0 || v > 255 {
		return 0, false
	}
	return int(v), true
}

func sshdIPQoSName(v int) string {
	for _, q := range sshdIPQoS {
		if q.value == v {
			return q.name
		}
	}
	return fmt.Sprintf("0x%02x", v)
}

func sshdParseIPQoS(l *sshdLine) (any, error) {
	if len(l.args) == 0 || l.args[0] == "" {
		return nil, l.errorf("%s: missing argument", l.kw)
	}
	if len(l.args) > 2 {
		return nil, l.errorf("%s: extra arguments at end of line", l.kw)
	}
	inter, ok := sshdParseIPQoSValue(l.args[0])
	if !ok {
		return nil, l.errorf("%s: bad value %q", l.kw, l.args[0])
	}
	bulk := inter
	if len(l.args) == 2 {
		if bulk, ok = sshdParseIPQoSValue(l.args[1]); !ok {
			return nil, l.errorf("%s: bad value %q", l.kw, l.args[1])
		}
	}
	return sshdIPQoSName(inter) + " " + sshdIPQoSName(bulk), nil
}

// sshdMaxStartups is one MaxStartups line: sshd writes each number sscanf
// converted straight into its options, so a later "MaxStartups 5" keeps an
// earlier rate.
type sshdMaxStartups struct {
	begin, rate, max int
	hasRate          bool
}

func sshdParseMaxStartups(l *sshdLine) (any, error) {
	a, err := l.one()
	if err != nil {
		return nil, err
	}
	n := sshdScanInts(a, 3)
	var m sshdMaxStartups
	switch len(n) {
	case 3:
		m = sshdMaxStartups{begin: n[0], rate: n[1], max: n[2], hasRate: true}
		if m.begin > m.max || m.rate > 100 || m.rate < 1 {
			return nil, l.errorf("%s: invalid spec %q", l.kw, a)
		}
	case 1:
		m = sshdMaxStartups{begin: n[0], max: n[0]}
	default:
		return nil, l.errorf("%s: invalid spec %q", l.kw, a)
	}
	if m.max <= 0 || m.begin <= 0 {
		return nil, l.errorf("%s: invalid spec %q", l.kw, a)
	}
	return m, nil
}

func sshdMergeMaxStartups(sc *sshdScope, v any, loc SSHDLocation) error {
	m := v.(sshdMaxStartups)
	if old, ok := sc.values["maxstartups"].(sshdMaxStartups); ok && !m.hasRate {
		m.rate, m.hasRate = old.rate, old.hasRate
	}
	sc.values["maxstartups"] = m
	sc.sources["maxstartups"] = loc
	return nil
}

func sshdFinishMaxStartups(v any) (any, error) {
	m := v.(sshdMaxStartups)
	if !m.hasRate {
		m.rate = 30
	}
	return fmt.Sprintf("%d:%d:%d", m.begin, m.rate, m.max), nil
}

// sshdScanScaled is scan_scaled from OpenBSD's fmt_scaled.c: a decimal
// number with an optional fraction and a B/K/M/G/T/P/E (binary) suffix.
func sshdScanScaled(s string) (int64, bool) {
	s = strings.TrimLeft(s, " \t\n\v\f\r")
	sign := int64(1)
	if s != "" && (s[0] == '+' || s[0] == '-') {
		if s[0] == '-' {
			sign = -1
		}
		s = s[1:]
		if s != "" && (s[0] == '+' || s[0] == '-') {
			return 0, false
		}
	}
	var whole, fpart int64
	fract := 0
	ndigits := 0
	i := 0
	for ; i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.'); i++ {
		if s[i] == '.' {
			if fract > 0 {
				return 0, false
			}
			fract = 1
			continue
		}
		d := int64(s[i] - '0')
		if fract > 0 {
			if fract >= 20-1 {
				continue
			}
			fract++
			fpart = fpart*10 + d
			continue
		}
		ndigits++
		if ndigits >= 20 || whole > (1<<63-1-d)/10 {
			return 0, false
		}
		whole = whole*10 + d
	}
	whole *= sign
	if i == len(s) {
		return whole, true
	}
	idx := strings.IndexByte("BKMGTPE", s[i])
	if idx < 0 {
		idx = strings.IndexByte("bkmgtpe", s[i])
	}
	if idx < 0 {
		return 0, false
	}
	// Alphanumerics after the unit are an error; anything else is ignored.
	if i+1 < len(s) && sshdIsAlnum(s[i+1]) {
		return 0, false
	}
	scale := int64(1) << (10 * idx)
	if whole > (1<<63-1)/scale || whole < -(1<<63-1)/scale {
		return 0, false
	}
	whole *= scale
	for fpart >= (1<<63-1)/scale {
		fpart /= 10
		fract--
	}
	fpart *= scale
	for j := 0; j < fract-1; j++ {
		fpart /= 10
	}
	if sign < 0 {
		whole -= fpart
	} else {
		whole += fpart
	}
	return whole, true
}

func sshdIsAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// sshdParseRekeyLimit returns the line as "LIMIT" or "LIMIT INTERVAL" in
// bytes and seconds: a string, because Match block lines are kept in the
// facts (SSHDFacts.MatchLines) and must survive JSON. Without an interval
// ("RekeyLimit 1G", "RekeyLimit 1G none") the line leaves the interval to
// whatever else sets it, which is why the two forms are kept apart.
func sshdParseRekeyLimit(l *sshdLine) (any, error) {
	if len(l.args) == 0 || l.args[0] == "" {
		return nil, l.errorf("%s: missing argument", l.kw)
	}
	if len(l.args) > 2 {
		return nil, l.errorf("%s: extra arguments at end of line", l.kw)
	}
	var limit int64
	if l.args[0] != "default" {
		v, ok := sshdScanScaled(l.args[0])
		if !ok {
			return nil, l.errorf("%s: bad number %q", l.kw, l.args[0])
		}
		if v != 0 && v < 16 {
			return nil, l.errorf("%s: %q is too small", l.kw, l.args[0])
		}
		limit = v
	}
	out := strconv.FormatInt(limit, 10)
	if len(l.args) == 2 && l.args[1] != "none" {
		t := sshdConvtime(l.args[1])
		if t < 0 {
			return nil, l.errorf("%s: invalid time value %q", l.kw, l.args[1])
		}
		out += " " + strconv.Itoa(t)
	}
	return out, nil
}

// sshdRekeyState is the merged RekeyLimit of a scope: sshd keeps the limit
// and the interval in two options, each "first wins" on its own.
type sshdRekeyState struct {
	limit    int64
	interval int
	hasIntv  bool
}

// sshdParseRekeyValue reads the "LIMIT [INTERVAL]" form of
// sshdParseRekeyLimit.
func sshdParseRekeyValue(s string) (sshdRekeyState, bool) {
	lim, intv, hasIntv := strings.Cut(s, " ")
	var r sshdRekeyState
	var err error
	if r.limit, err = strconv.ParseInt(lim, 10, 64); err != nil || r.limit < 0 {
		return r, false
	}
	if hasIntv {
		if r.interval, err = strconv.Atoi(intv); err != nil || r.interval < 0 {
			return r, false
		}
		r.hasIntv = true
	}
	return r, true
}

func sshdMergeRekeyLimit(sc *sshdScope, v any, loc SSHDLocation) error {
	r, ok := sshdParseRekeyValue(v.(string))
	if !ok {
		return &SSHDConfigError{File: loc.File, Line: loc.Line, Msg: fmt.Sprintf("RekeyLimit: bad value %q", v)}
	}
	old, set := sc.values["rekeylimit"].(sshdRekeyState)
	if !set {
		sc.values["rekeylimit"] = r
		sc.sources["rekeylimit"] = loc
		return nil
	}
	if !old.hasIntv && r.hasIntv {
		old.interval, old.hasIntv = r.interval, true
		sc.values["rekeylimit"] = old
	}
	return nil
}

// sshdFinishRekeyLimit prints "LIMIT INTERVAL"; an interval the scope does
// not set is sshd's default, 0.
func sshdFinishRekeyLimit(v any) (any, error) {
	r := v.(sshdRekeyState)
	return fmt.Sprintf("%d %d", r.limit, r.interval), nil
}

var sshdLogLevels = []struct{ name, canon string }{
	{"QUIET", "QUIET"}, {"FATAL", "FATAL"}, {"ERROR", "ERROR"}, {"INFO", "INFO"}, {"VERBOSE", "VERBOSE"},
	{"DEBUG", "DEBUG"}, {"DEBUG1", "DEBUG"}, {"DEBUG2", "DEBUG2"}, {"DEBUG3", "DEBUG3"},
}

func sshdParseLogLevel(l *sshdLine) (any, error) {
	a, err := l.one()
	if err != nil {
		return nil, err
	}
	for _, lv := range sshdLogLevels {
		if strings.EqualFold(a, lv.name) {
			return lv.canon, nil
		}
	}
	return nil, l.errorf("%s: unsupported log level %q", l.kw, a)
}

func sshdParseLogFacility(l *sshdLine) (any, error) {
	a, err := l.one()
	if err != nil {
		return nil, err
	}
	for _, f := range []string{"DAEMON", "USER", "AUTH", "AUTHPRIV", "LOCAL0", "LOCAL1", "LOCAL2",
		"LOCAL3", "LOCAL4", "LOCAL5", "LOCAL6", "LOCAL7"} {
		if strings.EqualFold(a, f) {
			return f, nil
		}
	}
	return nil, l.errorf("%s: unsupported log facility %q", l.kw, a)
}

// sshdNoneAlone checks the arguments of keywords where "none" is only
// allowed alone; it returns the one-line value.
func sshdNoneAlone(l *sshdLine) (string, error) {
	if len(l.args) == 0 {
		return "", l.errorf("%s: missing argument", l.kw)
	}
	for i, a := range l.args {
		if a == "" {
			return "", l.errorf("%s: empty argument", l.kw)
		}
		if strings.EqualFold(a, "none") && (i > 0 || len(l.args) > 1) {
			return "", l.errorf("%s: \"none\" must appear alone", l.kw)
		}
	}
	return strings.Join(l.args, " "), nil
}

func sshdParseLogVerbose(l *sshdLine) (any, error) {
	if len(l.args) == 0 {
		return nil, nil // "LogVerbose # comment" sets nothing
	}
	return sshdNoneAlone(l)
}

func sshdParseChannelTimeout(l *sshdLine) (any, error) {
	if len(l.args) == 0 {
		return nil, nil
	}
	v, err := sshdNoneAlone(l)
	if err != nil {
		return nil, err
	}
	for _, a := range l.args {
		if strings.EqualFold(a, "none") {
			continue
		}
		typ, intv, ok := strings.Cut(a, "=")
		if !ok || typ == "" || sshdConvtime(intv) < 0 {
			return nil, l.errorf("%s: invalid channel timeout %q", l.kw, a)
		}
	}
	return v, nil
}

// sshdDerelativise is derelativise_path with sshd's working directory, "/"
// for a daemon: "none" stays, "~" expands, relative paths get "/" + "/"
// prepended exactly as sshd's "%s/%s" does.
func (l *sshdLine) derelativise(p string) (string, error) {
	if strings.EqualFold(p, "none") {
		return "none", nil
	}
	p, err := l.tilde(p)
	if err != nil {
		return "", err
	}
	if strings.HasPrefix(p, "/") {
		return p, nil
	}
	return "//" + p, nil
}

// tilde is tilde_expand_filename for uid 0 (sshd parses its configuration
// as root), looking users up in the scanned root's /etc/passwd.
func (l *sshdLine) tilde(p string) (string, error) {
	if !strings.HasPrefix(p, "~") {
		return p, nil
	}
	rest := p[1:]
	var user, tail string
	switch {
	case rest == "":
	case rest[0] == '/':
		tail = strings.TrimLeft(rest, "/")
	default:
		user, tail, _ = strings.Cut(rest, "/")
		tail = strings.TrimLeft(tail, "/")
	}
	home, err := l.p.home(user)
	if err != nil {
		return "", l.errorf("%s: cannot expand %q: %v", l.kw, p, err)
	}
	if !strings.HasSuffix(home, "/") {
		home += "/"
	}
	return home + tail, nil
}

func sshdParsePath(l *sshdLine) (any, error) {
	a, err := l.one()
	if err != nil {
		return nil, err
	}
	return l.derelativise(a)
}

func sshdParseHostKey(l *sshdLine) (any, error) {
	a, err := l.one()
	if err != nil {
		return nil, err
	}
	p, err := l.derelativise(a)
	if err != nil {
		return nil, err
	}
	return []string{p}, nil
}

func sshdParseHostKeyAgent(l *sshdLine) (any, error) {
	a, err := l.one()
	if err != nil {
		return nil, err
	}
	if a == "SSH_AUTH_SOCK" {
		return a, nil
	}
	return l.derelativise(a)
}

func sshdParseSecurityKeyProvider(l *sshdLine) (any, error) {
	a, err := l.one()
	if err != nil {
		return nil, err
	}
	if strings.EqualFold(a, "internal") {
		return a, nil
	}
	return l.derelativise(a)
}

func sshdParsePrincipalsFile(l *sshdLine) (any, error) {
	a, err := l.one()
	if err != nil {
		return nil, err
	}
	if strings.EqualFold(a, "none") {
		return "none", nil
	}
	return l.tilde(a)
}

// sshdParseNoneable takes one word, "none" (any case) clearing it.
func sshdParseNoneable(l *sshdLine) (any, error) {
	a, err := l.one()
	if err != nil {
		return nil, err
	}
	if strings.EqualFold(a, "none") {
		return "none", nil
	}
	return a, nil
}

func sshdParseWord(l *sshdLine) (any, error) {
	return l.one()
}

// sshdParseForceCommand keeps the rest of the line verbatim, quotes and
// trailing comments included, as sshd does.
func sshdParseForceCommand(l *sshdLine) (any, error) {
	if l.rest == "" {
		return nil, l.errorf("%s: missing argument", l.kw)
	}
	if strings.EqualFold(l.rest, "none") {
		return "none", nil
	}
	return l.rest, nil
}

func sshdParseCommand(l *sshdLine) (any, error) {
	if !strings.HasPrefix(l.rest, "/") && !strings.EqualFold(l.rest, "none") {
		return nil, l.errorf("%s must be an absolute path", l.kw)
	}
	return l.rest, nil
}

func sshdMergePrincipalsCommand(sc *sshdScope, v any, loc SSHDLocation) error {
	if _, set := sc.values["authorizedkeyscommand"]; set {
		return nil
	}
	sc.values["authorizedprincipalscommand"] = v
	sc.sources["authorizedprincipalscommand"] = loc
	return nil
}

func sshdParseVersionAddendum(l *sshdLine) (any, error) {
	if l.rest == "" {
		return nil, l.errorf("%s: missing argument", l.kw)
	}
	if strings.ContainsRune(l.rest, '\r') {
		return nil, l.errorf("%s: invalid argument", l.kw)
	}
	if strings.EqualFold(l.rest, "none") {
		return "none", nil
	}
	return l.rest, nil
}

func sshdParsePermitUserEnv(l *sshdLine) (any, error) {
	// "yes" and "no" are compared case-sensitively; anything else is a
	// pattern list of variable names.
	return l.one()
}

func sshdParsePubkeyAuthOptions(l *sshdLine) (any, error) {
	touch, verify := false, false
	for _, a := range l.args {
		switch strings.ToLower(a) {
		case "none":
		case "touch-required":
			touch = true
		case "verify-required":
			verify = true
		default:
			return nil, l.errorf("%s: unsupported option %q", l.kw, a)
		}
	}
	var out []string
	if touch {
		out = append(out, "touch-required")
	}
	if verify {
		out = append(out, "verify-required")
	}
	if len(out) == 0 {
		return "none", nil
	}
	return strings.Join(out, " "), nil
}

func sshdParseAuthorizedKeysFile(l *sshdLine) (any, error) {
	if len(l.args) == 0 {
		return nil, nil
	}
	out := make([]string, 0, len(l.args))
	for _, a := range l.args {
		if a == "" {
			return nil, l.errorf("%s: empty argument", l.kw)
		}
		p, err := l.tilde(a)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return strings.Join(out, " "), nil
}

// sshdAuthMethods are the methods of auth2.c's table; gssapi-keyex comes
// from Debian's GSSAPI patch.
var sshdAuthMethods = map[string]bool{
	"none": true, "publickey": true, "gssapi-with-mic": true, "gssapi-keyex": true,
	"password": true, "keyboard-interactive": true, "hostbased": true,
}

func sshdParseAuthMethods(l *sshdLine) (any, error) {
	if len(l.args) == 0 {
		return nil, l.errorf("%s: no methods specified", l.kw)
	}
	sawAny := false
	for i, a := range l.args {
		if a == "any" {
			// sshd counts the methods already in the global options,
			// those of earlier lines and, when the line applies, of this
			// one: so a Match block's "any" after a global setting is
			// fatal, "publickey any" only where the line is active.
			if _, set := l.p.global.values["authenticationmethods"]; set || i > 0 && l.active {
				return nil, l.errorf("%s: \"any\" must appear alone", l.kw)
			}
			sawAny = true
			continue
		}
		if sawAny {
			return nil, l.errorf("%s: \"any\" must appear alone", l.kw)
		}
		if a == "" {
			return nil, l.errorf("%s: empty authentication method list", l.kw)
		}
		for _, m := range strings.Split(a, ",") {
			name, _, _ := strings.Cut(m, ":")
			if !sshdAuthMethods[name] {
				return nil, l.errorf("%s: unknown authentication method %q", l.kw, name)
			}
		}
	}
	return strings.Join(l.args, " "), nil
}

func sshdParsePermitOpen(listen bool) func(*sshdLine) (any, error) {
	return func(l *sshdLine) (any, error) {
		if len(l.args) == 0 || l.args[0] == "" {
			return nil, l.errorf("%s: missing argument", l.kw)
		}
		if l.args[0] == "any" || l.args[0] == "none" {
			if len(l.args) > 1 {
				return nil, l.errorf("%s: extra arguments at end of line", l.kw)
			}
			return l.args[0], nil
		}
		out := make([]string, 0, len(l.args))
		for i, a := range l.args {
			if a == "" {
				// sshd stops at an empty argument; any after it are extra.
				if i < len(l.args)-1 {
					return nil, l.errorf("%s: extra arguments at end of line", l.kw)
				}
				break
			}
			var port string
			if listen && !strings.Contains(a, ":") {
				port = a
				a = "*:" + a
			} else {
				_, rest, ok := sshdHPDelim(a)
				if !ok {
					return nil, l.errorf("%s: missing host in %q", l.kw, a)
				}
				if rest == nil {
					return nil, l.errorf("%s: bad port number in %q", l.kw, a)
				}
				port = *rest
			}
			if port != "*" {
				if n, ok := l.p.a2port(port); !ok || n <= 0 {
					return nil, l.errorf("%s: bad port number in %q", l.kw, a)
				}
			}
			out = append(out, a)
		}
		return strings.Join(out, " "), nil
	}
}

func sshdParseGSSKex(l *sshdLine) (any, error) {
	a, err := l.one()
	if err != nil {
		return nil, err
	}
	// GSSAPI key exchange names are a known prefix followed by a hash of
	// the mechanism, so Debian's patch only checks the prefix.
	for _, n := range strings.Split(a, ",") {
		if n == "" {
			break
		}
		known := false
		for _, prefix := range strings.Split(sshdAllGSSKex, ",") {
			known = known || strings.HasPrefix(n, prefix)
		}
		if !known {
			return nil, l.errorf("%s: unsupported algorithm %q", l.kw, n)
		}
	}
	return a, nil
}

// sshdListHas reports whether the comma-separated list holds name.
func sshdListHas(list, name string) bool {
	for _, n := range strings.Split(list, ",") {
		if n == name {
			return true
		}
	}
	return false
}

// sshdInList validates cipher, MAC and KEX names: every name (up to the
// first empty one, as strsep loops do) must be supported, no patterns.
func sshdInList(all string) func(string) bool {
	return func(names string) bool {
		if names == "" {
			return false
		}
		for _, n := range strings.Split(names, ",") {
			if n == "" {
				break
			}
			if !sshdListHas(all, n) {
				return false
			}
		}
		return true
	}
}

// sshdKeyNamesValid is sshkey_names_valid2 with wildcards allowed: a name
// must be a key type, or a pattern some key type matches (positively or
// negatively).
func sshdKeyNamesValid(names string) bool {
	if names == "" {
		return false
	}
	for _, n := range strings.Split(names, ",") {
		if n == "" {
			break
		}
		if sshdListHas(sshdAllKeyAlgs, n) {
			continue
		}
		ok := false
		for _, k := range strings.Split(sshdAllKeyAlgs, ",") {
			if sshdMatchPatternList(k, n, false) != 0 {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// sshdParseAlgos validates an algorithm list; "-" lists are not validated
// (sshd only filters the defaults with them). Expansion happens in finish.
func sshdParseAlgos(valid func(string) bool) func(*sshdLine) (any, error) {
	return func(l *sshdLine) (any, error) {
		a, err := l.one()
		if err != nil {
			return nil, err
		}
		names := a
		if strings.HasPrefix(a, "+") || strings.HasPrefix(a, "^") {
			names = a[1:]
		}
		if !strings.HasPrefix(a, "-") && !valid(names) {
			return nil, l.errorf("%s: bad algorithm list %q", l.kw, a)
		}
		return a, nil
	}
}

// sshdNamesCat is kex_names_cat: a followed by the names of b not in a.
func sshdNamesCat(a, b string) string {
	if a == "" {
		return b
	}
	if b == "" {
		return a
	}
	out := a
	for _, n := range strings.Split(b, ",") {
		if n == "" {
			break
		}
		if sshdListHas(out, n) {
			continue
		}
		out += "," + n
	}
	return out
}

// sshdFilterList is filter_list: the names of list that match (allow) or
// do not match (deny) the pattern list.
func sshdFilterList(list, patterns string, deny bool) string {
	var out []string
	for _, n := range strings.Split(list, ",") {
		r := sshdMatchPatternList(n, patterns, false)
		if deny && r != 1 || !deny && r == 1 {
			out = append(out, n)
		}
	}
	return strings.Join(out, ",")
}

// sshdAssemble is kex_assemble_names: it expands a configured algorithm
// list against the defaults and what the build supports.
func sshdAssemble(list, def, all string) (string, error) {
	switch {
	case list == "":
		return def, nil
	case list[0] == '-':
		// Removing everything leaves an empty list, which sshd assembles
		// again (for each connection, and for sshd -T) into the defaults.
		if l := sshdFilterList(def, list[1:], true); l != "" {
			return l, nil
		}
		return def, nil
	case list[0] == '+':
		list = sshdNamesCat(def, list[1:])
	case list[0] == '^':
		list = sshdNamesCat(list[1:], def)
	}
	ret := ""
	for _, p := range strings.Split(list, ",") {
		if strings.HasPrefix(p, "!") {
			return "", fmt.Errorf("negated algorithm %q not allowed", p)
		}
		ret = sshdNamesCat(ret, sshdFilterList(all, p, false))
	}
	if ret == "" {
		return "", fmt.Errorf("no supported algorithm in %q", list)
	}
	return ret, nil
}

// sshdMatchPattern is match.c's match_pattern: "*" matches any run of
// bytes, "?" any one byte. It accepts the same strings as the C function
// but runs in O(len(s)*len(pat)) instead of backtracking exponentially, so
// that a hostile pattern such as "*a*a*a*a*a*b" cannot stall a scan.
func sshdMatchPattern(s, pat string) bool {
	si, pi := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		switch {
		case pi < len(pat) && pat[pi] == '*':
			star, mark = pi, si
			pi++
		case pi < len(pat) && (pat[pi] == '?' || pat[pi] == s[si]):
			si++
			pi++
		case star >= 0:
			// Let the last "*" swallow one more byte and retry.
			mark++
			si, pi = mark, star+1
		default:
			return false
		}
	}
	for pi < len(pat) && pat[pi] == '*' {
		pi++
	}
	return pi == len(pat)
}

// sshdMatchPatternList is match.c's match_pattern_list: 1 for a positive
// match, -1 for a negated one, 0 for none. Like the C code it walks the list
// by hand rather than splitting it: a trailing comma adds no empty pattern,
// a sub-pattern of 1023 bytes or more fails the whole list, and lower
// lowercases the patterns (not the string).
func sshdMatchPatternList(s, patterns string, lower bool) int {
	got := 0
	for i := 0; i < len(patterns); {
		neg := patterns[i] == '!'
		if neg {
			i++
		}
		j := i
		for j < len(patterns) && patterns[j] != ',' {
			j++
		}
		sub := patterns[i:j]
		if len(sub) >= 1023 {
			return 0
		}
		if j < len(patterns) {
			j++ // the comma
		}
		i = j
		if lower {
			sub = sshdLowerASCII(sub)
		}
		if sshdMatchPattern(s, sub) {
			if neg {
				return -1
			}
			got = 1
		}
	}
	return got
}

// sshdLowerASCII is tolower(3) in the C locale, byte by byte.
func sshdLowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for k := i; k < len(b); k++ {
				if b[k] >= 'A' && b[k] <= 'Z' {
					b[k] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// sshdHPDelim is hpdelim: it splits "host:port" or "[host]:port" at the
// colon. rest is nil when there is no port part; ok is false for a "/"
// delimiter or an unterminated bracket.
func sshdHPDelim(s string) (host string, rest *string, ok bool) {
	i := 0
	if strings.HasPrefix(s, "[") {
		j := strings.IndexByte(s, ']')
		if j < 0 {
			return "", nil, false
		}
		i = j + 1
	} else if j := strings.IndexAny(s, ":/"); j >= 0 {
		i = j
	} else {
		i = len(s)
	}
	if i == len(s) {
		return s, nil, true
	}
	switch s[i] {
	case ':':
		r := s[i+1:]
		return s[:i], &r, true
	default: // '/' or text after "]"
		return "", nil, false
	}
}

// sshdCleanHost is cleanhostname: it strips the brackets of "[addr]".
func sshdCleanHost(h string) string {
	if len(h) >= 2 && h[0] == '[' && h[len(h)-1] == ']' {
		return h[1 : len(h)-1]
	}
	return h
}

func sshdParsePort(l *sshdLine) (any, error) {
	a, err := l.one()
	if err != nil {
		return nil, err
	}
	n, ok := l.p.a2port(a)
	if !ok || n <= 0 {
		return nil, l.errorf("%s: bad port number %q", l.kw, a)
	}
	return []string{strconv.Itoa(n)}, nil
}

// sshdListen is one ListenAddress line, resolved against Port and
// AddressFamily once the whole configuration is read.
type sshdListen struct {
	addr    string
	port    int // 0: every Port
	rdomain string
}

func sshdParseListenAddress(l *sshdLine) (any, error) {
	if len(l.args) == 0 || l.args[0] == "" {
		return nil, l.errorf("%s: missing address", l.kw)
	}
	a := l.args[0]
	var la sshdListen
	if i := strings.IndexByte(a, ':'); !strings.Contains(a, "[") && i >= 0 && strings.IndexByte(a[i+1:], ':') >= 0 {
		la.addr = a // a bare IPv6 address
	} else {
		host, rest, ok := sshdHPDelim(a)
		if !ok {
			return nil, l.errorf("%s: bad address:port usage %q", l.kw, a)
		}
		la.addr = sshdCleanHost(host)
		if rest != nil {
			n, ok := l.p.a2port(*rest)
			if !ok || n <= 0 {
				return nil, l.errorf("%s: bad port number %q", l.kw, a)
			}
			la.port = n
		}
	}
	switch {
	case len(l.args) == 1:
	case len(l.args) == 3 && l.args[1] == "rdomain" && l.args[2] != "":
		la.rdomain = l.args[2]
	default:
		return nil, l.errorf("%s: bad ListenAddress syntax", l.kw)
	}
	if _, err := sshdFormatAddr(la.addr, "any"); err != nil {
		return nil, l.errorf("%s: %v", l.kw, err)
	}
	return la, nil
}

type sshdListenState struct {
	entries []sshdListen
	locs    []SSHDLocation
}

func sshdMergeListenAddress(sc *sshdScope, v any, loc SSHDLocation) error {
	st, _ := sc.values["listenaddress"].(*sshdListenState)
	if st == nil {
		st = &sshdListenState{}
		sc.values["listenaddress"] = st
		sc.sources["listenaddress"] = loc
	}
	st.entries = append(st.entries, v.(sshdListen))
	st.locs = append(st.locs, loc)
	return nil
}

// sshdFinishListenAddress renders ListenAddress lines as written (for Match
// blocks, where sshd never resolves them); the global configuration is
// derived by sshdParser.listenAddresses instead.
func sshdFinishListenAddress(v any) (any, error) {
	st := v.(*sshdListenState)
	out := make([]string, 0, len(st.entries))
	for _, e := range st.entries {
		s := e.addr
		if strings.Contains(s, ":") {
			s = "[" + s + "]"
		}
		if e.port > 0 {
			s += ":" + strconv.Itoa(e.port)
		}
		if e.rdomain != "" {
			s += " rdomain " + e.rdomain
		}
		out = append(out, s)
	}
	return out, nil
}

// sshdFormatAddr formats a numeric address as getnameinfo(NI_NUMERICHOST)
// does, checking it against the address family. Host names are kept as
// written: resolving them would ask the scanning host's resolver about a
// root it does not describe.
func sshdFormatAddr(addr, family string) (string, error) {
	if v4, ok := sshdInetAton(addr); ok {
		if family == "inet6" {
			return "", fmt.Errorf("bad addr %q: address family not supported", addr)
		}
		return v4.String(), nil
	}
	if strings.Contains(addr, ":") {
		a, err := netip.ParseAddr(addr)
		if err != nil || !a.Is6() {
			return "", fmt.Errorf("bad addr or host %q", addr)
		}
		if a, err = sshdScopeID(a); err != nil {
			return "", fmt.Errorf("bad addr or host %q", addr)
		}
		if family == "inet" {
			return "", fmt.Errorf("bad addr %q: address family not supported", addr)
		}
		return "[" + sshdInetNtop6(a) + "]", nil
	}
	// Leave the rest to a resolver only if a resolver could find it: a
	// host name is letters, digits, "-", "_" and dots, and not a dotted
	// number, which getaddrinfo would have parsed as an address.
	if strings.Trim(addr, "0123456789.") == "" ||
		strings.Trim(addr, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") != "" {
		return "", fmt.Errorf("bad addr or host %q", addr)
	}
	return addr, nil
}

// sshdScopeID normalises an IPv6 zone as glibc's getaddrinfo and
// getnameinfo do (__inet6_scopeid_pton, gni_host_inet_numeric): a decimal
// scope id up to 2^32-1 is kept as a number ("%007" is "%7", "%0" is no
// zone); an interface name is only accepted on link-local and node- or
// link-local multicast addresses. Names are kept as written, since whether
// the interface exists, and its index, belong to the scanned system; for
// the same reason a numeric scope on a link-local address stays numeric,
// where sshd prints the name of the interface with that index if it has
// one.
func sshdScopeID(a netip.Addr) (netip.Addr, error) {
	z := a.Zone()
	if z == "" {
		return a, nil
	}
	if z[0] >= '0' && z[0] <= '9' {
		if n, err := strconv.ParseUint(z, 10, 32); err == nil {
			if n == 0 {
				return a.WithZone(""), nil
			}
			return a.WithZone(strconv.FormatUint(n, 10)), nil
		}
	}
	b := a.As16()
	linkLocal := b[0] == 0xfe && b[1]&0xc0 == 0x80
	mcLocal := b[0] == 0xff && (b[1]&0x0f == 0x01 || b[1]&0x0f == 0x02)
	if linkLocal || mcLocal {
		return a, nil
	}
	return netip.Addr{}, fmt.Errorf("zone %q on an address that is not link-local", z)
}

// sshdInetNtop6 formats an IPv6 address as glibc's inet_ntop does for
// getnameinfo: like RFC 5952 (and netip), except that an IPv4-compatible
// address (the first 96 bits zero, not "::" or "::1") ends in dotted
// decimal: "::0.1.0.0" where netip writes "::1:0".
func sshdInetNtop6(a netip.Addr) string {
	b := a.As16()
	if !a.Is4In6() && b[12]|b[13] != 0 {
		compat := true
		for _, x := range b[:12] {
			compat = compat && x == 0
		}
		if compat {
			s := "::" + netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]}).String()
			if z := a.Zone(); z != "" {
				s += "%" + z
			}
			return s
		}
	}
	return a.String()
}

// sshdInetAton parses IPv4 the way getaddrinfo does for numeric hosts
// (inet_aton): one to four parts, each decimal, octal or hexadecimal, the
// last filling the remaining bytes ("127.1", "010.1", "0x7f.1").
func sshdInetAton(s string) (netip.Addr, bool) {
	if s == "" {
		return netip.Addr{}, false
	}
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return netip.Addr{}, false
	}
	vals := make([]uint64, len(parts))
	for i, p := range parts {
		if p == "" || p[0] < '0' || p[0] > '9' {
			return netip.Addr{}, false
		}
		v, rest, ok := sshdStrtol(p, 0)
		if !ok || rest != "" || v < 0 || v > 0xffffffff {
			return netip.Addr{}, false
		}
		vals[i] = uint64(v)
	}
	var n uint64
	last := len(vals) - 1
	for i := 0; i < last; i++ {
		if vals[i] > 0xff {
			return netip.Addr{}, false
		}
		n |= vals[i] << (24 - 8*i)
	}
	if vals[last] >= 1<<(8*(4-last)) {
		return netip.Addr{}, false
	}
	n |= vals[last]
	return netip.AddrFrom4([4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}), true
}

// sshdAddrListValid is addr_match_list(NULL, list): CIDR entries must be
// well formed and have no host bits set; other entries are wildcard
// patterns and always valid.
func sshdAddrListValid(list string) bool {
	for _, e := range strings.Split(list, ",") {
		e = strings.TrimPrefix(e, "!")
		if e == "" || sshdAddrPtonCIDR(e) == -2 {
			return false
		}
	}
	return true
}

// sshdAddrPtonCIDR is addr_pton_cidr: 0 for a valid address or network,
// -1 for something that is not one (a pattern), -2 for an inconsistent
// network.
func sshdAddrPtonCIDR(s string) int {
	_, _, r := sshdAddrPtonCIDRAddr(s)
	return r
}

// sshdAddrPtonCIDRAddr is addr_pton_cidr returning the network and its
// prefix length as well.
func sshdAddrPtonCIDRAddr(s string) (netip.Addr, int, int) {
	if len(s) >= 64 {
		return netip.Addr{}, 0, -1
	}
	addr, mask, hasMask := strings.Cut(s, "/")
	bits := 0
	if hasMask {
		if mask == "" || mask[0] < '0' || mask[0] > '9' {
			return netip.Addr{}, 0, -1
		}
		n, err := strconv.ParseUint(mask, 10, 64)
		if err != nil || n > 128 {
			return netip.Addr{}, 0, -1
		}
		bits = int(n)
	}
	a, ok := sshdAddrPton(addr)
	if !ok {
		return netip.Addr{}, 0, -1
	}
	if !hasMask {
		bits = a.BitLen()
	}
	if bits > a.BitLen() {
		return netip.Addr{}, 0, -2
	}
	pfx, err := a.WithZone("").Prefix(bits)
	if err != nil || pfx.Addr() != a.WithZone("") {
		return netip.Addr{}, 0, -2
	}
	return a, bits, 0
}

func sshdParseUsers(l *sshdLine) (any, error) {
	out := make([]string, 0, len(l.args))
	for _, a := range l.args {
		if a == "" {
			return nil, l.errorf("%s: invalid pattern %q", l.kw, a)
		}
		if _, host, ok := strings.Cut(a, "@"); ok && !sshdAddrListValid(host) {
			return nil, l.errorf("%s: invalid pattern %q", l.kw, a)
		}
		out = append(out, a)
	}
	return out, nil
}

func sshdParseGroups(l *sshdLine) (any, error) {
	out := make([]string, 0, len(l.args))
	for _, a := range l.args {
		if a == "" {
			return nil, l.errorf("%s: empty pattern", l.kw)
		}
		out = append(out, a)
	}
	return out, nil
}

func sshdParseAcceptEnv(l *sshdLine) (any, error) {
	out := make([]string, 0, len(l.args))
	for _, a := range l.args {
		if a == "" || strings.Contains(a, "=") {
			return nil, l.errorf("%s: invalid environment name %q", l.kw, a)
		}
		out = append(out, a)
	}
	return out, nil
}

// sshdParseSetEnv keeps the first assignment of each name on the line.
func sshdParseSetEnv(l *sshdLine) (any, error) {
	if len(l.args) == 0 {
		return nil, nil
	}
	out := make([]string, 0, len(l.args))
	seen := map[string]bool{}
	for _, a := range l.args {
		name, _, ok := strings.Cut(a, "=")
		if a == "" || !ok {
			return nil, l.errorf("%s: invalid environment %q", l.kw, a)
		}
		if seen[name] {
			continue
		}
		seen[name] = true
		out = append(out, a)
	}
	return out, nil
}

// sshdSubsystem is one Subsystem line: its name must be unique.
type sshdSubsystem struct{ name, line string }

func sshdParseSubsystem(l *sshdLine) (any, error) {
	if len(l.args) == 0 || l.args[0] == "" {
		return nil, l.errorf("%s: missing argument", l.kw)
	}
	if len(l.args) < 2 || l.args[1] == "" {
		return nil, l.errorf("%s: missing subsystem command", l.kw)
	}
	return sshdSubsystem{name: l.args[0], line: l.args[0] + " " + strings.Join(l.args[1:], " ")}, nil
}

func sshdMergeSubsystem(sc *sshdScope, v any, loc SSHDLocation) error {
	s := v.(sshdSubsystem)
	list, _ := sc.values["subsystem"].([]sshdSubsystem)
	for _, o := range list {
		if o.name == s.name {
			return &SSHDConfigError{File: loc.File, Line: loc.Line, Msg: fmt.Sprintf("Subsystem %q already defined", s.name)}
		}
	}
	if list == nil {
		sc.sources["subsystem"] = loc
	}
	sc.values["subsystem"] = append(list, s)
	return nil
}

func sshdFinishSubsystem(v any) (any, error) {
	list := v.([]sshdSubsystem)
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = s.line
	}
	return out, nil
}
