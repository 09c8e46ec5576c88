# METADATA
# title: something holds
# description: The rule does not parse.
# custom:
#   id: ACME-201
#   severity: low
package acme.rules.broken

deny contains reason if {
	reason := {"code": "x", "phrase": "x"
}
