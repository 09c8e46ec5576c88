package checks

import "fmt"

// LiveOnly is the head of a facts section that only the running system
// has: the kernel's current parameters, loaded modules, mounted file
// systems. On an offline root or an image the section is present with
// Available false and a Reason, so that a rule can say why it does not
// apply instead of passing on nothing.
type LiveOnly struct {
	Available bool   `json:"available"`
	Reason    string `json:"reason,omitempty"`
}

// LiveSection returns the LiveOnly head for t: available on the live host,
// otherwise unavailable with a reason that names what was scanned and the
// interface (such as "/proc/sys") that would have been read.
func LiveSection(t Target, iface string) LiveOnly {
	if t.Live {
		return LiveOnly{Available: true}
	}
	return LiveOnly{Reason: fmt.Sprintf("%s is an offline root, so %s describes the scanning machine, not it", t.Root, iface)}
}
