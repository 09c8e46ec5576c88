package gcrun.linux.lib.services_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.lib.services

bind9 := {"systemd": object.union(fx.svc_units({"named.service": "enabled"}).systemd, {"units": {"bind9.service": fx.svc_alias("bind9.service", "named.service")}})}

test_pass_checked_resolves_aliases if {
	services.checked(["bind9.service"]) == {"bind9.service", "named.service"} with input as bind9
	services.checked(["bind9.service", "other.service"]) == {"bind9.service", "named.service", "other.service"} with input as bind9
}

test_fail_alias_target_in_use if {
	reasons := services.forbidden(["bind9.service"], [], "why") with input as bind9
	fx.phrases(reasons) == ["named.service is enabled (wanted by multi-user.target), expected not enabled: why"]
}

test_pass_in_use_states if {
	services.in_use("a.service") with input as fx.svc_units({"a.service": "enabled"})
	services.in_use("a.service") with input as fx.svc_units({"a.service": "enabled-runtime"})
	not services.in_use("a.service") with input as fx.svc_units({"a.service": "static"})
	not services.in_use("a.service") with input as fx.svc_units({"a.service": "indirect"})
	not services.in_use("a.service") with input as fx.svc_units({"a.service": "linked"})
	not services.in_use("a.service") with input as fx.svc_units({"b.service": "enabled"})
}

test_pass_allowed_with_or_without_suffix if {
	services.allowed("cups.socket", ["cups"])
	services.allowed("cups.socket", ["cups.socket"])
	not services.allowed("cups.socket", ["cups.service"])
	not services.allowed("cups-browsed.service", ["cups"])
	services.allowed("getty@tty1.service", ["getty@tty1"])
}

test_pass_where if {
	services.where(fx.svc_unit("a.service", "enabled")) == " (wanted by multi-user.target)"
	services.where(fx.svc_unit("a.service", "disabled")) == ""
}

test_not_applicable_no_systemd if {
	fx.codes(services.no_systemd) == ["no_systemd"] with input as fx.svc_no_systemd
	count(services.no_systemd) == 0 with input as fx.svc_units({})
}

test_pass_hosts if {
	# The fixture hosts are consistent with the collector's rules.
	every n, u in fx.debian12_facts.systemd.units {
		u.name == n
	}
	fx.debian12_facts.systemd.units["sshd.service"].alias_of == "ssh.service"
	fx.hardened_facts.systemd.units["auditd.service"].state == "enabled"
}
