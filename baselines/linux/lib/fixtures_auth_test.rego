# Facts of the login collector for the unit tests and the whole-host
# fixtures (docs/facts/login.md).
package gcrun.linux.lib.fixtures

# ---------------------------------------------------------------------------
# login: building blocks

login_defs_path := "/etc/login.defs"

pwquality_conf := "/etc/security/pwquality.conf"

pwquality_dropin := "/etc/security/pwquality.conf.d/50-pwlength.conf"

faillock_conf := "/etc/security/faillock.conf"

# defs_at(values) is login.defs with each key set to values[key] = [value,
# line].
defs_at(values) := {
	"file": login_defs_path,
	"exists": true,
	"settings": {k: {"value": v[0], "file": login_defs_path, "line": v[1]} | some k, v in values},
	"duplicates": {},
}

# defs(settings) is login.defs with every key of settings set on line 10.
defs(settings) := defs_at({k: [v, 10] | some k, v in settings})

# pam_file(type) is the Debian common-* file a line of that type is in.
pam_file(type) := {
	"auth": "/etc/pam.d/common-auth",
	"account": "/etc/pam.d/common-account",
	"password": "/etc/pam.d/common-password",
	"session": "/etc/pam.d/common-session",
}[type]

# pam(type, control, module, args, line) is a PAM entry written in the
# common-* file of its type; a bracketed control is parsed as the collector
# parses it.
pam(type, control, module, args, line) := {
	"type": type,
	"optional_module": false,
	"control": control,
	"control_map": control_map(control),
	"module": module,
	"module_path": module,
	"arguments": args,
	"file": pam_file(type),
	"line": line,
	"via": [],
	"substack": false,
}

control_map(control) := {kv[0]: kv[1] |
	startswith(control, "[")
	some pair in split(trim(control, "[]"), " ")
	kv := split(pair, "=")
} if {
	startswith(control, "[")
} else := {}

# pam_unix_password(args, line) is Debian's pam_unix password line.
pam_unix_password(args, line) := pam("password", "[success=1 default=ignore]", "pam_unix.so", args, line)

# via(entries, at) are entries spliced into another service by an include
# at "file:line".
via(entries, at) := [object.union(e, {"via": [at]}) | some e in entries]

# login_facts(defs, services, pwquality, faillock) is the collector's facts;
# services maps a service name to its entries.
login_facts(login_defs, services, pwq, faillock) := {
	"login_defs": login_defs,
	"pam": {
		"dir": "/etc/pam.d",
		"dir_exists": true,
		"services": {name: {"file": sprintf("/etc/pam.d/%s", [name]), "entries": entries} | some name, entries in services},
	},
	"pwquality": pwq,
	"faillock": faillock,
}

# pwquality_of(settings) is libpwquality's configuration with settings in a
# drop-in file at line 1.
pwquality_of(settings) := {
	"file": pwquality_conf,
	"exists": true,
	"files": [pwquality_dropin, pwquality_conf],
	"settings": {k: {"value": v, "file": pwquality_dropin, "line": 1} | some k, v in settings},
}

no_pwquality := {"file": pwquality_conf, "exists": false, "files": [], "settings": {}}

# faillock_of(settings) is faillock.conf with settings at line 7.
faillock_of(settings) := {
	"file": faillock_conf,
	"exists": true,
	"settings": {k: {"value": v, "file": faillock_conf, "line": 7} | some k, v in settings},
}

# login_defs(settings) is an input with only login.defs (no PAM service).
login_defs(settings) := {"login": login_facts(defs(settings), {}, no_pwquality, faillock_of({}))}

# with_login_defs(inp, settings) sets more login.defs keys (line 10).
with_login_defs(inp, settings) := object.union(inp, {"login": {"login_defs": defs(settings)}})

# with_defs_dup(inp, key, occurrences) sets key several times: occurrences
# are {"value", "line"} in file order; the last is in effect.
with_defs_dup(inp, key, occurrences) := object.union(inp, {"login": {"login_defs": {
	"settings": {key: {"value": occurrences[count(occurrences) - 1].value, "file": login_defs_path, "line": occurrences[count(occurrences) - 1].line}},
	"duplicates": {key: occurrences},
}}})

