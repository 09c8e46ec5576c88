# Input builders for the unit tests (in a _test.rego file, so that the
# engine never loads it). Inputs follow docs/facts.md.
package gcrun.linux.lib.fixtures

# codes(reasons) is the sorted list of the reasons' codes, duplicates kept,
# so one comparison checks both which reasons there are and how many.
codes(reasons) := sort([r.code | some r in reasons])

# phrases(reasons) is the sorted list of the reasons' phrases.
phrases(reasons) := sort([r.phrase | some r in reasons])

# ---------------------------------------------------------------------------
# sshd

sshd_config_file := "/etc/ssh/sshd_config"

# hardened_sshd_config is `sshd -T` of a server that passes every sshd rule.
hardened_sshd_config := {
	"port": ["22"],
	"listenaddress": ["192.0.2.10:22", "[2001:db8::10]:22"],
	"hostkey": ["/etc/ssh/ssh_host_ed25519_key"],
	"acceptenv": ["LANG", "LC_*"],
	"subsystem": ["sftp /usr/lib/openssh/sftp-server"],
	"allowusers": [],
	"allowgroups": ["sshusers"],
	"denyusers": [],
	"denygroups": [],
	"permitrootlogin": "no",
	"passwordauthentication": "no",
	"kbdinteractiveauthentication": "no",
	"permitemptypasswords": "no",
	"pubkeyauthentication": "yes",
	"hostbasedauthentication": "no",
	"ignorerhosts": "yes",
	"ignoreuserknownhosts": "yes",
	"gssapiauthentication": "no",
	"gssapicleanupcredentials": "yes",
	"kerberosauthentication": "no",
	"kerberosorlocalpasswd": "no",
	"kerberosticketcleanup": "yes",
	"usepam": "yes",
	"permituserenvironment": "no",
	"strictmodes": "yes",
	"x11forwarding": "no",
	"x11uselocalhost": "yes",
	"allowtcpforwarding": "no",
	"allowagentforwarding": "no",
	"allowstreamlocalforwarding": "no",
	"disableforwarding": "yes",
	"permittunnel": "no",
	"gatewayports": "no",
	"tcpkeepalive": "no",
	"printmotd": "no",
	"printlastlog": "no",
	"syslogfacility": "AUTH",
	"maxauthtries": "4",
	"maxsessions": "10",
	"maxstartups": "10:30:60",
	"logingracetime": "60",
	"clientaliveinterval": "300",
	"clientalivecountmax": "3",
	"loglevel": "VERBOSE",
	"banner": "/etc/issue.net",
	"ciphers": "chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr,aes192-ctr,aes128-ctr",
	"macs": "hmac-sha2-512-etm@openssh.com,hmac-sha2-256-etm@openssh.com,umac-128-etm@openssh.com",
	"kexalgorithms": "sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group-exchange-sha256",
	"hostkeyalgorithms": "ssh-ed25519-cert-v01@openssh.com,ssh-ed25519,rsa-sha2-512,rsa-sha2-256",
}

# sshd(overrides) is an input whose global sshd configuration is the
# hardened one with overrides applied, no sources and no Match blocks.
sshd(overrides) := sshd_input(overrides, {}, [])

# sshd_input(overrides, sources, match) is the full builder.
sshd_input(overrides, sources, match) := {"sshd": {
	"config_path": sshd_config_file,
	"exists": true,
	"files": [sshd_config_file],
	"config": object.union(hardened_sshd_config, overrides),
	"sources": sources,
	"match": match,
}}

# sshd_set(overrides, line) is sshd(overrides) with each overridden keyword
# set in sshd_config at the given line.
sshd_set(overrides, line) := sshd_input(overrides, {kw: {"file": sshd_config_file, "line": line} | some kw, _ in overrides}, [])

# sshd_match(config) is the hardened configuration plus one Match block
# (User alice, Address 10.0.0.0/8) at line 120 setting config.
sshd_match(config) := sshd_input({}, {}, [match_block(config)])

# match_block(config) is a Match block at line 120 whose keywords are set
# on the following lines.
match_block(config) := {
	"criteria": match_criteria,
	"file": sshd_config_file,
	"line": 120,
	"config": config,
	"sources": {kw: {"file": sshd_config_file, "line": 121} | some kw, _ in config},
}

# match_criteria are match_block's criteria, as the facts give them.
match_criteria := [{"type": "user", "patterns": ["alice", "!bob"]}, {"type": "address", "patterns": ["10.0.0.0/8"]}]

# match_where is how phrases name match_block's block.
match_where := " in Match User alice,!bob Address 10.0.0.0/8 (/etc/ssh/sshd_config:120)"

# dropin_file is a drop-in file that sshd_config includes.
dropin_file := "/etc/ssh/sshd_config.d/50-admins.conf"

# block(criteria, file, line, config) is a Match block at file:line whose
# keywords are set on the line after it.
block(criteria, file, line, config) := {
	"criteria": criteria,
	"file": file,
	"line": line,
	"config": config,
	"sources": {kw: {"file": file, "line": line + 1} | some kw, _ in config},
}

