# METADATA
# title: Numbers parse
# description: Exercises a strict builtin error.
# custom:
#   id: T-003
#   severity: low
package test.strict_error

deny contains {"code": "too_many", "phrase": "too many"} if {
	to_number(input.sshd.config.maxauthtries) > 4
}
