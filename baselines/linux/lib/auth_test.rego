package gcrun.linux.lib.auth_test

import data.gcrun.linux.lib.auth
import data.gcrun.linux.lib.fixtures as fx

test_number_like_strtol_base_0 if {
	auth.number("365") == 365
	auth.number("-1") == -1
	auth.number("+7") == 7
	auth.number("0") == 0
	auth.number("027") == 23
	auth.number("0x16d") == 365
	auth.number("0X1F") == 31
	not auth.number("")
	not auth.number("08")
	not auth.number("0x")
	not auth.number("90 # days")
	not auth.number("12abc")
	not auth.number("1e3")
}

test_octal if {
	auth.octal("027") == 23
	auth.octal("0750") == 488
	not auth.octal("9")
}

test_defs_number if {
	auth.defs_number("PASS_MAX_DAYS") == {"set": true, "value": 90} with input as fx.login_defs({"PASS_MAX_DAYS": "90"})
	auth.defs_number("PASS_MAX_DAYS") == {"set": true, "invalid": "ninety"} with input as fx.login_defs({"PASS_MAX_DAYS": "ninety"})
	auth.defs_number("PASS_MAX_DAYS") == {"set": false} with input as fx.login_defs({})
}

test_defs_occurrences if {
	auth.defs_occurrences("UMASK") == [{"value": "027", "line": 10}] with input as fx.login_defs({"UMASK": "027"})
	auth.defs_occurrences("UMASK") == [] with input as fx.login_defs({})
	occ := [{"value": "022", "line": 3}, {"value": "027", "line": 9}]
	auth.defs_occurrences("UMASK") == occ with input as fx.login_defs_dup("UMASK", occ)
}

test_split_arg_and_arg if {
	auth.split_arg("remember=24") == ["remember", "24"]
	auth.split_arg("use_authtok") == ["use_authtok", ""]
	auth.split_arg("query=a=b") == ["query", "a=b"]
	e := fx.pam("password", "requisite", "pam_pwhistory.so", ["remember=5", "use_authtok", "remember=24"], 26)
	auth.arg(e, "remember") == "24"
	not auth.arg(e, "enforce_for_root")
	auth.has_arg(e, "use_authtok")
	not auth.has_arg(e, "remember=5")
}

test_fails_stack if {
	auth.fails_stack(fx.pam("password", "requisite", "pam_pwquality.so", [], 1))
	auth.fails_stack(fx.pam("password", "[success=ok default=die]", "pam_pwquality.so", [], 1))
	not auth.fails_stack(fx.pam("password", "optional", "pam_pwquality.so", [], 1))
	not auth.fails_stack(fx.pam("password", "[success=1 default=ignore]", "pam_pwquality.so", [], 1))
}

test_pwquality_precedence if {
	e := fx.pam("password", "requisite", "pam_pwquality.so", ["MinLen=12"], 25)
	auth.pwquality(e, "minlen") == {"value": "12", "source": "argument", "file": "/etc/pam.d/common-password", "line": 25} with input as fx.pwquality_input([e], {"minlen": "14"})
	plain := fx.pam("password", "requisite", "pam_pwquality.so", [], 25)
	auth.pwquality(plain, "minlen") == {"value": "14", "source": "file", "file": "/etc/security/pwquality.conf.d/50-pwlength.conf", "line": 1} with input as fx.pwquality_input([plain], {"minlen": "14"})
	auth.pwquality(plain, "minlen") == {"value": "8", "source": "default"} with input as fx.pwquality_input([plain], {})
}

test_unix_algorithm if {
	auth.unix_algorithm(fx.pam_unix_password(["obscure", "yescrypt"], 25)).value == "yescrypt" with input as fx.login_defs({"ENCRYPT_METHOD": "MD5"})
	auth.unix_algorithm(fx.pam_unix_password(["obscure"], 25)) == {"value": "md5", "source": "file", "file": "/etc/login.defs", "line": 10} with input as fx.login_defs({"ENCRYPT_METHOD": "md5"})
	auth.unix_algorithm(fx.pam_unix_password([], 25)).value == "sha512" with input as fx.login_defs({"ENCRYPT_METHOD": "SHA512"})
	auth.unix_algorithm(fx.pam_unix_password([], 25)).value == "des" with input as fx.login_defs({})
	auth.unix_algorithm(fx.pam_unix_password(["des"], 25)).value == "des" with input as fx.login_defs({"ENCRYPT_METHOD": "YESCRYPT"})
}

test_entries_and_services if {
	inp := fx.pam_services({"common-password": [fx.pam("password", "requisite", "pam_pwquality.so", [], 25)], "other": []})
	[e.service | some e in auth.entries(["common-password", "missing"], "password", "pam_pwquality.so")] == ["common-password"] with input as inp
	count(auth.services(["missing"])) == 0 with input as inp
	auth.no_services(["missing"]).code == "pam_service_missing" with input as inp
	not auth.no_services(["other"]) with input as inp

	# A failed collector (no input.login): no reason.
	not auth.no_services(["missing"]) with input as {}
}
