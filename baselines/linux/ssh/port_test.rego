package gcrun.linux.ssh.port_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.ssh.port as rule

test_pass_22 if {
	count(rule.deny) == 0 with input as fx.sshd({})
	count(rule.deny) == 0 with input as fx.sshd({"listenaddress": ["[::]:22", "0.0.0.0:22"]})
}

test_fail_extra_port if {
	# "Port 22" and "Port 2222" without ListenAddress: sshd -T derives a
	# listener per port and address family.
	inp := fx.sshd_input({"port": ["22", "2222"], "listenaddress": ["[::]:22", "[::]:2222", "0.0.0.0:22", "0.0.0.0:2222"]}, {"port": {"file": "/etc/ssh/sshd_config", "line": 5}}, [])
	reasons := rule.deny with input as inp
	fx.codes(reasons) == ["port", "port"]
	fx.phrases(reasons) == ["sshd listens on 0.0.0.0:2222, port 2222, expected port \"22\"", "sshd listens on [::]:2222, port 2222, expected port \"22\""]
	some r in reasons
	r.actual == 2222
	r.expected == [22]
	r.evidence == {"keyword": "port", "file": "/etc/ssh/sshd_config", "line": 5, "listenaddress": "0.0.0.0:2222"}
}

test_fail_listen_address_port if {
	# A port given in ListenAddress counts, whatever Port says.
	inp := fx.sshd_input({"listenaddress": ["10.0.0.1:2202 rdomain vrf1"]}, {"listenaddress": {"file": "/etc/ssh/sshd_config", "line": 9}}, [])
	reasons := rule.deny with input as inp
	fx.phrases(reasons) == ["sshd listens on 10.0.0.1:2202 rdomain vrf1, port 2202, expected port \"22\""]
	some r in reasons
	r.evidence.keyword == "listenaddress"
	r.evidence.line == 9
}

test_fail_unparsed if {
	fx.codes(rule.deny) == ["listen_address_unparsed"] with input as fx.sshd({"listenaddress": ["localhost"]})
}

test_pass_parameter_ports if {
	inp := fx.sshd({"port": ["2222"], "listenaddress": ["192.0.2.10:2222"]})
	fx.codes(rule.deny) == ["port"] with input as inp
	count(rule.deny) == 0 with input as inp with data.gcrun.params.ssh_ports as [2222]

	# Numeric strings do too (--param 'ssh_ports=["22","2222"]').
	count(rule.deny) == 0 with input as inp with data.gcrun.params.ssh_ports as ["22", "2222"]
	fx.phrases(rule.deny) == ["sshd listens on 192.0.2.10:22, port 22, expected port \"2222\" or \"2223\""] with input as fx.sshd({"listenaddress": ["192.0.2.10:22"]}) with data.gcrun.params.ssh_ports as [2223, 2222]
}

test_match_local_port_is_not_a_listener if {
	# Match LocalPort selects connections by the port they came in on; it
	# does not make sshd listen anywhere.
	blk := object.union(fx.match_block({"passwordauthentication": "no"}), {"criteria": [{"type": "localport", "patterns": ["2222"]}]})
	count(rule.deny) == 0 with input as fx.sshd_input({}, {}, [blk])
}

test_not_applicable_without_sshd if {
	fx.codes(rule.not_applicable) == ["sshd_config_missing"] with input as fx.no_sshd
}
