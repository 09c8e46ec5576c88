package gcrun.linux.lib.cron_test

import data.gcrun.linux.lib.cron
import data.gcrun.linux.lib.fixtures as fx

test_pass_effective_follows_symlinks if {
	target := fx.cron_file("/srv/crontab", "0600", "root", "root")
	cron.effective(fx.cron_link("/etc/crontab", target)) == target
	cron.effective(target) == target
}

test_pass_installed if {
	cron.installed(["/usr/bin/crontab"]) with input as {"cron": fx.debian12_facts.cron}
	not cron.installed(["/usr/bin/at"]) with input as {"cron": fx.debian12_facts.cron}
	cron.not_installed(["/usr/bin/at", "/usr/sbin/atd"], "at").code == "not_installed" with input as {"cron": fx.debian12_facts.cron}
	not cron.not_installed(["/usr/bin/crontab"], "cron") with input as {"cron": fx.debian12_facts.cron}
}

test_fail_permissions_mask if {
	# 0o600 is 384: execute and group bits fail it, fewer bits pass.
	inp := fx.cron_with({"/etc/crontab": fx.cron_file("/etc/crontab", "0700", "root", "root")})
	fx.codes(cron.permissions("/etc/crontab", 384, ["root"], ["root"])) == ["mode"] with input as inp
	inp2 := fx.cron_with({"/etc/crontab": fx.cron_file("/etc/crontab", "0400", "root", "root")})
	cron.permissions("/etc/crontab", 384, ["root"], ["root"]) == set() with input as inp2
}

test_pass_octal_fixture if {
	fx.cron_octal("0640") == 416
	fx.cron_octal("1730") == 984
	fx.cron_octal("6755") == 3565
}

test_pass_evidence_missing if {
	cron.evidence("/etc/cron.yearly") == {"path": "/etc/cron.yearly", "exists": false} with input as {"cron": fx.empty_facts.cron}
}

test_fail_allow_deny_missing_allow if {
	inp := {"cron": fx.debian12_facts.cron}
	fx.codes(cron.allow_deny("/etc/cron.allow", "/etc/cron.deny", ["root"])) == ["allow_missing"] with input as inp
}
