package gcrun.linux.lib.logging_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.lib.logging

test_octal if {
	logging.octal("0640") == 416
	logging.octal("644") == 420
	not logging.octal("0800")
	not logging.octal("")
}

test_rsyslog_used_needs_the_package_where_dpkg_says if {
	logging.rsyslog_used with input as fx.hardened_host
	not logging.rsyslog_used with input as object.union(object.remove(fx.hardened_host, ["packages"]), fx.packages([]))
	not logging.rsyslog_used with input as fx.debian12_host

	# No dpkg database (another distribution, an image): the configuration
	# decides.
	logging.rsyslog_used with input as object.union(fx.hardened_host, fx.no_dpkg)
}

test_journald_value_default_empty if {
	logging.journald_value("Storage") == "" with input as fx.debian12_host
	logging.journald_value("Storage") == "persistent" with input as fx.hardened_host
}
