package edit

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSetKeyValue(t *testing.T) {
	type kvCase struct {
		editCase
		key, value string
		opts       KeyValueOptions
	}
	sysctl := KeyValueOptions{Separator: " = ", CommentPrefixes: []string{"#", ";"}, SysctlKeys: true}
	eq := KeyValueOptions{Separator: " = "}
	cases := []kvCase{
		{editCase{"login.defs with tabs",
			"# Password aging controls:\n#\n#\tPASS_MAX_DAYS\tMaximum number of days a password may be used.\nPASS_MAX_DAYS\t99999\nPASS_MIN_DAYS\t0\nPASS_WARN_AGE\t7\n",
			"# Password aging controls:\n#\n#\tPASS_MAX_DAYS\tMaximum number of days a password may be used.\nPASS_MAX_DAYS\t365\nPASS_MIN_DAYS\t0\nPASS_WARN_AGE\t7\n", true},
			"PASS_MAX_DAYS", "365", KeyValueOptions{Separator: "\t"}},
		{editCase{"default separator is a space, indentation kept",
			"  \tUMASK\t\t022\n",
			"  \tUMASK 027\n", true},
			"UMASK", "027", KeyValueOptions{}},
		{editCase{"already the value with other spacing",
			"PASS_MAX_DAYS     365   \n",
			"PASS_MAX_DAYS     365   \n", false},
			"PASS_MAX_DAYS", "365", KeyValueOptions{}},
		{editCase{"duplicated keys all changed, comments kept",
			"PASS_MAX_DAYS 99999\n#PASS_MAX_DAYS 1\nPASS_MIN_DAYS 0\nPASS_MAX_DAYS 180\n",
			"PASS_MAX_DAYS 365\n#PASS_MAX_DAYS 1\nPASS_MIN_DAYS 0\nPASS_MAX_DAYS 365\n", true},
			"PASS_MAX_DAYS", "365", KeyValueOptions{}},
		{editCase{"only the duplicate that differs is rewritten",
			"PASS_MAX_DAYS\t365\nPASS_MAX_DAYS 99999\n",
			"PASS_MAX_DAYS\t365\nPASS_MAX_DAYS 365\n", true},
			"PASS_MAX_DAYS", "365", KeyValueOptions{}},
		{editCase{"key as a prefix of another is another",
			"PASS_MAX_DAYS_X 5\n",
			"PASS_MAX_DAYS_X 5\nPASS_MAX_DAYS 365\n", true},
			"PASS_MAX_DAYS", "365", KeyValueOptions{}},
		{editCase{"absent key appended after a last line without newline",
			"PASS_MIN_DAYS 0",
			"PASS_MIN_DAYS 0\nPASS_MAX_DAYS 365\n", true},
			"PASS_MAX_DAYS", "365", KeyValueOptions{}},
		{editCase{"empty file",
			"",
			"minlen = 14\n", true},
			"minlen", "14", eq},
		{editCase{"key=value without spaces",
			"minlen=8\ndcredit=-1\n",
			"minlen = 14\ndcredit=-1\n", true},
			"minlen", "14", eq},
		{editCase{"key=value already the value",
			"minlen=14\n",
			"minlen=14\n", false},
			"minlen", "14", eq},
		{editCase{"key = value with = separator",
			"# minlen = 9\nminlen = 8\n",
			"# minlen = 9\nminlen=14\n", true},
			"minlen", "14", KeyValueOptions{Separator: "="}},
		{editCase{"key alone on its line",
			"minlen\n",
			"minlen = 14\n", true},
			"minlen", "14", eq},
		{editCase{"case-insensitive keys keep their spelling",
			"Deny = 3\n",
			"Deny = 5\n", true},
			"deny", "5", KeyValueOptions{Separator: " = ", CaseInsensitive: true}},
		{editCase{"case-sensitive by default",
			"Deny = 3\n",
			"Deny = 3\ndeny = 5\n", true},
			"deny", "5", eq},
		{editCase{"sysctl: / and . are one key, spelling kept",
			"net/ipv4/ip_forward = 1\nnet.ipv4.ip_forward=1\n",
			"net/ipv4/ip_forward = 0\nnet.ipv4.ip_forward = 0\n", true},
			"net.ipv4.ip_forward", "0", sysctl},
		{editCase{"sysctl: path key asked for, dotted line",
			"net.ipv4.conf.all.rp_filter = 0\n",
			"net.ipv4.conf.all.rp_filter = 1\n", true},
			"net/ipv4/conf/all/rp_filter", "1", sysctl},
		{editCase{"sysctl: - prefix accepted and kept",
			"-net.ipv4.conf.all.rp_filter=0\n",
			"-net.ipv4.conf.all.rp_filter = 1\n", true},
			"net.ipv4.conf.all.rp_filter", "1", sysctl},
		{editCase{"sysctl: dots in a name after a / first separator",
			"net.ipv4.conf.eth0/1.rp_filter = 0\nnet.ipv4.conf.eth0.1.rp_filter = 0\n",
			"net.ipv4.conf.eth0/1.rp_filter = 1\nnet.ipv4.conf.eth0.1.rp_filter = 0\n", true},
			"net/ipv4/conf/eth0.1/rp_filter", "1", sysctl},
		{editCase{"sysctl: glob key is another key",
			"net.ipv4.conf.*.rp_filter = 0\n",
			"net.ipv4.conf.*.rp_filter = 0\nnet.ipv4.conf.all.rp_filter = 1\n", true},
			"net.ipv4.conf.all.rp_filter", "1", sysctl},
		{editCase{"sysctl: ; and # comments left alone",
			"; net.ipv4.ip_forward = 1\n  # net.ipv4.ip_forward = 1\n",
			"; net.ipv4.ip_forward = 1\n  # net.ipv4.ip_forward = 1\nnet.ipv4.ip_forward = 0\n", true},
			"net.ipv4.ip_forward", "0", sysctl},
		{editCase{"without SysctlKeys / and . differ",
			"net/ipv4/ip_forward = 1\n",
			"net/ipv4/ip_forward = 1\nnet.ipv4.ip_forward = 0\n", true},
			"net.ipv4.ip_forward", "0", eq},
		{editCase{"value with spaces",
			"net.ipv4.tcp_rmem = 4096 131072 6291456\n",
			"net.ipv4.tcp_rmem = 4096 87380 6291456\n", true},
			"net.ipv4.tcp_rmem", "4096 87380 6291456", sysctl},
		{editCase{"CRLF kept in place",
			"deny = 3\r\nunlock_time = 600\r\n",
			"deny = 5\r\nunlock_time = 600\r\n", true},
			"deny", "5", eq},
		{editCase{"CRLF for an appended line",
			"deny = 3\r\nunlock_time = 600\r\n",
			"deny = 3\r\nunlock_time = 600\r\nfail_interval = 900\r\n", true},
			"fail_interval", "900", eq},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkEdit(t, c.editCase, func(b []byte) ([]byte, bool, error) { return SetKeyValue(b, c.key, c.value, c.opts) })
		})
	}
}

