package gcrun.linux.files.sshd_config_test

import data.gcrun.linux.files.sshd_config as rule
import data.gcrun.linux.lib.fixtures as fx

conf := "/etc/ssh/sshd_config"

dropins := "/etc/ssh/sshd_config.d/*.conf"

cloud := "/etc/ssh/sshd_config.d/50-cloud-init.conf"

host(entries, matches) := fx.files_globs(entries, {dropins: matches})

test_pass_0600 if {
	count(rule.deny) == 0 with input as host([fx.file(conf, "0600", "root", "root")], [])
	count(rule.not_applicable) == 0 with input as host([fx.file(conf, "0600", "root", "root")], [])
}

test_pass_with_dropin if {
	inp := host([fx.file(conf, "0400", "root", "root"), fx.file(cloud, "0600", "root", "root")], [cloud])
	count(rule.deny) == 0 with input as inp
}

test_fail_debian_default_0644 if {
	reasons := rule.deny with input as host([fx.file(conf, "0644", "root", "root")], [])
	fx.codes(reasons) == ["mode"]
	fx.phrases(reasons) == ["/etc/ssh/sshd_config has mode 0644, expected 0600 or stricter (group read, other read not allowed)"]
}

test_fail_owner if {
	fx.codes(rule.deny) == ["group", "owner"] with input as host([fx.file(conf, "0600", "bob", "adm")], [])
}

test_fail_dropin if {
	inp := host([fx.file(conf, "0600", "root", "root"), fx.file(cloud, "0666", "root", "root")], [cloud])
	reasons := rule.deny with input as inp
	fx.phrases(reasons) == ["/etc/ssh/sshd_config.d/50-cloud-init.conf has mode 0666, expected 0600 or stricter (group read, group write, other read, other write not allowed)"]
}

test_fail_symlink if {
	fx.codes(rule.deny) == ["symlink"] with input as host([fx.symlink(conf, "/srv/sshd_config")], [])
}

test_fail_glob_not_collected if {
	inp := fx.files_globs([fx.file(conf, "0600", "root", "root")], {})
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["not_collected"]
	some r in reasons
	r.evidence.file == dropins
}

test_not_applicable_without_sshd_config if {
	fx.codes(rule.not_applicable) == ["missing"] with input as host([fx.missing_file(conf)], [])
}

test_evidence_lists_dropins if {
	inp := host([fx.file(conf, "0600", "root", "root"), fx.file(cloud, "0600", "root", "root")], [cloud])
	ev := rule.evidence with input as inp
	object.keys(ev) == {conf, cloud}
}

test_remediate_main_file_and_dropins if {
	inp := fx.files_globs(
		[fx.file("/etc/ssh/sshd_config", "0644", "root", "root"), fx.file("/etc/ssh/sshd_config.d/50-cloud.conf", "0600", "bob", "root")],
		{"/etc/ssh/sshd_config.d/*.conf": ["/etc/ssh/sshd_config.d/50-cloud.conf"]},
	)
	rule.remediate == {
		{"type": "file.mode", "path": "/etc/ssh/sshd_config", "mode": "0600"},
		{"type": "file.owner", "path": "/etc/ssh/sshd_config.d/50-cloud.conf", "owner": "root"},
	} with input as inp
}

test_remediate_none_when_passing if {
	inp := fx.files_globs([fx.file("/etc/ssh/sshd_config", "0600", "root", "root")], {"/etc/ssh/sshd_config.d/*.conf": []})
	count(rule.remediate) == 0 with input as inp
	inp2 := fx.files_globs(
		[fx.missing_file("/etc/ssh/sshd_config"), fx.file("/etc/ssh/sshd_config.d/50-cloud.conf", "0644", "root", "root")],
		{"/etc/ssh/sshd_config.d/*.conf": ["/etc/ssh/sshd_config.d/50-cloud.conf"]},
	)
	count(rule.remediate) == 0 with input as inp2
}
