package gcrun.linux.ssh.moduli_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.moduli as rule

with_moduli(m) := {"sshd": object.union(fx.sshd({}).sshd, {"moduli": m})}

strong := {"path": "/etc/ssh/moduli", "exists": true, "count": 3, "min_bits": 3072, "sizes": {"3071": 2, "4095": 1}}

weak := {"path": "/etc/ssh/moduli", "exists": true, "count": 6, "min_bits": 1536, "sizes": {"1535": 1, "2047": 2, "3071": 3}}

missing := {"path": "/etc/ssh/moduli", "exists": false, "count": 0, "min_bits": 0, "sizes": {}}

test_pass_strong if {
	count(rule.deny) == 0 with input as with_moduli(strong)
	rule.evidence == {"moduli": strong} with input as with_moduli(strong)
}

test_pass_2048_is_enough_by_default if {
	count(rule.deny) == 0 with input as with_moduli(object.union(weak, {"min_bits": 2048, "sizes": {"2047": 2, "3071": 3}}))
}

test_pass_missing_file_uses_builtin_groups if {
	count(rule.deny) == 0 with input as with_moduli(missing)
	rule.evidence == {"moduli": missing} with input as with_moduli(missing)
}

test_fail_not_collected if {
	fx.codes(rule.deny) == ["not_collected"] with input as fx.sshd({})
	rule.evidence == {"moduli": {"collected": false}} with input as fx.sshd({})
}

test_fail_small_moduli if {
	reasons := rule.deny with input as with_moduli(weak)
	fx.codes(reasons) == ["moduli_size"]
	some r in reasons
	r.phrase == "/etc/ssh/moduli holds 1 moduli smaller than 2048 bits (smallest: 1536 bits), expected none"
	r.expected == ">= 2048"
	r.actual == 1536
	r.evidence == {"file": "/etc/ssh/moduli", "min_bits": 1536, "small_sizes": [1535]}
}

test_fail_parameter_3072 if {
	reasons := rule.deny with input as with_moduli(weak) with data.gcrun.params.ssh_min_moduli_bits as 3072
	some r in reasons
	r.phrase == "/etc/ssh/moduli holds 3 moduli smaller than 3072 bits (smallest: 1536 bits), expected none"
	r.evidence.small_sizes == [1535, 2047]
	count(rule.deny) == 0 with input as with_moduli(strong) with data.gcrun.params.ssh_min_moduli_bits as 3072
}

test_fail_parameter_above_builtin_groups if {
	reasons := rule.deny with input as with_moduli(missing) with data.gcrun.params.ssh_min_moduli_bits as 3072
	fx.codes(reasons) == ["moduli_fallback"]
	some r in reasons
	r.phrase == "/etc/ssh/moduli does not exist, so sshd falls back to its built-in groups, the smallest of which has 2048 bits, expected at least 3072"
	r.actual == 2048
	empty := object.union(missing, {"exists": true})
	some r2 in rule.deny with input as with_moduli(empty) with data.gcrun.params.ssh_min_moduli_bits as 3072
	contains(r2.phrase, "holds no modulus")
}

test_match_blocks_ignored if {
	# The moduli file is global: Match blocks cannot change it.
	inp := {"sshd": object.union(fx.sshd_match({"passwordauthentication": "no"}).sshd, {"moduli": strong})}
	count(rule.deny) == 0 with input as inp
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}
