package gcrun.linux.files.ssh_host_private_keys_test

import data.gcrun.linux.files.ssh_host_private_keys as rule
import data.gcrun.linux.lib.fixtures as fx

pattern := "/etc/ssh/ssh_host_*_key"

ed25519 := "/etc/ssh/ssh_host_ed25519_key"

rsa := "/etc/ssh/ssh_host_rsa_key"

host(entries) := fx.files_globs(entries, {pattern: [e.path | some e in entries]})

test_pass_0600_root if {
	count(rule.deny) == 0 with input as host([fx.file(ed25519, "0600", "root", "root"), fx.file(rsa, "0400", "root", "root")])
	count(rule.not_applicable) == 0 with input as host([fx.file(ed25519, "0600", "root", "root")])
}

test_pass_0640_ssh_key_group if {
	count(rule.deny) == 0 with input as host([fx.file(ed25519, "0640", "root", "ssh_keys")])
	count(rule.deny) == 0 with input as host([fx.file(ed25519, "0640", "root", "_ssh")])
}

test_fail_0640_group_root if {
	reasons := rule.deny with input as host([fx.file(ed25519, "0640", "root", "root")])
	fx.phrases(reasons) == ["/etc/ssh/ssh_host_ed25519_key has mode 0640, expected 0600 or stricter (group read not allowed)"]
}

test_fail_ssh_key_group_too_open if {
	reasons := rule.deny with input as host([fx.file(ed25519, "0660", "root", "ssh_keys")])
	fx.phrases(reasons) == ["/etc/ssh/ssh_host_ed25519_key has mode 0660, expected 0640 or stricter (group write not allowed)"]
}

test_fail_one_reason_per_key if {
	reasons := rule.deny with input as host([fx.file(ed25519, "0644", "root", "root"), fx.file(rsa, "0600", "bob", "adm")])
	fx.codes(reasons) == ["group", "mode", "owner"]
	{r.evidence.file | some r in reasons} == {ed25519, rsa}
	some r in reasons
	r.code == "group"
	r.phrase == `/etc/ssh/ssh_host_rsa_key has group "adm" (1000), expected root or ssh_keys or _ssh or ssh`
}

test_fail_symlink if {
	fx.codes(rule.deny) == ["symlink"] with input as host([fx.symlink(ed25519, "/home/bob/key")])
}

test_fail_not_collected if {
	fx.codes(rule.deny) == ["not_collected"] with input as fx.files_globs([], {})
}

test_not_applicable_no_keys if {
	reasons := rule.not_applicable with input as host([])
	fx.codes(reasons) == ["no_match"]
	fx.phrases(reasons) == ["no SSH host private keys: nothing matches /etc/ssh/ssh_host_*_key"]
}

test_evidence_every_key if {
	ev := rule.evidence with input as host([fx.file(ed25519, "0600", "root", "root"), fx.file(rsa, "0600", "root", "root")])
	object.keys(ev) == {ed25519, rsa}
	ev[rsa].mode == "0600"
}

test_remediate_each_key if {
	inp := fx.files_globs(
		[
			fx.file("/etc/ssh/ssh_host_rsa_key", "0644", "root", "root"),
			fx.file("/etc/ssh/ssh_host_ed25519_key", "0660", "root", "_ssh"),
			fx.file("/etc/ssh/ssh_host_ecdsa_key", "0640", "bob", "users"),
		],
		{"/etc/ssh/ssh_host_*_key": ["/etc/ssh/ssh_host_ecdsa_key", "/etc/ssh/ssh_host_ed25519_key", "/etc/ssh/ssh_host_rsa_key"]},
	)
	rule.remediate == {
		{"type": "file.mode", "path": "/etc/ssh/ssh_host_rsa_key", "mode": "0600"},
		{"type": "file.mode", "path": "/etc/ssh/ssh_host_ed25519_key", "mode": "0640"},
		{"type": "file.mode", "path": "/etc/ssh/ssh_host_ecdsa_key", "mode": "0600"},
		{"type": "file.owner", "path": "/etc/ssh/ssh_host_ecdsa_key", "owner": "root", "group": "root"},
	} with input as inp
}

test_remediate_none_when_passing if {
	inp := fx.files_globs(
		[fx.file("/etc/ssh/ssh_host_rsa_key", "0600", "root", "root"), fx.file("/etc/ssh/ssh_host_ed25519_key", "0640", "root", "_ssh")],
		{"/etc/ssh/ssh_host_*_key": ["/etc/ssh/ssh_host_ed25519_key", "/etc/ssh/ssh_host_rsa_key"]},
	)
	count(rule.remediate) == 0 with input as inp
	count(rule.remediate) == 0 with input as fx.files_globs([], {"/etc/ssh/ssh_host_*_key": []})
}
