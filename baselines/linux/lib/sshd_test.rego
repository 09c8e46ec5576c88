package gcrun.linux.lib.sshd_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.lib.sshd

test_criteria_as_written if {
	sshd.criteria(fx.match_block({})) == "User alice,!bob Address 10.0.0.0/8"
	sshd.criteria({"criteria": [{"type": "all", "patterns": []}]}) == "All"
	sshd.criteria({"criteria": [{"type": "localport", "patterns": ["2222"]}, {"type": "rdomain", "patterns": ["mgmt"]}]}) == "LocalPort 2222 RDomain mgmt"
}

test_source_set_and_default if {
	inp := fx.sshd_set({"permitrootlogin": "no"}, 33)
	sshd.source("permitrootlogin") == {"keyword": "permitrootlogin", "file": "/etc/ssh/sshd_config", "line": 33} with input as inp
	sshd.source("maxauthtries") == {"keyword": "maxauthtries", "default": true} with input as inp
}

test_settings_global_and_every_match_block if {
	blocks := [
		fx.match_block({"permitrootlogin": "yes"}),
		object.union(fx.match_block({"x11forwarding": "yes"}), {"line": 130}),
		object.union(object.remove(fx.match_block({"permitrootlogin": "no"}), ["sources"]), {"line": 140}),
	]
	settings := sshd.settings("permitrootlogin") with input as fx.sshd_input({}, {}, blocks)
	count(settings) == 3
	{[s.scope, s.value] | some s in settings} == {["global", "no"], ["match", "yes"], ["match", "no"]}

	# A block without a source for the keyword points at the block itself.
	some s in settings
	s.value == "no"
	s.scope == "match"
	s.evidence.line == 140
	s.evidence.match_line == 140
}

test_settings_without_sshd_config if {
	count(sshd.settings("permitrootlogin")) == 0 with input as fx.no_sshd
	sshd.evidence(["permitrootlogin"]) == {} with input as fx.no_sshd
}

test_not_installed_only_when_facts_say_so if {
	count(sshd.not_installed) == 1 with input as fx.no_sshd
	count(sshd.not_installed) == 0 with input as fx.sshd({})

	# A failed collector (no sshd key) is not "not installed": the engine
	# reports the rule as an error instead.
	count(sshd.not_installed) == 0 with input as {}
}

test_algorithms_parsing if {
	sshd.algorithms("a,b, c") == ["a", "b", "c"]
	sshd.algorithms("+a,b") == ["a", "b"]
	sshd.algorithms("^a") == ["a"]
	sshd.algorithms("-a,b") == []
	sshd.algorithms("") == []
}

test_forwarding_scopes if {
	# Global on, Match block turns DisableForwarding on for its users: only
	# the global setting is reported.
	inp := fx.sshd_input({"x11forwarding": "yes", "disableforwarding": "no"}, {}, [fx.match_block({"disableforwarding": "yes"})])
	[s.scope | some s in sshd.forwarding("x11forwarding")] == ["global"] with input as inp
}

test_codes_per_scope if {
	sshd.code("banner", {"scope": "global"}) == "banner"
	sshd.code("banner", {"scope": "match"}) == "banner_in_match"
}

test_one_of if {
	sshd.one_of([]) == "nothing (the list is empty)"
	sshd.one_of(["A"]) == `"A"`
	sshd.one_of(["A", "B"]) == `"A" or "B"`
	sshd.one_of(["A", "B", "C"]) == `"A", "B" or "C"`
}

test_listener if {
	sshd.listener("0.0.0.0:22") == {"entry": "0.0.0.0:22", "address": "0.0.0.0", "port": 22}
	sshd.listener("[::]:2222") == {"entry": "[::]:2222", "address": "::", "port": 2222}
	sshd.listener("[2001:db8::1]:22") == {"entry": "[2001:db8::1]:22", "address": "2001:db8::1", "port": 22}
	sshd.listener("10.0.0.1:2202 rdomain vrf1").port == 2202
	not sshd.listener("localhost")
}

test_listen_source if {
	sshd.listen_source == {"keyword": "port", "default": true} with input as fx.sshd({})
	inp := fx.sshd_set({"listenaddress": ["192.0.2.10:22"]}, 4)
	sshd.listen_source == {"keyword": "listenaddress", "file": "/etc/ssh/sshd_config", "line": 4} with input as inp
}

test_unused if {
	fx.codes(sshd.unused("kerberos_authentication", "kerberosauthentication", "KerberosAuthentication", "why")) == ["kerberos_authentication_off"] with input as fx.sshd({})

	# On in the global section or in a Match block: the rule applies.
	count(sshd.unused("kerberos_authentication", "kerberosauthentication", "KerberosAuthentication", "why")) == 0 with input as fx.sshd({"kerberosauthentication": "yes"})
	count(sshd.unused("kerberos_authentication", "kerberosauthentication", "KerberosAuthentication", "why")) == 0 with input as fx.sshd_match({"kerberosauthentication": "yes"})

	# Without sshd_config, not_installed says why already.
	count(sshd.unused("kerberos_authentication", "kerberosauthentication", "KerberosAuthentication", "why")) == 0 with input as fx.no_sshd
}

test_match_evidence_has_criteria if {
	ev := sshd.match_source(fx.match_block({"permitrootlogin": "yes"}), "permitrootlogin")
	ev == {
		"keyword": "permitrootlogin",
		"file": "/etc/ssh/sshd_config",
		"line": 121,
		"match": "User alice,!bob Address 10.0.0.0/8",
		"match_criteria": fx.match_criteria,
		"match_file": "/etc/ssh/sshd_config",
		"match_line": 120,
	}
}

test_setting_file_where_set_or_main_file if {
	inp := fx.sshd_input({"permitrootlogin": "yes"}, {"permitrootlogin": {"file": fx.dropin_file, "line": 3}}, [])
	sshd.setting_file("permitrootlogin") == fx.dropin_file with input as inp
	sshd.setting_file("maxauthtries") == "/etc/ssh/sshd_config" with input as inp
}

test_set_undefined_for_match_all_value if {
	all_block := fx.block([{"type": "all", "patterns": []}], fx.dropin_file, 20, {"permitrootlogin": "yes"})
	inp := fx.sshd_input({"permitrootlogin": "yes"}, {"permitrootlogin": {"file": fx.dropin_file, "line": 21}}, [all_block])
	not sshd.set("permitrootlogin", "PermitRootLogin", "no") with input as inp
	not sshd.set("permitrootlogin", "PermitRootLogin", "no") with input as fx.no_sshd
	sshd.set("maxauthtries", "MaxAuthTries", "4") == {"type": "config.set", "path": "/etc/ssh/sshd_config", "format": "sshd", "key": "MaxAuthTries", "value": "4"} with input as inp
}

test_fix_algorithms_keeps_order_and_refuses_empty if {
	inp := fx.sshd({"ciphers": "aes128-cbc,aes256-ctr,3des-cbc,aes128-ctr"})
	sshd.fix_algorithms("ciphers", "Ciphers", {"aes128-ctr", "aes256-ctr"}) == {{"type": "config.set", "path": "/etc/ssh/sshd_config", "format": "sshd", "key": "Ciphers", "value": "aes256-ctr,aes128-ctr"}} with input as inp
	count(sshd.fix_algorithms("ciphers", "Ciphers", {"chacha20-poly1305@openssh.com"})) == 0 with input as inp
	count(sshd.fix_algorithms("ciphers", "Ciphers", {"aes128-cbc", "aes256-ctr", "3des-cbc", "aes128-ctr"})) == 0 with input as inp
}