# login_defs_dup(key, occurrences) is login.defs with only key, set several times.
login_defs_dup(key, occurrences) := with_defs_dup(login_defs({}), key, occurrences)

# pam_services(services) is an input with the hardened login.defs and the
# PAM services given (name -> entries), no pwquality.conf and an empty
# faillock.conf.
pam_services(services) := {"login": login_facts(hardened_defs, services, no_pwquality, faillock_of({}))}

# pam_password(entries) has only common-password.
pam_password(entries) := pam_services({"common-password": entries})

# pam_auth(entries) has only common-auth.
pam_auth(entries) := pam_services({"common-auth": entries})

# pwquality_input(entries, settings) is common-password with entries and
# pwquality settings from a drop-in file.
pwquality_input(entries, settings) := object.union(pam_password(entries), {"login": {"pwquality": pwquality_of(settings)}})

# faillock_entries(entries, settings) is common-auth with entries and
# faillock.conf settings.
faillock_entries(entries, settings) := object.union(pam_auth(entries), {"login": {"faillock": faillock_of(settings)}})

# faillock_input(settings) is CIS's common-auth (preauth at 16, pam_unix
# at 17, authfail at 18) with faillock.conf settings.
faillock_input(settings) := faillock_entries(cis_common_auth, settings)

# ---------------------------------------------------------------------------
# login: Debian 12 as shipped, and as CIS hardens it

debian_common_auth := [
	pam("auth", "[success=1 default=ignore]", "pam_unix.so", ["nullok"], 17),
	pam("auth", "requisite", "pam_deny.so", [], 19),
	pam("auth", "required", "pam_permit.so", [], 23),
	pam("auth", "optional", "pam_cap.so", [], 25),
]

debian_common_account := [
	pam("account", "[success=1 new_authtok_reqd=done default=ignore]", "pam_unix.so", [], 17),
	pam("account", "requisite", "pam_deny.so", [], 19),
	pam("account", "required", "pam_permit.so", [], 23),
]

debian_common_password := [
	pam_unix_password(["obscure", "yescrypt"], 25),
	pam("password", "requisite", "pam_deny.so", [], 27),
	pam("password", "required", "pam_permit.so", [], 31),
]

debian_common_session := [
	pam("session", "[default=1]", "pam_permit.so", [], 15),
	pam("session", "requisite", "pam_deny.so", [], 17),
	pam("session", "required", "pam_permit.so", [], 21),
	pam("session", "required", "pam_unix.so", [], 23),
	pam("session", "optional", "pam_systemd.so", [], 24),
]

# sshd_pam(auth, account, session, password) is Debian's /etc/pam.d/sshd
# with the common-* stacks spliced in.
sshd_pam(auth, account, session, password) := array.concat(
	array.concat(
		via(auth, "/etc/pam.d/sshd:4"),
		array.concat([object.union(pam("account", "required", "pam_nologin.so", [], 7), {"file": "/etc/pam.d/sshd"})], via(account, "/etc/pam.d/sshd:14")),
	),
	array.concat(via(session, "/etc/pam.d/sshd:28"), via(password, "/etc/pam.d/sshd:55")),
)

debian_defs := defs_at({
	"UMASK": ["022", 151],
	"PASS_MAX_DAYS": ["99999", 165],
	"PASS_MIN_DAYS": ["0", 166],
	"PASS_WARN_AGE": ["7", 167],
	"UID_MIN": ["1000", 172],
	"UID_MAX": ["60000", 173],
	"GID_MIN": ["1000", 182],
	"GID_MAX": ["60000", 183],
	"LOGIN_RETRIES": ["5", 199],
	"LOGIN_TIMEOUT": ["60", 204],
	"ENCRYPT_METHOD": ["SHA512", 294],
})

cis_common_auth := [
	pam("auth", "requisite", "pam_faillock.so", ["preauth"], 16),
	pam("auth", "[success=1 default=ignore]", "pam_unix.so", [], 17),
	pam("auth", "[default=die]", "pam_faillock.so", ["authfail"], 18),
	pam("auth", "requisite", "pam_deny.so", [], 19),
	pam("auth", "required", "pam_permit.so", [], 23),
	pam("auth", "optional", "pam_cap.so", [], 25),
]

