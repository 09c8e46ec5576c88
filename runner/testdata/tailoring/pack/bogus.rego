# METADATA
# title: Reads facts no collector has
# description: Its collector does not exist, so it reports error.
# custom:
#   id: T-005
#   severity: critical
#   tags: [broken]
package t.bogus

deny contains {"code": "bogus", "phrase": "bogus"} if {
	input.bogus.x
}
