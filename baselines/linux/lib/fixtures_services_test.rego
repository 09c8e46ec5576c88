# Systemd facts for the fixture hosts and the service rule tests (a
# _test.rego file, so the engine never loads it). Inputs follow
# docs/facts/systemd.md.
package gcrun.linux.lib.fixtures

svc_lib := "/lib/systemd/system/"

svc_search_path := ["/etc/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system"]

# svc_wants_dir(state) is where a unit in that state is linked.
svc_wants_dir(state) := "/run/systemd/system/multi-user.target.wants/" if state == "enabled-runtime"

else := "/etc/systemd/system/multi-user.target.wants/"

# svc_unit(name, state) is a unit in /lib/systemd/system with the given
# state; enabled ones are wanted by multi-user.target, masked ones are
# links to /dev/null in /etc/systemd/system.
svc_unit(name, state) := {
	"name": name,
	"path": svc_path(name, state),
	"fragment_path": svc_path(name, state),
	"state": state,
	"wanted_by": svc_wanted_by(state),
	"required_by": [],
	"links": [concat("", [svc_wants_dir(state), name]) | some _ in svc_wanted_by(state)],
	"install": {"wanted_by": svc_install(state), "required_by": [], "also": [], "alias": []},
	"drop_ins": [],
}

svc_path(name, "masked") := concat("", ["/etc/systemd/system/", name])

svc_path(name, state) := concat("", [svc_lib, name]) if state != "masked"

svc_wanted_by(state) := ["multi-user.target"] if startswith(state, "enabled")

else := []

svc_install(state) := [] if state in {"static", "masked"}

else := ["multi-user.target"]

# svc_alias(name, of) is an alias symlink in /etc/systemd/system.
svc_alias(name, of) := {
	"name": name,
	"path": concat("", ["/etc/systemd/system/", name]),
	"fragment_path": concat("", [svc_lib, of]),
	"state": "alias",
	"alias_of": of,
	"wanted_by": [],
	"required_by": [],
	"links": [],
	"install": {"wanted_by": ["multi-user.target"], "required_by": [], "also": [], "alias": [name]},
	"drop_ins": [],
}

# svc_units(states) is an input whose systemd collector saw the units
# (name to state).
svc_units(states) := {"systemd": {
	"exists": true,
	"search_path": svc_search_path,
	"default_target": "graphical.target",
	"units": {n: svc_unit(n, s) | some n, s in states},
}}

# svc_no_systemd is the input of a root without systemd unit directories.
svc_no_systemd := {"systemd": {"exists": false, "search_path": [], "default_target": "", "units": {}}}

# svc_debian12_states are the units of a stock Debian 12 server (netinst,
# "SSH server" and "standard system utilities") that the rules look at or
# that show each state.
svc_debian12_states := {
	"apt-daily.service": "static",
	"apt-daily.timer": "enabled",
	"apt-daily-upgrade.timer": "enabled",
	"cron.service": "enabled",
	"dbus.service": "static",
	"dpkg-db-backup.timer": "enabled",
	"e2scrub_all.timer": "enabled",
	"e2scrub_reap.service": "enabled",
	"fstrim.timer": "enabled",
	"getty@.service": "enabled",
	"getty@tty1.service": "enabled",
	"graphical.target": "static",
	"logrotate.timer": "enabled",
	"man-db.timer": "enabled",
	"multi-user.target": "static",
	"networking.service": "enabled",
	"ssh.service": "enabled",
	"ssh.socket": "disabled",
	"systemd-journald.service": "static",
	"systemd-networkd.service": "disabled",
	"systemd-pstore.service": "enabled",
	"systemd-sysctl.service": "static",
	"systemd-timesyncd.service": "enabled",
}

svc_debian12_aliases := {
	"sshd.service": "ssh.service",
	"dbus-org.freedesktop.timesync1.service": "systemd-timesyncd.service",
	"procps.service": "systemd-sysctl.service",
	"default.target": "graphical.target",
}

debian12_facts["systemd"] := object.union(svc_units(svc_debian12_states).systemd, {"units": {n: svc_alias(n, of) | some n, of in svc_debian12_aliases}})

# The hardened server uses chrony (which replaces systemd-timesyncd),
# rsyslog and auditd, boots to multi-user.target, and keeps avahi (pulled
# in as a dependency) masked.
svc_hardened_states := object.union(
	object.remove(svc_debian12_states, ["systemd-timesyncd.service"]),
	{
		"auditd.service": "enabled",
		"avahi-daemon.service": "masked",
		"avahi-daemon.socket": "masked",
		"chrony.service": "enabled",
		"rsyslog.service": "enabled",
	},
)

hardened_facts["systemd"] := object.union(svc_units(svc_hardened_states).systemd, {
	"default_target": "multi-user.target",
	"units": {
		"sshd.service": svc_alias("sshd.service", "ssh.service"),
		"chronyd.service": svc_alias("chronyd.service", "chrony.service"),
		"syslog.service": svc_alias("syslog.service", "rsyslog.service"),
	},
})

empty_facts["systemd"] := svc_no_systemd.systemd
