# METADATA
# title: telnetd not installed
# description: Telnet sends passwords in clear text.
# custom:
#   id: T-002
#   severity: medium
#   files: ["/etc/passwd"]
package test.telnet

deny contains {"code": "installed", "phrase": sprintf("%s is installed", [name])} if {
	some name in ["telnetd"]
	input.packages.installed[name]
}
