package gcrun.linux.audit.rules_setfacl_test

import data.gcrun.linux.audit.rules_setfacl as rule
import data.gcrun.linux.lib.audit as lib
import data.gcrun.linux.lib.fixtures as fx

test_pass_cis_rules if {
	count(rule.deny) == 0 with input as fx.audit(fx.audit_hardened_rules)
}

test_fail_no_rules if {
	reasons := rule.deny with input as fx.debian12_host
	fx.codes(reasons) == ["executable"]
	some r in reasons
	r.actual == "none"
	contains(r.phrase, "no rules file (/etc/audit/rules.d has no *.rules and /etc/audit/audit.rules does not exist)")
}

test_fail_rules_of_other_controls_only if {
	fx.codes(rule.deny) == ["executable"] with input as fx.audit(fx.audit_without(["perm_chng"]))
}

test_fail_executable_not_audited if {
	rules := [r | some r in fx.audit_hardened_rules; not {"name": "path", "op": "=", "value": "/usr/bin/setfacl"} in r.fields]
	reasons := rule.deny with input as fx.audit(rules)
	fx.phrases(reasons) == ["no always,exit audit rule with a key audits executions of /usr/bin/setfacl by users (auid>=1000, auid set) in /etc/audit/rules.d/*.rules; expected -a always,exit -F path=/usr/bin/setfacl -F perm=x -F auid>=1000 -F auid!=unset -k perm_chng"]
}

test_fail_uid_min_parameter if {
	# The rules start at auid 1000; with interactive users from 500 they
	# miss uids 500 to 999.
	reasons := rule.deny with input as fx.audit(fx.audit_hardened_rules) with data.gcrun.params.audit_uid_min as 500
	count(reasons) == 1
	some r in reasons
	contains(r.expected, "-F auid>=500 -F auid!=unset")
	count(rule.deny) == 0 with input as fx.audit(fx.audit_hardened_rules) with data.gcrun.params.audit_uid_min as 1500
}

test_evidence_matching_rules if {
	ev := rule.evidence with input as fx.audit(fx.audit_hardened_rules)
	ev.source == "/etc/audit/rules.d/*.rules"
	count(ev.matching) > 0
	every m in ev.matching {
		contains(m, "perm_chng")
	}
	count(ev.expected) == 1
}

test_remediate_adds_each_missing_line if {
	inp := fx.audit(fx.audit_without([lib.controls[rule.control].key]))
	want := {{"type": "config.line", "path": "/etc/audit/rules.d/60-gcrun.rules", "line": line, "state": "present"} | some line in lib.expected(rule.control, rule.uid_min)}
	count(want) > 0
	rule.remediate == want with input as inp
	{a.line | some a in rule.remediate} == {r.expected | some r in rule.deny} with input as inp
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.audit(fx.audit_hardened_rules)

	# Without rules.d files, a first one would replace audit.rules.
	count(rule.deny) > 0 with input as fx.debian12_host
	count(rule.remediate) == 0 with input as fx.debian12_host
}

test_remediate_follows_uid_min if {
	inp := fx.audit(fx.audit_without([lib.controls[rule.control].key]))
	actions := rule.remediate with input as inp with data.gcrun.params.audit_uid_min as 500
	count({a | some a in actions; contains(a.line, "auid>=1000")}) == 0
	count({a | some a in actions; contains(a.line, "auid>=500")}) > 0
}