func TestSetKeyValueErrors(t *testing.T) {
	cases := []struct {
		name, content, key, value string
		opts                      KeyValueOptions
		want                      string
	}{
		{"newline in value", "", "minlen", "14\nminclass 0", KeyValueOptions{}, "may only write one line"},
		{"CR in key", "", "min\rlen", "14", KeyValueOptions{}, "may only write one line"},
		{"NUL in value", "", "minlen", "1\x004", KeyValueOptions{}, "may only write one line"},
		{"empty key", "", "", "14", KeyValueOptions{}, "empty key"},
		{"space in key", "", "min len", "14", KeyValueOptions{}, "white space"},
		{"tab in key", "", "min\tlen", "14", KeyValueOptions{}, "white space"},
		{"= in key", "", "minlen=", "14", KeyValueOptions{}, `"="`},
		{"key starting a comment", "", ";minlen", "14", KeyValueOptions{CommentPrefixes: []string{"#", ";"}}, "comment prefix"},
		{"empty value", "", "minlen", "", KeyValueOptions{}, "empty value"},
		{"trailing space in value", "", "minlen", "14 ", KeyValueOptions{}, "white space"},
		{"sysctl key that is only the - prefix", "= 1\n", "-", "0", KeyValueOptions{SysctlKeys: true}, "names no key"},
		{"value starting with = after a space", "", "minlen", "=14", KeyValueOptions{}, "would not read back"},
		{"separator that cannot be read back", "", "minlen", "14", KeyValueOptions{Separator: ": "}, "separator"},
		{"separator with two =", "", "minlen", "14", KeyValueOptions{Separator: "=="}, "separator"},
		{"separator with a newline", "", "minlen", "14", KeyValueOptions{Separator: "\n"}, "may only write one line"},
		{"blank comment prefix", "", "minlen", "14", KeyValueOptions{CommentPrefixes: []string{" "}}, "comment prefix"},
		{"NUL in content", "minlen = 8\n\x00", "minlen", "14", KeyValueOptions{}, "line 2: content contains a NUL byte"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkErr(t, c.want, func() ([]byte, bool, error) { return SetKeyValue([]byte(c.content), c.key, c.value, c.opts) })
		})
	}
}

