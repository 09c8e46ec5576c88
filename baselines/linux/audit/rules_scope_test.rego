package gcrun.linux.audit.rules_scope_test

import data.gcrun.linux.audit.rules_scope as rule
import data.gcrun.linux.lib.audit as lib
import data.gcrun.linux.lib.fixtures as fx

test_pass_cis_rules if {
	count(rule.deny) == 0 with input as fx.audit(fx.audit_hardened_rules)
}

test_fail_no_rules if {
	reasons := rule.deny with input as fx.debian12_host
	fx.codes(reasons) == ["watch", "watch"]
	some r in reasons
	r.actual == "none"
	contains(r.phrase, "no rules file (/etc/audit/rules.d has no *.rules and /etc/audit/audit.rules does not exist)")
}

test_fail_rules_of_other_controls_only if {
	fx.codes(rule.deny) == ["watch", "watch"] with input as fx.audit(fx.audit_without(["scope"]))
}

test_fail_one_watch_missing if {
	rules := [r | some r in fx.audit_hardened_rules; not trim_right(object.get(r, "path", ""), "/") == "/etc/sudoers"]
	reasons := rule.deny with input as fx.audit(rules)
	fx.phrases(reasons) == ["no audit rule watches /etc/sudoers for writes and attribute changes in /etc/audit/rules.d/*.rules; expected -w /etc/sudoers -p wa -k scope"]
}

test_fail_watch_without_write_or_key if {
	rules := [fx.audit_w("60-test.rules", 1, "-w /etc/sudoers -p ra -k scope", "/etc/sudoers", "ra", ["scope"]), fx.audit_w("60-test.rules", 2, "-w /etc/sudoers", "/etc/sudoers", "rwxa", [])]
	others := [r | some r in fx.audit_hardened_rules; not trim_right(object.get(r, "path", ""), "/") == "/etc/sudoers"]
	fx.codes(rule.deny) == ["watch"] with input as fx.audit(array.concat(others, rules))
}

test_evidence_matching_rules if {
	ev := rule.evidence with input as fx.audit(fx.audit_hardened_rules)
	ev.source == "/etc/audit/rules.d/*.rules"
	count(ev.matching) > 0
	every m in ev.matching {
		contains(m, "scope")
	}
	count(ev.expected) == 2
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

test_remediate_scope_lines if {
	rules := [r | some r in fx.audit_hardened_rules; not trim_right(object.get(r, "path", ""), "/") == "/etc/sudoers"]
	rule.remediate == {{"type": "config.line", "path": "/etc/audit/rules.d/60-gcrun.rules", "line": "-w /etc/sudoers -p wa -k scope", "state": "present"}} with input as fx.audit(rules)
}
