package gcrun.linux.lib.modules_test

import data.gcrun.linux.lib.fixtures as fx
import data.gcrun.linux.lib.modules

patterns := {"kernel_modules": object.union(fx.kmod_facts(fx.kmod_available, [], [], null), {"install": {
	"c[a-z]amfs": [{"command": "/bin/true", "file": "/etc/modprobe.d/a.conf", "line": 1, "order": 0}],
	"cramfs": [
		{"command": "/sbin/modprobe --ignore-install cramfs", "file": "/etc/modprobe.d/b.conf", "line": 1, "order": 1},
		{"command": "/bin/false", "file": "/etc/modprobe.d/b.conf", "line": 2, "order": 2},
	],
	"udf": [{"command": "  /usr/bin/false  --quiet", "file": "/etc/modprobe.d/b.conf", "line": 3, "order": 3}],
	"sctp": [{"command": "/bin/echo no", "file": "/etc/modprobe.d/b.conf", "line": 4, "order": 4}],
}})}

test_install_first_matching_line_wins if {
	line := modules.install("cramfs") with input as patterns
	line.file == "/etc/modprobe.d/a.conf"
	modules.disables(line)
}

test_install_pattern_and_exact if {
	not modules.install("hfs") with input as patterns
	modules.install("cxamfs").command == "/bin/true" with input as patterns
}

test_disables_first_word_only if {
	modules.disables(modules.install("udf")) with input as patterns
	not modules.disables(modules.install("sctp")) with input as patterns
}

test_deny_reasons_on_other_command if {
	reasons := modules.deny_reasons("sctp") with input as patterns
	fx.codes(reasons) == ["not_blacklisted", "not_disabled"]
}
