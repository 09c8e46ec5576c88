package acme.banners.motd_policy_test

import data.acme.banners.motd_policy as rule

motd(content) := {"banners": {"files": {"/etc/motd": {
	"path": "/etc/motd", "exists": true, "type": "file",
	"mode": "0644", "uid": 0, "gid": 0, "owner": "root", "group": "root",
	"content": content, "truncated": false, "escapes": [],
}}}}

codes(reasons) := sort([r.code | some r in reasons])

test_pass_mentions_policy if {
	inp := motd("Welcome to Acme.\nUse is subject to the Acme Acceptable-Use Policy.\n")
	count(rule.deny) == 0 with input as inp
	rule.evidence.policy_lines == [2] with input as inp
}

test_pass_other_spelling if {
	count(rule.deny) == 0 with input as motd("see our acceptable use policy\n")
}

test_fail_no_mention if {
	reasons := rule.deny with input as motd("Welcome to Acme.\n")
	codes(reasons) == ["no_policy_notice"]
	some r in reasons
	r.phrase == `/etc/motd does not mention the acceptable-use policy (no line matches "(?i)acceptable[- ]use policy"), expected a line that does`
	r.evidence == {"file": "/etc/motd"}
}

test_fail_truncated if {
	inp := json.patch(motd("Welcome\n"), [{"op": "replace", "path": "/banners/files/~1etc~1motd/truncated", "value": true}])
	some r in rule.deny with input as inp
	endswith(r.phrase, "in its first 8 bytes, expected a line that does")
}

test_fail_missing if {
	inp := {"banners": {"files": {"/etc/motd": {"path": "/etc/motd", "exists": false}}}}
	codes(rule.deny) == ["missing"] with input as inp
}

test_fail_not_collected if {
	codes(rule.deny) == ["not_collected"] with input as {"banners": {"files": {}}}
}

test_fail_directory if {
	inp := {"banners": {"files": {"/etc/motd": {"path": "/etc/motd", "exists": true, "type": "directory"}}}}
	codes(rule.deny) == ["not_a_file"] with input as inp
}

test_parameter_pattern if {
	inp := motd("Usage governed by https://aup.acme.example\n")
	codes(rule.deny) == ["no_policy_notice"] with input as inp
	count(rule.deny) == 0 with input as inp with data.gcrun.params.acme_motd_policy_pattern as `aup\.acme\.example`
}
