# Banner facts for the fixture hosts and the banner rule tests (a _test.rego
# file, so the engine never loads it). Inputs follow docs/facts/banners.md.
package gcrun.linux.lib.fixtures

banner_warning := "Authorized uses only. All activity may be monitored and reported.\n"

# banner(path, content, escapes) is a regular banner file, root:root 0644.
banner(path, content, escapes) := banner_owned(path, content, escapes, "0644", 420, 0, 0)

# banner_owned is banner with the mode (string and bits) and ids given.
banner_owned(path, content, escapes, mode, mode_bits, uid, gid) := {
	"path": path,
	"exists": true,
	"type": "file",
	"mode": mode,
	"mode_bits": mode_bits,
	"uid": uid,
	"gid": gid,
	"owner": object.get({0: "root", 1000: "alice"}, uid, ""),
	"group": object.get({0: "root", 4: "adm"}, gid, ""),
	"size": count(content),
	"mtime": "2026-11-20T10:00:00Z",
	"content": content,
	"truncated": false,
	"escapes": escapes,
}

banner_missing(path) := {"path": path, "exists": false}

banner_paths := ["/etc/issue", "/etc/issue.net", "/etc/motd"]

# banners_facts(files) are the facts with the files given (path -> facts).
banners_facts(files) := {
	"files": files,
	"update_motd": {"path": "/etc/update-motd.d", "exists": false, "scripts": []},
}

# banners(overrides) is an input whose banners are the hardened ones with
# the files in overrides (path -> facts) replaced.
banners(overrides) := {"banners": banners_facts(object.union({p: banner(p, banner_warning, []) | some p in banner_paths}, overrides))}

debian12_motd := concat("\n", [
	"",
	"The programs included with the Debian GNU/Linux system are free software;",
	"the exact distribution terms for each program are described in the",
	"individual files in /usr/share/doc/*/copyright.",
	"",
	"Debian GNU/Linux comes with ABSOLUTELY NO WARRANTY, to the extent",
	"permitted by applicable law.",
	"",
])

hardened_facts.banners := banners({}).banners

debian12_facts.banners := {
	"files": {
		"/etc/issue": banner("/etc/issue", "Debian GNU/Linux 12 \\n \\l\n\n", [{"escape": "\\n", "line": 1}, {"escape": "\\l", "line": 1}]),
		"/etc/issue.net": banner("/etc/issue.net", "Debian GNU/Linux 12\n", []),
		"/etc/motd": banner("/etc/motd", debian12_motd, []),
	},
	"update_motd": {"path": "/etc/update-motd.d", "exists": true, "scripts": [{"name": "10-uname", "executable": true}]},
}

empty_facts.banners := banners_facts({p: banner_missing(p) | some p in banner_paths})

# Debian's banners name the system: "Debian GNU/Linux".
expect.debian12_host["GCL-BANNER-001"] := "fail"

expect.debian12_host["GCL-BANNER-002"] := "fail"

expect.debian12_host["GCL-BANNER-003"] := "fail"

# An empty root has no warning banners at all.
expect.empty_host["GCL-BANNER-002"] := "fail"

expect.empty_host["GCL-BANNER-003"] := "fail"
