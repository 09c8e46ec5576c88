package edit

import "testing"

func TestEnsureLine(t *testing.T) {
	type lineCase struct {
		editCase
		line, match string
	}
	const faillock = "auth\trequired\tpam_faillock.so preauth"
	cases := []lineCase{
		{editCase{"identical line present",
			"auth\trequired\tpam_env.so\nauth\trequired\tpam_faillock.so preauth\n",
			"auth\trequired\tpam_env.so\nauth\trequired\tpam_faillock.so preauth\n", false}, faillock, "pam_faillock"},
		{editCase{"identical but for surrounding white space",
			"  auth\trequired\tpam_faillock.so preauth \t\n",
			"  auth\trequired\tpam_faillock.so preauth \t\n", false}, faillock, ""},
		{editCase{"first matching line replaced, later one kept",
			"auth\trequired\tpam_env.so\nauth required pam_faillock.so preauth deny=9\nauth required pam_faillock.so authfail\n",
			"auth\trequired\tpam_env.so\n" + faillock + "\nauth required pam_faillock.so authfail\n", true}, faillock, `pam_faillock\.so`},
		{editCase{"match anchored on the line text, not its ending",
			"Defaults use_pty\r\nDefaults env_reset\r\n",
			"Defaults use_pty\r\nDefaults logfile=\"/var/log/sudo.log\"\r\n", true}, `Defaults logfile="/var/log/sudo.log"`, `^Defaults env_reset$`},
		{editCase{"match found nowhere: appended",
			"auth\trequired\tpam_env.so\n",
			"auth\trequired\tpam_env.so\n" + faillock + "\n", true}, faillock, `pam_nothing`},
		{editCase{"no match given: appended after a last line without newline",
			"a\nb",
			"a\nb\n" + faillock + "\n", true}, faillock, ""},
		{editCase{"empty file",
			"",
			"* hard core 0\n", true}, "* hard core 0", `^\*\s+hard\s+core`},
		{editCase{"replacement keeps the line ending of a CRLF file",
			"x\r\n*   hard   core   unlimited\r\n",
			"x\r\n* hard core 0\r\n", true}, "* hard core 0", `^\*\s+hard\s+core`},
		{editCase{"commented line can be the match (lineinfile does the same)",
			"#PermitRootLogin yes\n",
			"PermitRootLogin no\n", true}, "PermitRootLogin no", `^#?PermitRootLogin`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkEdit(t, c.editCase, func(b []byte) ([]byte, bool, error) { return EnsureLine(b, c.line, c.match) })
		})
	}
}

func TestRemoveLines(t *testing.T) {
	type lineCase struct {
		editCase
		line, match string
	}
	cases := []lineCase{
		{editCase{"every equal line removed",
			"a\n  install cramfs /bin/true\nb\ninstall cramfs /bin/true\n",
			"a\nb\n", true}, "install cramfs /bin/true", ""},
		{editCase{"by line and by regexp together",
			"a\nx 1\nb\nx 2\nc\n",
			"a\nc\n", true}, "b", `^x `},
		{editCase{"nothing to remove",
			"a\nb\n",
			"a\nb\n", false}, "c", `^d`},
		{editCase{"last line without newline removed",
			"a\nb",
			"a\n", true}, "b", ""},
		{editCase{"CRLF lines keep their endings",
			"a\r\nb\r\nc\r\n",
			"a\r\nc\r\n", true}, "", `^b$`},
		{editCase{"only line removed",
			"a\n",
			"", true}, "a", ""},
		{editCase{"empty file",
			"",
			"", false}, "a", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkEdit(t, c.editCase, func(b []byte) ([]byte, bool, error) { return RemoveLines(b, c.line, c.match) })
		})
	}
}

func TestLineErrors(t *testing.T) {
	cases := []struct {
		name, content, line, match string
		remove                     bool
		want                       string
	}{
		{"ensure: newline in line", "", "a\nb", "", false, "may only write one line"},
		{"ensure: CR in line", "", "a\rb", "", false, "may only write one line"},
		{"ensure: NUL in line", "", "a\x00", "", false, "may only write one line"},
		{"ensure: blank line", "", " \t", "", false, "blank line"},
		{"ensure: invalid regexp", "", "a", "(unclosed", false, `invalid match regexp "(unclosed"`},
		{"ensure: NUL in content", "a\n\x00\n", "a", "", false, "line 2: content contains a NUL byte"},
		{"remove: neither line nor match", "a\n", "", "", true, "needs a line or a match"},
		{"remove: blank line", "a\n", "  ", "", true, "blank"},
		{"remove: newline in line", "a\n", "a\nb", "", true, "may only write one line"},
		{"remove: invalid regexp", "a\n", "", "a[", true, `invalid match regexp "a["`},
		{"remove: NUL in content", "\x00", "a", "", true, "line 1: content contains a NUL byte"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkErr(t, c.want, func() ([]byte, bool, error) {
				if c.remove {
					return RemoveLines([]byte(c.content), c.line, c.match)
				}
				return EnsureLine([]byte(c.content), c.line, c.match)
			})
		})
	}
}
