package gcrun.linux.audit.rules_scope_test

import data.gcrun.linux.audit.rules_scope as rule
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
