package gcrun.linux.ssh.x11_use_localhost_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.x11_use_localhost as rule

# x11(config) is the hardened configuration with X11 forwarding on.
x11(config) := fx.sshd(object.union({"x11forwarding": "yes", "disableforwarding": "no"}, config))

test_pass_yes if {
	count(rule.deny) == 0 with input as x11({"x11uselocalhost": "yes"})
	count(rule.not_applicable) == 0 with input as x11({"x11uselocalhost": "yes"})
}

test_fail_no if {
	inp := fx.sshd_input({"x11forwarding": "yes", "disableforwarding": "no", "x11uselocalhost": "no"}, {"x11uselocalhost": {"file": "/etc/ssh/sshd_config", "line": 44}}, [])
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["x11_use_localhost"]
	fx.phrases(reasons) == [`X11UseLocalhost is "no", expected "yes"`]
	some r in reasons
	r.evidence == {"keyword": "x11uselocalhost", "file": "/etc/ssh/sshd_config", "line": 44}
}

test_match_block_binds_display_to_network if {
	inp := fx.sshd_input({"x11forwarding": "yes", "disableforwarding": "no"}, {}, [fx.match_block({"x11uselocalhost": "no"})])
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["x11_use_localhost_in_match"]
	some r in reasons
	r.phrase == concat("", [`X11UseLocalhost is "no"`, fx.match_where, `, expected "yes"`])
	r.evidence.match_criteria == fx.match_criteria
}

test_match_block_enables_x11_forwarding if {
	# X11 forwarding is off globally but on for the block's connections.
	inp := fx.sshd_input({"x11uselocalhost": "no"}, {}, [fx.match_block({"x11forwarding": "yes", "disableforwarding": "no"})])
	count(rule.not_applicable) == 0 with input as inp
	fx.codes(rule.deny) == ["x11_use_localhost"] with input as inp
}

test_not_applicable_while_x11_forwarding_off if {
	# The hardened configuration: X11Forwarding no and DisableForwarding yes.
	fx.codes(rule.not_applicable) == ["x11_forwarding_off"] with input as fx.sshd({"x11uselocalhost": "no"})

	# DisableForwarding yes overrides X11Forwarding yes.
	fx.codes(rule.not_applicable) == ["x11_forwarding_off"] with input as fx.sshd({"x11forwarding": "yes", "disableforwarding": "yes"})
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}

test_remediate_where_set if {
	inp := fx.sshd_input({"x11forwarding": "yes", "disableforwarding": "no", "x11uselocalhost": "no"}, {"x11uselocalhost": {"file": fx.dropin_file, "line": 3}}, [])
	rule.remediate == {{"type": "config.set", "path": fx.dropin_file, "format": "sshd", "key": "X11UseLocalhost", "value": "yes"}} with input as inp
}

test_remediate_default_in_sshd_config if {
	rule.remediate == {{"type": "config.set", "path": "/etc/ssh/sshd_config", "format": "sshd", "key": "X11UseLocalhost", "value": "yes"}} with input as fx.sshd({"x11forwarding": "yes", "disableforwarding": "no", "x11uselocalhost": "no"})
}

test_remediate_none_when_passing if {
	count(rule.remediate) == 0 with input as fx.sshd({"x11forwarding": "yes", "disableforwarding": "no", "x11uselocalhost": "yes"})
	count(rule.remediate) == 0 with input as fx.no_sshd
}

test_remediate_match_block_is_manual if {
	inp := fx.sshd_input({"x11forwarding": "yes", "disableforwarding": "no", "x11uselocalhost": "yes"}, {}, [fx.match_block({"x11uselocalhost": "no"})])
	count(rule.deny) == 1 with input as inp
	count(rule.remediate) == 0 with input as inp
}

test_remediate_none_when_not_applicable if {
	inp := fx.sshd({"x11forwarding": "no", "x11uselocalhost": "no"})
	count(rule.not_applicable) > 0 with input as inp
	count(rule.remediate) == 0 with input as inp
}
