# METADATA
# title: The host name is the expected one
# description: Reads the t_hostname parameter.
# custom:
#   id: T-001
#   severity: high
#   tags: [host, naming]
package t.hostname

deny contains {"code": "hostname", "phrase": sprintf("host name is %q, expected %q", [h, data.gcrun.params.t_hostname])} if {
	h := input.host.hostname
	h != data.gcrun.params.t_hostname
}