func TestKVNormalize(t *testing.T) {
	sysctl := KeyValueOptions{SysctlKeys: true}
	cases := []struct {
		key  string
		opts KeyValueOptions
		want string
	}{
		{"net.ipv4.ip_forward", sysctl, "net/ipv4/ip_forward"},
		{"net/ipv4/ip_forward", sysctl, "net/ipv4/ip_forward"},
		{"-net.ipv4.ip_forward", sysctl, "net/ipv4/ip_forward"},
		{"net.ipv4.conf.eth0/1.rp_filter", sysctl, "net/ipv4/conf/eth0.1/rp_filter"},
		{"net/ipv4/conf/eth0.1/rp_filter", sysctl, "net/ipv4/conf/eth0.1/rp_filter"},
		{"kernel", sysctl, "kernel"},
		{"-net.ipv4.ip_forward", KeyValueOptions{}, "-net.ipv4.ip_forward"},
		{"Deny", KeyValueOptions{CaseInsensitive: true}, "deny"},
	}
	for _, c := range cases {
		if got := kvNormalize(c.key, c.opts); got != c.want {
			t.Errorf("kvNormalize(%q, %+v) = %q, want %q", c.key, c.opts, got, c.want)
		}
	}
}

func TestKVSplit(t *testing.T) {
	type kv struct {
		Key, Value string
		OK         bool
	}
	cases := []struct {
		in   string
		want kv
	}{
		{"PASS_MAX_DAYS\t99999", kv{"PASS_MAX_DAYS", "99999", true}},
		{"  minlen = 14  ", kv{"minlen", "14", true}},
		{"minlen=14", kv{"minlen", "14", true}},
		{"minlen =14", kv{"minlen", "14", true}},
		{"ENCRYPT_METHOD SHA512", kv{"ENCRYPT_METHOD", "SHA512", true}},
		{"a b=c", kv{"a", "b=c", true}},
		{"a = = c", kv{"a", "= c", true}},
		{"flag", kv{"flag", "", true}},
		{"= 1", kv{"", "", false}},
		{"# minlen = 1", kv{"", "", false}},
		{" \t ", kv{"", "", false}},
	}
	for _, c := range cases {
		k, v, ok := kvSplit([]byte(c.in), []string{"#"})
		if diff := cmp.Diff(c.want, kv{k, v, ok}); diff != "" {
			t.Errorf("kvSplit(%q) (-want +got):\n%s", c.in, diff)
		}
	}
}

// FuzzSetKeyValue holds SetKeyValue to its contract on arbitrary files:
// afterwards every uncommented line with the key has the value, at least
// one does, and a second application changes nothing.
func FuzzSetKeyValue(f *testing.F) {
	sysctl := KeyValueOptions{Separator: " = ", CommentPrefixes: []string{"#", ";"}, SysctlKeys: true}
	for _, s := range []string{"", "a = 1\n", "-a.b/c=2\r\n;a = 3", "a\n#a 1\n a\t1 \n", "a.b = 1\na/b 2"} {
		f.Add(s, "a.b", "1", sysctl.Separator, true, true)
		f.Add(s, "a", "x y", "", false, false)
	}
	f.Fuzz(func(t *testing.T, in, key, value, sep string, ci, sysctlKeys bool) {
		opts := KeyValueOptions{Separator: sep, CaseInsensitive: ci, CommentPrefixes: sysctl.CommentPrefixes, SysctlKeys: sysctlKeys}
		out, changed, err := SetKeyValue([]byte(in), key, value, opts)
		if err != nil {
			return
		}
		if changed == (string(out) == in) {
			t.Fatalf("changed=%v for %q -> %q", changed, in, out)
		}
		want := kvNormalize(key, opts)
		seen := false
		for _, l := range strings.Split(string(out), "\n") {
			k, v, ok := kvSplit([]byte(l), opts.CommentPrefixes)
			if ok && kvNormalize(k, opts) == want {
				seen = true
				if v != value {
					t.Fatalf("line %q: value %q, want %q, in %q", l, v, value, out)
				}
			}
		}
		if !seen {
			t.Fatalf("no line with %s in %q", key, out)
		}
		again, changed2, err := SetKeyValue(out, key, value, opts)
		if err != nil || changed2 || string(again) != string(out) {
			t.Fatalf("second application: changed=%v err=%v\n%q\n%q", changed2, err, out, again)
		}
	})
}
