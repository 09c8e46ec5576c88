package gcrun.linux.files.ssh_host_public_keys_test

import data.gcrun.linux.files.ssh_host_public_keys as rule
import data.gcrun.linux.lib.fixtures as fx

pattern := "/etc/ssh/ssh_host_*_key.pub"

ed25519 := "/etc/ssh/ssh_host_ed25519_key.pub"

rsa := "/etc/ssh/ssh_host_rsa_key.pub"

host(entries) := fx.files_globs(entries, {pattern: [e.path | some e in entries]})

test_pass_0644 if {
	count(rule.deny) == 0 with input as host([fx.file(ed25519, "0644", "root", "root"), fx.file(rsa, "0444", "root", "root")])
}

test_fail_writable if {
	reasons := rule.deny with input as host([fx.file(ed25519, "0644", "root", "root"), fx.file(rsa, "0664", "root", "root")])
	fx.phrases(reasons) == ["/etc/ssh/ssh_host_rsa_key.pub has mode 0664, expected 0644 or stricter (group write not allowed)"]
}

test_fail_owner if {
	fx.codes(rule.deny) == ["owner"] with input as host([fx.file(ed25519, "0644", "bob", "root")])
}

test_fail_symlink if {
	fx.codes(rule.deny) == ["symlink"] with input as host([fx.symlink(ed25519, "/tmp/evil.pub")])
}

test_fail_not_collected if {
	fx.codes(rule.deny) == ["not_collected"] with input as fx.files_globs([], {})
}

test_not_applicable_no_keys if {
	fx.codes(rule.not_applicable) == ["no_match"] with input as host([])
}

test_remediate_each_key if {
	inp := fx.files_globs(
		[fx.file("/etc/ssh/ssh_host_rsa_key.pub", "0664", "root", "root"), fx.file("/etc/ssh/ssh_host_ed25519_key.pub", "0644", "root", "adm")],
		{"/etc/ssh/ssh_host_*_key.pub": ["/etc/ssh/ssh_host_ed25519_key.pub", "/etc/ssh/ssh_host_rsa_key.pub"]},
	)
	rule.remediate == {
		{"type": "file.mode", "path": "/etc/ssh/ssh_host_rsa_key.pub", "mode": "0644"},
		{"type": "file.owner", "path": "/etc/ssh/ssh_host_ed25519_key.pub", "group": "root"},
	} with input as inp
}

test_remediate_none_when_passing if {
	inp := fx.files_globs([fx.file("/etc/ssh/ssh_host_rsa_key.pub", "0644", "root", "root")], {"/etc/ssh/ssh_host_*_key.pub": ["/etc/ssh/ssh_host_rsa_key.pub"]})
	count(rule.remediate) == 0 with input as inp
	count(rule.remediate) == 0 with input as fx.files_globs([], {"/etc/ssh/ssh_host_*_key.pub": []})
}
