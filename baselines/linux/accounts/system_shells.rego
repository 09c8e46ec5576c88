# METADATA
# title: System accounts have no login shell (parameter accounts_system_login_shell_allowed)
# description: >-
#   System accounts (UID below UID_MIN, and nobody) run services; nobody
#   should log in as them. With a login shell, a service account whose
#   password or key leaks, or that a misconfigured service lets in, gives
#   an interactive session. Their shell should be nologin.
# custom:
#   id: GCL-ACCT-015
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.4.2.7"]
#   remediation: >-
#     Run "usermod -s /usr/sbin/nologin NAME" for each account listed.
#   tags: [accounts]
package gcrun.linux.accounts.system_shells

import data.gcrun.linux.lib.accounts

not_applicable contains reason if some reason in accounts.no_passwd

# Parameter accounts_system_login_shell_allowed: system accounts that may
# keep a login shell (CIS: root, halt, sync, shutdown, nfsnobody).
allowed := data.gcrun.params.accounts_system_login_shell_allowed

# system(u) holds for system accounts: UID below UID_MIN, and the overflow
# UID 65534 (nobody), as CIS counts them.
system(u) if u.system == true

system(u) if u.uid == 65534

evidence := {
	"uid_min": input.users.uid_min.value,
	"system_accounts_with_login_shell": sort([u.name | some u in input.users.users; system(u); u.shell_is_login == true]),
	"allowed": allowed,
}

deny contains reason if {
	some u in input.users.users
	system(u)
	u.shell_is_login == true
	not u.name in allowed
	reason := {
		"code": "system_login_shell",
		"phrase": sprintf("system account %s (UID %d, %s) has login shell %q, expected nologin", [u.name, u.uid, accounts.where(u), shell(u)]),
		"expected": "/usr/sbin/nologin",
		"actual": u.shell,
		"evidence": object.union(accounts.at(u), {"uid": u.uid, "shell": u.shell}),
	}
}

# shell(u) is the shell a login gets: /bin/sh when the field is empty.
shell(u) := u.shell if {
	u.shell != ""
} else := "/bin/sh (empty shell field)"
