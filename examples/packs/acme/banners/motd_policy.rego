# METADATA
# title: /etc/motd mentions the acceptable-use policy
# description: >-
#   Acme's legal department requires every interactive login to show a
#   notice that the system is for authorised use under Acme's acceptable-use
#   policy; without it, misuse is harder to prosecute. The message of the
#   day is where users see it after logging in.
# custom:
#   id: ACME-001
#   severity: low
#   remediation: >-
#     Add a line such as "Use of this system is subject to the Acme
#     acceptable use policy (https://intranet.acme.example/aup)." to
#     /etc/motd.
#   tags: [acme, banners]
package acme.banners.motd_policy

import data.gcrun.linux.lib.banners

path := "/etc/motd"

pattern := data.gcrun.params.acme_motd_policy_pattern

# The text of /etc/motd as collected ("" when it is not a regular file).
content := object.get(object.get(input.banners.files, path, {}), "content", "")

# The lines of /etc/motd that mention the policy.
mentions := [n |
	some i, line in split(content, "\n")
	regex.match(pattern, line)
	n := i + 1
]

evidence := object.union(banners.evidence(path), {"pattern": pattern, "policy_lines": mentions})

deny contains reason if some reason in banners.not_collected(path)

deny contains reason if some reason in banners.required(path)

deny contains reason if some reason in banners.not_text(path)

deny contains reason if {
	f := input.banners.files[path]
	f.type == "file"
	count(mentions) == 0
	reason := {
		"code": "no_policy_notice",
		"phrase": sprintf("%s does not mention the acceptable-use policy (no line matches %q)%s, expected a line that does", [path, pattern, truncated(f)]),
		"expected": sprintf("a line matching %q", [pattern]),
		"actual": "no such line",
		"evidence": {"file": path},
	}
}

truncated(f) := sprintf(" in its first %d bytes", [count(f.content)]) if f.truncated == true

else := ""
