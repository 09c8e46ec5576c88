# METADATA
# title: Always passes
# description: Reads the host facts and finds nothing wrong.
# custom:
#   id: T-003
#   severity: medium
#   tags: [host]
package t.always

deny contains {"code": "no_hostname", "phrase": "the host has no name"} if {
	input.host.hostname == ""
}
