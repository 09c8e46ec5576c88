# Helpers shared by the account rules (area accounts). A library: no
# custom.id and no deny. Only input.users is read here (docs/facts/users.md).
package gcrun.linux.lib.accounts

passwd_file := "/etc/passwd"

shadow_file := "/etc/shadow"

group_file := "/etc/group"

# missing(file) is the not_applicable reason of a rule about the content
# of an account database that the root does not have. It tests
# `exists == false` so that a failed collector is never mistaken for a
# missing file.
missing(file) := {
	"code": "file_missing",
	"phrase": sprintf("%s does not exist", [file]),
	"evidence": {"file": file},
} if {
	input.users.files[file].exists == false
}

# no_passwd is the not_applicable reason of every rule about users.
no_passwd contains missing(passwd_file)

# no_shadow is the not_applicable reason of the rules about /etc/shadow
# entries.
no_shadow contains missing(shadow_file)

# no_group is the not_applicable reason of the rules about /etc/group.
no_group contains missing(group_file)

# at(u) is where user u is defined in /etc/passwd.
at(u) := {"file": passwd_file, "line": u.line, "user": u.name}

# shadow_at(u) is where user u's shadow entry is.
shadow_at(u) := {"file": shadow_file, "line": u.shadow.line, "user": u.name}

# where(u) is "/etc/passwd:LINE" for phrases.
where(u) := sprintf("%s:%d", [passwd_file, u.line])

# shadow_where(u) is "/etc/shadow:LINE" for phrases.
shadow_where(u) := sprintf("%s:%d", [shadow_file, u.shadow.line])

# password_users are the users whose /etc/shadow entry holds a usable
# password hash: the accounts that password aging applies to (CIS audits
# the entries whose password field starts with "$").
password_users := [u | some u in input.users.users; u.shadow.status == "hashed"]

# interactive_users are the users with a login shell (docs/facts/users.md:
# shell_is_login), root and system accounts included.
interactive_users := [u | some u in input.users.users; u.shell_is_login == true]

# aging(field) is a rule's evidence: the aging field of every user with a
# password, null where the field is empty.
aging(field) := {"users": {u.name: u.shadow[field] | some u in password_users}}

# octal(s) is the value of a string of octal digits ("0750").
octal(s) := sum([bits.lsh(to_number(d), 3 * ((count(s) - 1) - i)) | some i, d in split(s, "")]) if {
	regex.match(`^[0-7]+$`, s)
}

# excess_mode(mode, max) are the permission bits (0777) of mode that max
# does not allow, as an integer; 0 when mode is within max.
excess_mode(mode, max) := bits.and(bits.and(octal(mode), 511), bits.xor(octal(max), 511))
