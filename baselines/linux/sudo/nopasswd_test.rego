package gcrun.linux.sudo.nopasswd_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.sudo.nopasswd as rule

specs := array.concat(fx.sudo_debian12_specs, [
	fx.sudo_spec(["backup"], [fx.sudo_cmd("/usr/local/sbin/backup-now", ["NOPASSWD"]), fx.sudo_cmd("/usr/bin/rsync", ["PASSWD"])], fx.sudo_dropin, 3),
	fx.sudo_spec(["%deploy", "ci"], [fx.sudo_cmd("/usr/bin/systemctl restart app", ["NOPASSWD", "SETENV"])], fx.sudo_dropin, 5),
	fx.sudo_spec(["alice"], [object.union(fx.sudo_cmd("/bin/su", ["NOPASSWD"]), {"negated": true})], fx.sudo_dropin, 7),
])

test_pass_debian12 if {
	count(rule.deny) == 0 with input as {"sudoers": fx.debian12_facts.sudoers}
	rule.evidence == {"nopasswd": [], "allowed": []} with input as {"sudoers": fx.debian12_facts.sudoers}
}

test_fail_nopasswd if {
	reasons := rule.deny with input as fx.sudo_input(fx.sudo_debian12_defaults, specs)
	fx.codes(reasons) == ["nopasswd", "nopasswd"]
	fx.phrases(reasons) == [
		"%deploy,ci may run /usr/bin/systemctl restart app without a password (NOPASSWD in /etc/sudoers.d/50-local:5), expected a password",
		"backup may run /usr/local/sbin/backup-now without a password (NOPASSWD in /etc/sudoers.d/50-local:3), expected a password",
	]
	some r in reasons
	r.evidence == {"file": fx.sudo_dropin, "line": 3, "users": ["backup"], "command": "/usr/local/sbin/backup-now"}
}

test_pass_allowed_accounts if {
	inp := fx.sudo_input(fx.sudo_debian12_defaults, specs)
	count(rule.deny) == 0 with input as inp with data.gcrun.params.sudo_nopasswd_allowed as ["backup", "%deploy", "ci"]
}

test_fail_partly_allowed if {
	# Every user of the specification must be allowed.
	inp := fx.sudo_input(fx.sudo_debian12_defaults, specs)
	reasons := rule.deny with input as inp with data.gcrun.params.sudo_nopasswd_allowed as ["backup", "ci"]
	fx.phrases(reasons) == ["%deploy,ci may run /usr/bin/systemctl restart app without a password (NOPASSWD in /etc/sudoers.d/50-local:5), expected a password"]
}

test_evidence_lists_grants if {
	ev := rule.evidence with input as fx.sudo_input(fx.sudo_debian12_defaults, specs)
	ev.nopasswd == [
		"%deploy,ci: /usr/bin/systemctl restart app (/etc/sudoers.d/50-local:5)",
		"backup: /usr/local/sbin/backup-now (/etc/sudoers.d/50-local:3)",
	]
}

test_not_applicable_without_sudoers if {
	fx.codes(rule.not_applicable) == ["no_sudoers"] with input as fx.sudo_no_sudoers
}
