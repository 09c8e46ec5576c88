# METADATA
# title: The OS is Debian
# description: Fails on anything else.
# custom:
#   id: T-002
#   severity: low
#   tags: [host, os]
package t.os

deny contains {"code": "os", "phrase": sprintf("os is %q, expected debian", [input.host.os.id])} if {
	input.host.os.id != "debian"
}