cis_common_account := array.concat(debian_common_account, [pam("account", "required", "pam_faillock.so", [], 25)])

cis_common_password := [
	pam("password", "requisite", "pam_pwquality.so", ["retry=3"], 25),
	pam("password", "requisite", "pam_pwhistory.so", ["remember=24", "enforce_for_root", "try_first_pass", "use_authtok"], 26),
	pam_unix_password(["obscure", "use_authtok", "try_first_pass", "yescrypt"], 27),
	pam("password", "requisite", "pam_deny.so", [], 29),
	pam("password", "required", "pam_permit.so", [], 33),
]

hardened_defs := defs_at({
	"UMASK": ["027", 151],
	"PASS_MAX_DAYS": ["365", 165],
	"PASS_MIN_DAYS": ["1", 166],
	"PASS_WARN_AGE": ["7", 167],
	"UID_MIN": ["1000", 172],
	"GID_MIN": ["1000", 182],
	"ENCRYPT_METHOD": ["YESCRYPT", 294],
	"YESCRYPT_COST_FACTOR": ["5", 320],
})

hardened_facts.login := login_facts(
	hardened_defs,
	{
		"common-auth": cis_common_auth,
		"common-account": cis_common_account,
		"common-password": cis_common_password,
		"common-session": debian_common_session,
		"sshd": sshd_pam(cis_common_auth, cis_common_account, debian_common_session, cis_common_password),
		"passwd": via(cis_common_password, "/etc/pam.d/passwd:5"),
	},
	{
		"file": pwquality_conf,
		"exists": true,
		"files": [pwquality_dropin, "/etc/security/pwquality.conf.d/50-pwroot.conf", pwquality_conf],
		"settings": {
			"minlen": {"value": "14", "file": pwquality_dropin, "line": 1},
			"enforce_for_root": {"value": "", "file": "/etc/security/pwquality.conf.d/50-pwroot.conf", "line": 1},
		},
	},
	faillock_of({"deny": "5", "unlock_time": "900"}),
)

# A stock Debian 12: libpam-pwquality is not installed, pam_faillock and
# pam_pwhistory are not enabled, faillock.conf is all comments.
debian12_facts.login := login_facts(
	debian_defs,
	{
		"common-auth": debian_common_auth,
		"common-account": debian_common_account,
		"common-password": debian_common_password,
		"common-session": debian_common_session,
		"sshd": sshd_pam(debian_common_auth, debian_common_account, debian_common_session, debian_common_password),
		"passwd": via(debian_common_password, "/etc/pam.d/passwd:5"),
	},
	no_pwquality,
	faillock_of({}),
)

empty_facts.login := {
	"login_defs": {"file": login_defs_path, "exists": false, "settings": {}, "duplicates": {}},
	"pam": {"dir": "/etc/pam.d", "dir_exists": false, "services": {}},
	"pwquality": no_pwquality,
	"faillock": {"file": faillock_conf, "exists": false, "settings": {}},
}

expect.debian12_host["GCL-AUTH-001"] := "fail" # PASS_MAX_DAYS 99999

expect.debian12_host["GCL-AUTH-002"] := "fail" # PASS_MIN_DAYS 0

expect.debian12_host["GCL-AUTH-005"] := "fail" # UMASK 022

expect.debian12_host["GCL-AUTH-006"] := "fail" # no pam_pwquality

expect.debian12_host["GCL-AUTH-007"] := "fail" # no pam_pwquality: no minimum length

expect.debian12_host["GCL-AUTH-008"] := "fail" # no pam_pwquality: nothing enforced

expect.debian12_host["GCL-AUTH-009"] := "fail" # no pam_faillock

expect.debian12_host["GCL-AUTH-010"] := "fail" # no pam_faillock: no lockout

expect.debian12_host["GCL-AUTH-011"] := "fail" # no pam_faillock: no lockout

expect.debian12_host["GCL-AUTH-012"] := "fail" # no pam_pwhistory

expect.debian12_host["GCL-AUTH-013"] := "fail" # nullok in common-auth
