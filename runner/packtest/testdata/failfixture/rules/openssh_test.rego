package acme.rules.openssh_test

import data.acme.rules.openssh

facts(version) := {"installed": {"openssh-server": [{"name": "openssh-server", "version": version}]}}

# These go through gcrun.version_compare: dpkg orders ~ before everything
# and the epoch first.
test_pass_equal if count(openssh.deny) == 0 with input.packages as facts("1:9.2p1-2+deb12u3")

test_pass_newer if count(openssh.deny) == 0 with input.packages as facts("1:9.2p1-2+deb12u10")

test_fail_older if count(openssh.deny) == 1 with input.packages as facts("1:9.2p1-2+deb12u2")

test_fail_tilde if count(openssh.deny) == 1 with input.packages as facts("1:9.2p1-2+deb12u3~bpo1")

test_fail_epoch if count(openssh.deny) == 1 with input.packages as facts("9.9p1-1")

test_parameter_override if {
	count(openssh.deny) == 0 with input.packages as facts("1:9.2p1-2") with data.gcrun.params.acme_openssh_min_version as "1:9.2p1-1"
}

test_not_applicable if count(openssh.not_applicable) == 1 with input.packages as {"installed": {}}
