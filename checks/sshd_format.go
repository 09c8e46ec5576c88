package checks

import (
	"fmt"
	"io"
	"strings"
)

// sshdDumpOrder is the order in which `sshd -T` prints its keywords:
// servconf.c's dump_config as Debian 12 builds it (with the Kerberos,
// GSSAPI and PAM keywords, Debian's GSSAPI key-exchange patch, and without
// rdomain, which Linux builds do not print).
var sshdDumpOrder = []string{
	"port", "addressfamily", "listenaddress", "usepam", "logingracetime", "x11displayoffset",
	"maxauthtries", "maxsessions", "clientaliveinterval", "clientalivecountmax", "requiredrsasize",
	"streamlocalbindmask", "unusedconnectiontimeout", "permitrootlogin", "ignorerhosts",
	"ignoreuserknownhosts", "hostbasedauthentication", "hostbasedusesnamefrompacketonly",
	"pubkeyauthentication", "kerberosauthentication", "kerberosorlocalpasswd", "kerberosticketcleanup",
	"gssapiauthentication", "gssapicleanupcredentials", "gssapikeyexchange", "gssapistrictacceptorcheck",
	"gssapistorecredentialsonrekey", "gssapikexalgorithms", "passwordauthentication",
	"kbdinteractiveauthentication", "printmotd", "printlastlog", "x11forwarding", "x11uselocalhost",
	"permittty", "permituserrc", "strictmodes", "tcpkeepalive", "permitemptypasswords", "compression",
	"gatewayports", "usedns", "allowtcpforwarding", "allowagentforwarding", "disableforwarding",
	"allowstreamlocalforwarding", "streamlocalbindunlink", "fingerprinthash", "exposeauthinfo",
	"pidfile", "modulifile", "xauthlocation", "ciphers", "macs", "banner", "forcecommand",
	"chrootdirectory", "trustedusercakeys", "revokedkeys", "securitykeyprovider",
	"authorizedprincipalsfile", "versionaddendum", "authorizedkeyscommand", "authorizedkeyscommanduser",
	"authorizedprincipalscommand", "authorizedprincipalscommanduser", "hostkeyagent", "kexalgorithms",
	"casignaturealgorithms", "hostbasedacceptedalgorithms", "hostkeyalgorithms",
	"pubkeyacceptedalgorithms", "loglevel", "syslogfacility", "authorizedkeysfile", "hostkey",
	"hostcertificate", "allowusers", "denyusers", "allowgroups", "denygroups", "acceptenv", "setenv",
	"authenticationmethods", "logverbose", "channeltimeout", "subsystem", "maxstartups",
	"persourcemaxstartups", "persourcenetblocksize", "permittunnel", "ipqos", "rekeylimit",
	"permitopen", "permitlisten", "permituserenvironment", "pubkeyauthoptions",
}

// sshdDumpRank maps a keyword to its place in sshdDumpOrder.
var sshdDumpRank = func() map[string]int {
	m := make(map[string]int, len(sshdDumpOrder))
	for i, k := range sshdDumpOrder {
		m[k] = i
	}
	return m
}()

// WriteSSHDT writes the configuration exactly as `sshd -T` prints it: one
// "keyword value" line per keyword in sshd's own order, one line per value
// for list keywords, nothing for an empty list or an empty string (the
// keywords sshd -T omits when unset). Output for SSHDFacts.Config, or for
// an Effective Config, can be compared with sshd's using diff. Keywords
// missing from c are skipped, so a partial configuration (a Match block's)
// prints too; a keyword sshd does not print, or a value that is not a
// string or a list of strings, is an error and nothing is written.
func (c SSHDConfig) WriteSSHDT(w io.Writer) error {
	for k, v := range c {
		if _, ok := sshdDumpRank[k]; !ok {
			return fmt.Errorf("sshd -T output: unknown keyword %q", k)
		}
		if _, err := sshdNormValue(v); err != nil {
			return fmt.Errorf("sshd -T output: %s: %w", k, err)
		}
	}
	var b strings.Builder
	b.Grow(64 * len(sshdDumpOrder))
	line := func(k, v string) {
		b.WriteString(k)
		b.WriteByte(' ')
		b.WriteString(v)
		b.WriteByte('\n')
	}
	for _, k := range sshdDumpOrder {
		v, ok := c[k]
		if !ok {
			continue
		}
		switch v := v.(type) {
		case string:
			if v != "" {
				line(k, v)
			}
		case []string:
			for _, e := range v {
				line(k, e)
			}
		case []any:
			for _, e := range v {
				line(k, e.(string))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
