package version

import "testing"

// BenchmarkCompare measures one comparison of typical versions per scheme,
// the cost a rule pays per package it checks.
func BenchmarkCompare(b *testing.B) {
	for _, bc := range []struct{ scheme, a, x string }{
		{Dpkg, "1:9.2p1-2+deb12u3", "1:9.2p1-2+deb12u10"},
		{RPM, "1:3.0.7-16.el9_2", "1:3.0.7-27.el9"},
		{Apk, "3.1.4-r5", "3.1.4_rc1-r1"},
		{SemVer, "1.22.0-rc.1+build.7", "1.22.0-rc.2"},
	} {
		b.Run(bc.scheme, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Compare(bc.scheme, bc.a, bc.x); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