# no_sshd is the input of a host without sshd_config.
no_sshd := {"sshd": {
	"config_path": sshd_config_file,
	"exists": false,
	"files": [],
	"config": {},
	"sources": {},
	"match": [],
}}

# debian12_sshd_config is `sshd -T` of a stock Debian 12 (OpenSSH 9.2p1)
# with Debian's shipped sshd_config.
debian12_sshd_config := {
	"port": ["22"],
	"listenaddress": ["[::]:22", "0.0.0.0:22"],
	"hostkey": ["/etc/ssh/ssh_host_rsa_key", "/etc/ssh/ssh_host_ecdsa_key", "/etc/ssh/ssh_host_ed25519_key"],
	"acceptenv": ["LANG", "LC_*"],
	"subsystem": ["sftp /usr/lib/openssh/sftp-server"],
	"allowusers": [],
	"allowgroups": [],
	"denyusers": [],
	"denygroups": [],
	"permitrootlogin": "without-password",
	"passwordauthentication": "yes",
	"kbdinteractiveauthentication": "no",
	"permitemptypasswords": "no",
	"pubkeyauthentication": "yes",
	"hostbasedauthentication": "no",
	"ignorerhosts": "yes",
	"ignoreuserknownhosts": "no",
	"gssapiauthentication": "no",
	"gssapicleanupcredentials": "yes",
	"kerberosauthentication": "no",
	"kerberosorlocalpasswd": "yes",
	"kerberosticketcleanup": "yes",
	"usepam": "yes",
	"permituserenvironment": "no",
	"strictmodes": "yes",
	"x11forwarding": "yes",
	"x11uselocalhost": "yes",
	"allowtcpforwarding": "yes",
	"allowagentforwarding": "yes",
	"allowstreamlocalforwarding": "yes",
	"disableforwarding": "no",
	"permittunnel": "no",
	"gatewayports": "no",
	"tcpkeepalive": "yes",
	"printmotd": "no",
	"printlastlog": "yes",
	"syslogfacility": "AUTH",
	"maxauthtries": "6",
	"maxsessions": "10",
	"maxstartups": "10:30:100",
	"logingracetime": "120",
	"clientaliveinterval": "0",
	"clientalivecountmax": "3",
	"loglevel": "INFO",
	"banner": "none",
	"ciphers": "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com",
	"macs": "umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-64@openssh.com,umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1",
	"kexalgorithms": "sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group14-sha256",
	"hostkeyalgorithms": "ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521-cert-v01@openssh.com,sk-ssh-ed25519-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,rsa-sha2-512-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com,ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256",
}

# ---------------------------------------------------------------------------
# files

# file(path, mode, owner, group) is the stat of a regular file. Ids follow
# Debian: root 0, shadow 42; other names get 1000.
file(path, mode, owner, group) := {
	"path": path,
	"exists": true,
	"type": "file",
	"mode": mode,
	"mode_bits": octal(mode),
	"uid": id(owner),
	"gid": id(group),
	"owner": owner,
	"group": group,
	"size": 1024,
	"mtime": "2026-11-20T10:00:00Z",
}

ids := {"root": 0, "shadow": 42, "ssh_keys": 101, "_ssh": 102}

id(name) := object.get(ids, name, 1000)

octal(s) := sum([bits.lsh(to_number(d), 3 * ((count(s) - 1) - i)) | some i, d in split(s, "")])

# symlink(path, target) is the lstat of a symlink whose target is a root-owned 0644 file.
symlink(path, target) := {
	"path": path,
	"exists": true,
	"type": "symlink",
	"link_target": target,
	"mode": "0777",
	"mode_bits": 511,
	"uid": 0,
	"gid": 0,
	"owner": "root",
	"group": "root",
	"target": file(target, "0644", "root", "root"),
}

# of_type(path, type) is a root-owned entry of another type ("directory", ...).
of_type(path, type) := object.union(file(path, "0755", "root", "root"), {"type": type})

# missing_file(path) is the stat of a path where nothing exists.
missing_file(path) := {"path": path, "exists": false}

# files(entries) is an input whose files collector saw the entries.
files(entries) := files_globs(entries, {})

# files_globs(entries, globs) also sets the glob results.
files_globs(entries, globs) := {"files": {
	"paths": {e.path: e | some e in entries},
	"globs": globs,
}}

# ---------------------------------------------------------------------------
# packages

# packages(names) is an input whose dpkg database has the named packages
# installed (amd64, version 1.0-1).
packages(names) := {"packages": {
	"format": "dpkg",
	"database": "/var/lib/dpkg/status",
	"exists": true,
	"installed": {name: [dpkg_entry(name)] | some name in names},
	"packages": [dpkg_entry(name) | some name in names],
}}

