# METADATA
# title: The number of os-release fields is within t_max
# description: Reads the t_max parameter.
# custom:
#   id: T-004
#   severity: info
#   tags: [params]
package t.max

deny contains {"code": "too_many", "phrase": sprintf("%d os-release fields, expected at most %d", [n, data.gcrun.params.t_max])} if {
	n := count(input.host.os.fields)
	n > data.gcrun.params.t_max
}
