package gcrun.linux.ssh.listen_address_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.listen_address as rule

test_pass_specific_addresses if {
	count(rule.deny) == 0 with input as fx.sshd({"listenaddress": ["192.0.2.10:22", "[2001:db8::10]:22", "10.0.0.1:2202 rdomain vrf1", "host.example:22"]})
}

test_fail_default_wildcards if {
	# No ListenAddress: sshd -T derives the wildcards from Port.
	reasons := rule.deny with input as fx.sshd({"listenaddress": ["[::]:22", "0.0.0.0:22"]})
	fx.codes(reasons) == ["listen_address", "listen_address"]
	fx.phrases(reasons) == [
		"sshd listens on 0.0.0.0:22, every IPv4 address of the host, expected specific addresses (ListenAddress)",
		"sshd listens on [::]:22, every IPv6 address of the host, expected specific addresses (ListenAddress)",
	]
	some r in reasons
	r.actual == "0.0.0.0:22"
	r.evidence == {"keyword": "port", "default": true, "listenaddress": "0.0.0.0:22"}
}

test_fail_explicit_wildcard if {
	inp := fx.sshd_input({"listenaddress": ["192.0.2.10:22", "0.0.0.0:22"]}, {"listenaddress": {"file": "/etc/ssh/sshd_config", "line": 3}}, [])
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["listen_address"]
	some r in reasons
	r.evidence == {"keyword": "listenaddress", "file": "/etc/ssh/sshd_config", "line": 3, "listenaddress": "0.0.0.0:22"}
}

test_fail_unparsed if {
	fx.codes(rule.deny) == ["listen_address_unparsed"] with input as fx.sshd({"listenaddress": ["0.0.0.0"]})
}

test_match_local_address_is_not_a_listener if {
	# Match LocalAddress selects connections; it does not narrow where sshd
	# listens.
	blk := object.union(fx.match_block({"passwordauthentication": "no"}), {"criteria": [{"type": "localaddress", "patterns": ["192.0.2.10"]}]})
	fx.codes(rule.deny) == ["listen_address"] with input as fx.sshd_input({"listenaddress": ["0.0.0.0:22"]}, {}, [blk])
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}