dpkg_entry(name) := {
	"name": name,
	"version": "1.0-1",
	"architecture": "amd64",
	"source": name,
	"source_version": "1.0-1",
	"status": "install ok installed",
	"installed": true,
}

# no_dpkg is the input of a host without a dpkg database.
no_dpkg := {"packages": {
	"format": "dpkg",
	"database": "/var/lib/dpkg/status",
	"exists": false,
	"installed": {},
	"packages": [],
}}

# ---------------------------------------------------------------------------
# whole hosts, for the Go test that evaluates every rule like the engine

host_os := {"host": {
	"hostname": "web-1",
	"machine_id": "4c4c4544004b4e1080",
	"os": {
		"id": "debian", "id_like": [], "name": "Debian GNU/Linux",
		"version_id": "12", "version_codename": "bookworm",
		"pretty_name": "Debian GNU/Linux 12 (bookworm)", "family": "debian",
		"fields": {"ID": "debian", "VERSION_ID": "12"},
	},
}}

account_files := [
	file("/etc/passwd", "0644", "root", "root"),
	file("/etc/shadow", "0640", "root", "shadow"),
	file("/etc/group", "0644", "root", "root"),
	file("/etc/gshadow", "0640", "root", "shadow"),
	file("/etc/passwd-", "0644", "root", "root"),
	file("/etc/shadow-", "0640", "root", "shadow"),
	file("/etc/group-", "0644", "root", "root"),
	file("/etc/gshadow-", "0640", "root", "shadow"),
]

host_key_types := ["ecdsa", "ed25519", "rsa"]

private_keys := [sprintf("/etc/ssh/ssh_host_%s_key", [t]) | some t in host_key_types]

public_keys := [sprintf("/etc/ssh/ssh_host_%s_key.pub", [t]) | some t in host_key_types]

# ssh_files(sshd_config_mode) are the files of an OpenSSH server with
# Debian's key permissions and no drop-in configuration, and /etc/ssh.
ssh_files(sshd_config_mode) := array.concat(
	array.concat([of_type("/etc/ssh", "directory"), file(sshd_config_file, sshd_config_mode, "root", "root")], [file(k, "0600", "root", "root") | some k in private_keys]),
	[file(k, "0644", "root", "root") | some k in public_keys],
)

ssh_globs := {
	"/etc/ssh/sshd_config.d/*.conf": [],
	"/etc/ssh/ssh_host_*_key": private_keys,
	"/etc/ssh/ssh_host_*_key.pub": public_keys,
}

installed_packages := ["base-files", "bash", "coreutils", "dpkg", "openssh-client", "openssh-server"]

# sshd_extra are the facts the collector reports beside config.
sshd_extra(banner, rsa_bits) := {"sshd": {
	"debian_banner": banner,
	"moduli": {"path": "/etc/ssh/moduli", "exists": true, "count": 2, "min_bits": 3072, "sizes": {"3071": 1, "4095": 1}},
	"host_keys": [
		{"path": "/etc/ssh/ssh_host_ed25519_key", "public_key": "/etc/ssh/ssh_host_ed25519_key.pub", "exists": true, "type": "ssh-ed25519", "bits": 256},
		{"path": "/etc/ssh/ssh_host_rsa_key", "public_key": "/etc/ssh/ssh_host_rsa_key.pub", "exists": true, "type": "ssh-rsa", "bits": rsa_bits},
	],
}}

# Each area of the pack adds the facts of its own collectors to the three
# hosts below from a fixtures file of its own (lib/fixtures_<area>_test.rego,
# in this package), and says what its rules report there:
#
#	hardened_facts.users := {...}      # passes every rule of the area
#	debian12_facts.users := {...}      # a stock Debian 12 server
#	empty_facts.users := {...}         # an empty root
#	expect.debian12_host["GCL-ACCT-001"] := "fail"
#
# Rules not named in expect report pass on hardened_host and debian12_host,
# and not_applicable on empty_host (baselines_test.go TestHosts).
hardened_facts[name] := facts if some name, facts in {}

debian12_facts[name] := facts if some name, facts in {}

empty_facts[name] := facts if some name, facts in {}

# hardened_host passes every rule.
hardened_host := object.union_n([
	host_os,
	sshd({}),
	sshd_extra("no", 4096),
	files_globs(array.concat(account_files, ssh_files("0600")), ssh_globs),
	packages(installed_packages),
	hardened_facts,
])

# debian12_host is a stock Debian 12 server with openssh-server.
debian12_host := object.union_n([
	host_os,
	sshd_input(debian12_sshd_config, {}, []),
	sshd_extra("yes", 3072),
	files_globs(array.concat(account_files, ssh_files("0644")), ssh_globs),
	packages(installed_packages),
	debian12_facts,
])

# empty_host is an empty root: nothing exists.
empty_host := object.union_n([
	host_os,
	no_sshd,
	files_globs([missing_file(f.path) | some f in array.concat(account_files, ssh_files("0600"))], {g: [] | some g, _ in ssh_globs}),
	no_dpkg,
	empty_facts,
])
