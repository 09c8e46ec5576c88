package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestLoadConfigExample(t *testing.T) {
	path := filepath.Join("testdata", "agent.yaml")
	got, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		File:                 path,
		Server:               "https://gcrun.example.com",
		StateDir:             "/var/lib/gcrun",
		Root:                 "/",
		EnrollmentSecretFile: "/etc/gcrun/enroll.secret",
		TLS: TLSConfig{
			CAFile:     "/etc/gcrun/ca.pem",
			ClientCert: "/etc/gcrun/client.pem",
			ClientKey:  "/etc/gcrun/client.key",
		},
		Proxy:           "http://proxy.example:3128",
		VerificationKey: "/etc/gcrun/bundle.pub",
		Intervals:       Intervals{Poll: 5 * time.Minute, Evaluate: 15 * time.Minute},
		BundleTTL:       336 * time.Hour,
		Assignments: []Assignment{
			{
				Name: "linux", Source: "https://gcrun.example.com/v1/bundles/linux", Mode: "audit",
				Timeout: 10 * time.Minute, Parameters: map[string]any{"ssh_max_auth_tries": 3}, Line: 28,
			},
			{
				Name: "local-hardening", Source: "/etc/gcrun/packs/hardening", Mode: "autocorrect",
				Timeout: 10 * time.Minute, Line: 34,
			},
		},
		Spool: SpoolConfig{MaxBytes: 100 << 20, MaxReports: 1000, MaxAge: 336 * time.Hour},
		Delivery: DeliveryConfig{
			Timeout: 30 * time.Second, MaxBody: 8 << 20, BackoffMin: time.Second,
			BackoffMax: 5 * time.Minute, ShutdownGrace: 10 * time.Second,
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("LoadConfig(%s) mismatch (-want +got):\n%s", path, diff)
	}
}

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "agent.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadConfigDefaults(t *testing.T) {
	path := writeConfig(t, `server: https://gcrun.example.com:8443/
assignments:
  - name: linux
    source: /srv/packs/linux
`)
	got, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	want := Default()
	want.File = path
	want.Server = "https://gcrun.example.com:8443" // trailing slash trimmed
	want.Assignments = []Assignment{{Name: "linux", Source: "/srv/packs/linux", Mode: ModeAudit, Timeout: 10 * time.Minute, Line: 3}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	// The defaults are the documented ones.
	wantDefaults := &Config{
		StateDir: "/var/lib/gcrun", Root: "/",
		Intervals: Intervals{Poll: 5 * time.Minute, Evaluate: 15 * time.Minute},
		BundleTTL: 14 * 24 * time.Hour,
		Spool:     SpoolConfig{MaxBytes: 100 * 1024 * 1024, MaxReports: 1000, MaxAge: 14 * 24 * time.Hour},
		Delivery: DeliveryConfig{Timeout: 30 * time.Second, MaxBody: 8 * 1024 * 1024, BackoffMin: time.Second,
			BackoffMax: 5 * time.Minute, ShutdownGrace: 10 * time.Second},
	}
	if diff := cmp.Diff(wantDefaults, Default()); diff != "" {
		t.Errorf("Default() mismatch (-want +got):\n%s", diff)
	}
}

