package gcrun.linux.audit.immutable_test

import data.gcrun.linux.audit.immutable as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_e2_last if {
	count(rule.deny) == 0 with input as fx.hardened_host
	ev := rule.evidence with input as fx.hardened_host
	ev.enable == ["/etc/audit/rules.d/99-finalize.rules:1: -e 2"]
}

test_fail_later_e1 if {
	rules := array.concat(fx.audit_hardened_rules, [fx.audit_c("99-zz.rules", 3, "-e 1", "-e", "1")])
	reasons := rule.deny with input as fx.audit(rules)
	fx.phrases(reasons) == ["the last -e rule of /etc/audit/rules.d/*.rules is -e 1 (/etc/audit/rules.d/99-zz.rules:3), expected -e 2"]
}

test_fail_no_e if {
	rules := [r | some r in fx.audit_hardened_rules; r.op != "-e"]
	fx.codes(rule.deny) == ["no_enable"] with input as fx.audit(rules)
	fx.codes(rule.deny) == ["no_enable"] with input as fx.debian12_host
}
