# METADATA
# title: login.defs UMASK is 027 or stricter (parameter auth_umask)
# description: >-
#   UMASK is the file creation mask that pam_umask and login give sessions
#   (and useradd uses for home directories without HOME_MODE). Debian's 022
#   makes every new file readable by every user; 027 keeps it within the
#   owner's group.
# custom:
#   id: GCL-AUTH-005
#   severity: medium
#   references:
#     cis-debian-linux-12-v1.1.0: ["5.4.3.3"]
#     dev-sec-linux-baseline: ["os-05"]
#   remediation: Set "UMASK 027" (or 077) in /etc/login.defs.
#   tags: [authentication, permissions]
package gcrun.linux.auth.umask

import data.gcrun.linux.lib.auth

not_applicable contains reason if some reason in auth.no_login_defs

# Parameter auth_umask: the bits the mask must set, in octal (CIS 5.4.3.3:
# 027, i.e. no group write and no access for others).
required := data.gcrun.params.auth_umask

key := "UMASK"

evidence := auth.defs_evidence([key])

deny contains auth.defs_reason("umask", key, sprintf("%s or stricter", [required]), text, sprintf("UMASK %s, expected %s or stricter", [problem, required])) if {
	n := auth.defs_number(key)
	text := object.get(input.login.login_defs.settings, [key, "value"], null)
	problem := trouble(n, text)
}

trouble(n, _) := "is not set (so 022 is used)" if n.set == false

trouble(n, _) := sprintf("is %q%s, not a number (so 022 is used)", [n.invalid, auth.defs_where(key)]) if n.invalid

trouble(n, text) := sprintf("is %s%s", [text, auth.defs_where(key)]) if {
	bits.and(n.value, auth.octal(required)) != auth.octal(required)
}

# remediate adds the required bits to UMASK in login.defs (022 becomes
# 027), or sets the required mask when UMASK is unset or not a number.
remediate contains auth.defs_set(key, mask) if {
	count(not_applicable) == 0
	count(deny) > 0
	mask := fixed_mask(auth.defs_number(key))
}

fixed_mask(n) := sprintf("%03o", [bits.or(n.value, auth.octal(required))]) if {
	n.value >= 0
} else := required