func TestLoadConfigNullsKeepDefaults(t *testing.T) {
	path := writeConfig(t, `server: https://s.example
proxy:
tls:
spool:
  max_bytes: 512KiB
  max_age:
delivery: ~
assignments:
  - name: a
    source: file:///srv/a.tar.gz
    mode: apply
    timeout: 90s
    parameters: {x: [1, 2], y: "z"}
verification_key: /k.pem
`)
	got, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	want := Default()
	want.File = path
	want.Server = "https://s.example"
	want.VerificationKey = "/k.pem"
	want.Spool.MaxBytes = 512 << 10
	want.Assignments = []Assignment{{Name: "a", Source: "file:///srv/a.tar.gz", Mode: ModeApply, Timeout: 90 * time.Second,
		Parameters: map[string]any{"x": []any{1, 2}, "y": "z"}, Line: 9}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}

func TestLoadConfigErrors(t *testing.T) {
	const head = "server: https://s.example\nverification_key: /k.pem\n"
	const asg = "assignments:\n  - name: linux\n    source: https://s.example/v1/bundles/linux\n"
	cases := []struct {
		name, text string
		want       []string // substrings of the error, each "agent.yaml:LINE: ..."
	}{
		{"unknown top key", head + asg + "\n\n\nassigments: []\n",
			[]string{`agent.yaml:9: unknown key "assigments" (did you mean "assignments"?)`}},
		{"unknown nested key", head + asg + "tls:\n  cafile: /x\n",
			[]string{`agent.yaml:7: unknown key "cafile" (did you mean "ca_file"?)`}},
		{"unknown key without suggestion", head + asg + "colour: blue\n",
			[]string{`agent.yaml:6: unknown key "colour" in the configuration (known: `}},
		{"unknown assignment key", head + asg + "    modes: audit\n",
			[]string{`agent.yaml:6: unknown key "modes" (did you mean "mode"?)`}},
		{"duplicate key", head + asg + "server: https://t.example\n",
			[]string{`agent.yaml:6: duplicate key "server" (first on line 1)`}},
		{"yaml syntax", head + asg + "spool: [\n",
			[]string{`agent.yaml:6: did not find expected node content`}},
		{"http server", "server: http://s.example\n" + asg,
			[]string{`agent.yaml:1: server "http://s.example": must be an https:// URL (TLS is always on)`}},
		{"server missing", "verification_key: /k.pem\n" + asg,
			[]string{`agent.yaml:1: server is required`}},
		{"server without host", "server: https:///x\nverification_key: /k.pem\n" + asg,
			[]string{`agent.yaml:1: server "https:///x": has no host`}},
		{"server with credentials", "server: https://u:p@s.example\nverification_key: /k.pem\n" + asg,
			[]string{`agent.yaml:1: server "https://u:p@s.example": credentials in the URL are not allowed`}},
		{"no assignments", head, []string{`agent.yaml:1: assignments: at least one assignment is required`}},
		{"empty assignments", head + "assignments: []\n", []string{`agent.yaml:3: assignments: at least one assignment is required`}},
		{"assignments not a list", head + "assignments: {name: x}\n", []string{`agent.yaml:3: assignments must be a list, got a mapping`}},
		{"assignment not a mapping", head + "assignments:\n  - linux\n", []string{`agent.yaml:4: an assignment must be a mapping`}},
		{"bad name", head + "assignments:\n  - name: Linux/../x\n    source: /p\n",
			[]string{`agent.yaml:4: assignment name "Linux/../x": use only lower-case letters`}},
		{"dot name", head + "assignments:\n  - name: ..\n    source: /p\n",
			[]string{`agent.yaml:4: assignment name "..": use only`}},
		{"missing name", head + "assignments:\n  - source: /p\n", []string{`agent.yaml:4: assignment: name is required`}},
		{"duplicate names", head + asg + "  - name: linux\n    source: /p\n",
			[]string{`agent.yaml:6: duplicate assignment name "linux" (first on line 4)`}},
		{"bad mode", head + asg + "    mode: enforce\n",
			[]string{`agent.yaml:6: assignment "linux": mode "enforce": must be audit, apply or autocorrect`}},
		{"missing source", head + "assignments:\n  - name: linux\n", []string{`agent.yaml:4: assignment "linux": source is required`}},
		{"http source", head + "assignments:\n  - name: linux\n    source: http://s.example/b\n",
			[]string{`agent.yaml:5: assignment "linux": source "http://s.example/b": only https:// URLs, file:// URLs and absolute paths`}},
		{"relative source", head + "assignments:\n  - name: linux\n    source: packs/linux\n",
			[]string{`agent.yaml:5: assignment "linux": source "packs/linux": a local source must be an absolute path`}},
		{"file URL with host", head + "assignments:\n  - name: linux\n    source: file://host/b.tar.gz\n",
			[]string{`agent.yaml:5: assignment "linux": source "file://host/b.tar.gz": a file URL must name an absolute local path`}},
		{"url source without key", "server: https://s.example\n" + asg,
			[]string{`agent.yaml:4: assignment "linux": source "https://s.example/v1/bundles/linux" is a bundle, so verification_key is required`}},
		{"file url without key", "server: https://s.example\nassignments:\n  - name: a\n    source: file:///b.tar.gz\n",
			[]string{`agent.yaml:4: assignment "a": source "file:///b.tar.gz" is a bundle, so verification_key is required`}},
		{"local bundle file without key", "server: https://s.example\nassignments:\n  - name: a\n    source: /srv/b.tgz\n",
			[]string{`agent.yaml:4: assignment "a": source "/srv/b.tgz" is a bundle, so verification_key is required`}},
		{"parameters not a mapping", head + asg + "    parameters: [1]\n",
			[]string{`agent.yaml:6: assignment "linux": parameters must be a mapping, got a list`}},
		{"bad duration", head + asg + "intervals:\n  poll: 5 minutes\n",
			[]string{`agent.yaml:7: intervals.poll: invalid duration "5 minutes"`}},
		{"duration without unit", head + asg + "bundle_ttl: 300\n",
			[]string{`agent.yaml:6: bundle_ttl: invalid duration "300"`}},
		{"zero duration", head + asg + "delivery:\n  timeout: 0s\n",
			[]string{`agent.yaml:7: delivery.timeout must be positive, got "0s"`}},
		{"negative duration", head + asg + "    timeout: -1m\n",
			[]string{`agent.yaml:6: timeout must be positive, got "-1m"`}},
		{"bad size", head + asg + "spool:\n  max_bytes: 100 megs\n",
			[]string{`agent.yaml:7: spool.max_bytes: invalid size "100 megs"`}},
		{"zero size", head + asg + "delivery:\n  max_body: 0\n",
			[]string{`agent.yaml:7: delivery.max_body must be positive, got "0"`}},
		{"bad count", head + asg + "spool:\n  max_reports: many\n",
			[]string{`agent.yaml:7: spool.max_reports must be an integer, got "many"`}},
		{"zero count", head + asg + "spool:\n  max_reports: 0\n",
			[]string{`agent.yaml:7: spool.max_reports must be positive, got 0`}},
		{"backoff order", head + asg + "delivery:\n  backoff_min: 10m\n  backoff_max: 1m\n",
			[]string{`agent.yaml:7: delivery: backoff_min 10m0s is above backoff_max 1m0s`}},
		{"client cert alone", head + asg + "tls:\n  client_cert: /c.pem\n",
			[]string{`agent.yaml:7: tls: client_cert and client_key go together`}},
		{"relative path", head + asg + "state_dir: var/lib/gcrun\n",
			[]string{`agent.yaml:6: state_dir "var/lib/gcrun": must be an absolute path`}},
		{"empty root", head + asg + "root: \"\"\n", []string{`agent.yaml:6: root must not be empty`}},
		{"bad proxy", head + asg + "proxy: socks5://p:1080\n",
			[]string{`agent.yaml:6: proxy "socks5://p:1080": must be an http:// or https:// URL with a host`}},
		{"tls not a mapping", head + asg + "tls: yes\n", []string{`agent.yaml:6: tls must be a mapping, got "yes"`}},
		{"string is a list", head + asg + "root: [/]\n", []string{`agent.yaml:6: root must be a string, got a list`}},
		{"top level list", "- a\n", []string{`agent.yaml:1: the configuration must be a mapping, got a list`}},
		{"several errors reported", "server: http://s\nassignments:\n  - name: A\n    source: x\n",
			[]string{`agent.yaml:1: server "http://s"`, `agent.yaml:3: assignment name "A"`, `agent.yaml:4: assignment "A": source "x"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadConfig(writeConfig(t, tc.text))
			if err == nil {
				t.Fatalf("LoadConfig succeeded, want errors %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\ndoes not contain\n%s", err, w)
				}
			}
		})
	}
}

func TestLoadConfigMissingFile(t *testing.T) {
	_, err := LoadConfig(filepath.Join(t.TempDir(), "nope.yaml"))
	if err == nil || !strings.Contains(err.Error(), "nope.yaml") {
		t.Fatalf("err = %v, want one naming the file", err)
	}
}

func TestLoadConfigEmpty(t *testing.T) {
	_, err := LoadConfig(writeConfig(t, ""))
	if err == nil || !strings.Contains(err.Error(), "agent.yaml:1: server is required") {
		t.Fatalf("err = %v", err)
	}
}

func TestParseSize(t *testing.T) {
	good := map[string]int64{
		"0": 0, "1048576": 1 << 20, "100MiB": 100 << 20, "8MiB": 8 << 20, "512KiB": 512 << 10, "1GiB": 1 << 30,
		"2TiB": 2 << 40, "10B": 10, "1kb": 1000, "3MB": 3e6, "4GB": 4e9, "5TB": 5e12, "7 mib": 7 << 20,
	}
	for in, want := range good {
		got, err := ParseSize(in)
		if err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "MiB", "-1", "1.5GiB", "10 parsecs", "9223372036854775807KiB", "99999999999999999999"} {
		if got, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) = %d, want an error", in, got)
		}
	}
}

func TestSuggest(t *testing.T) {
	known := []string{"assignments", "server", "state_dir", "root", "spool"}
	for in, want := range map[string]string{
		"assigments": "assignments", "sever": "server", "statedir": "state_dir", "rot": "root",
		"spoool": "spool", "zzzzzzzzzz": "", "x": "",
	} {
		if got := suggest(in, known); got != want {
			t.Errorf("suggest(%q) = %q, want %q", in, got, want)
		}
	}
}
