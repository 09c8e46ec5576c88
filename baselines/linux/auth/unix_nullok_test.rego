package gcrun.linux.auth.unix_nullok_test

import data.gcrun.linux.auth.unix_nullok as rule
import data.gcrun.linux.lib.fixtures as fx

test_pass_hardened if {
	count(rule.deny) == 0 with input as fx.hardened_host
}

test_fail_debian_common_auth if {
	reasons := rule.deny with input as fx.debian12_host
	fx.phrases(reasons) == ["pam_unix.so has argument nullok (service common-auth, /etc/pam.d/common-auth:17), expected no nullok"]
	some r in reasons
	r.evidence == {"service": "common-auth", "file": "/etc/pam.d/common-auth", "line": 17, "module": "pam_unix.so", "via": [], "type": "auth"}
}

test_fail_password_and_prefix if {
	# pam_unix matches its options by prefix: nullok_secure sets nullok.
	inp := fx.pam_password([fx.pam_unix_password(["nullok_secure", "yescrypt"], 25)])
	fx.codes(rule.deny) == ["nullok"] with input as inp
}

test_pass_nullresetok if {
	count(rule.deny) == 0 with input as fx.pam_password([fx.pam_unix_password(["nullresetok", "yescrypt"], 25)])
}

test_fail_parameter_services if {
	inp := fx.pam_services({"system-auth": [fx.pam("auth", "sufficient", "pam_unix.so", ["nullok"], 3)]})
	count(rule.deny) == 0 with input as inp
	fx.codes(rule.deny) == ["nullok"] with input as inp with data.gcrun.params.auth_pam_auth_services as ["system-auth"]
	fx.codes(rule.deny) == ["nullok"] with input as inp with data.gcrun.params.auth_pam_password_services as ["system-auth"]
}

test_not_applicable_without_pam if {
	fx.phrases(rule.not_applicable) == ["no PAM service common-auth, common-password in /etc/pam.d or /usr/lib/pam.d"] with input as fx.empty_host
}
