package runner

import (
	"context"
	"fmt"

	"github.com/gcrun/gcrun/checks/version"
	"github.com/gcrun/gcrun/engine"
)

// VersionCompare is the name of the Rego built-in that compares package
// versions exactly as the package manager does:
//
//	gcrun.version_compare("dpkg", p.version, "1:9.2p1-2+deb12u3") < 0
//
// The schemes are "dpkg", "rpm", "apk" and "semver" (see package
// checks/version); the result is -1, 0 or 1. An unknown scheme, an
// argument that is not a string or a version the scheme rejects is an
// evaluation error, so the calling rule reports error instead of deciding
// on a version it did not understand.
const VersionCompare = "gcrun.version_compare"

// VersionCompareFunction defines gcrun.version_compare(scheme, a, b).
func VersionCompareFunction() engine.Function {
	return engine.Function{
		Name:        VersionCompare,
		Description: "compares two versions under a package manager's scheme (dpkg, rpm, apk, semver): -1, 0 or 1",
		Args:        3,
		Impl:        versionCompare,
	}
}

func versionCompare(_ context.Context, args []any) (any, error) {
	var s [3]string
	for i, name := range [3]string{"scheme", "first version", "second version"} {
		v, ok := args[i].(string)
		if !ok {
			return nil, fmt.Errorf("argument %d (%s) must be a string, got %s", i+1, name, jsonKind(args[i]))
		}
		s[i] = v
	}
	return version.Compare(s[0], s[1], s[2])
}

// jsonKind names the JSON type of a value as the engine passes it.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	}
	return "a number"
}
