# Helpers for facts that only a live host has (the running kernel's
# parameters, loaded modules, mounted file systems). A library: no
# custom.id, no deny, and no input of its own: callers pass the section.
#
# A collector reports such a section as {"available": true, ...} on a live
# host, and as {"available": false, "reason": "..."} when it scanned an
# offline root or an image, where /proc describes another system.
package gcrun.linux.lib.live

# unavailable(section, what) is the not_applicable reason of a rule that
# needs the live section and cannot have it; what names the fact ("the
# running kernel parameters").
unavailable(section, what) := {
	"code": "live_only",
	"phrase": sprintf("%s can only be read on the live host: %s", [what, object.get(section, "reason", "not available")]),
} if {
	section.available == false
}

# available(section) holds when the section describes the running system.
available(section) if section.available == true
