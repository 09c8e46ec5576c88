# METADATA
# title: Root is the only account with UID 0
# description: >-
#   UID 0 is root, whatever the account is called: any other name with UID 0
#   is a second, less watched superuser account, often a leftover or a
#   backdoor. Log lines and audits name the account, not the UID, so its
#   actions are easily mistaken for an ordinary user's.
# custom:
#   id: GCL-ACCT-001
#   severity: critical
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.4.2.1"]
#   remediation: >-
#     Give every account other than root its own UID ("usermod -u UID NAME")
#     or remove it ("userdel NAME").
#   tags: [accounts]
package gcrun.linux.accounts.uid0

import data.gcrun.linux.lib.accounts

not_applicable contains reason if some reason in accounts.no_passwd

evidence := {"uid0": input.users.uid0}

deny contains reason if {
	some u in input.users.users
	u.uid == 0
	u.name != "root"
	reason := {
		"code": "uid0",
		"phrase": sprintf("user %s (%s) has UID 0, expected only root", [u.name, accounts.where(u)]),
		"expected": "root",
		"actual": u.name,
		"evidence": accounts.at(u),
	}
}
