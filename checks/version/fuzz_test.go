package version

import "testing"

// fuzzOrder checks, for any three strings, what rules rely on: errors come
// exactly from invalid versions, results are -1, 0 or 1, and the valid
// versions are totally ordered (reflexive, antisymmetric, transitive, with
// equal versions interchangeable).
func fuzzOrder(t *testing.T, scheme string, valid func(string) bool, a, b, c string) {
	vs := [3]string{a, b, c}
	var ok [3]bool
	for i, v := range vs {
		ok[i] = valid(v)
	}
	var r [3][3]int
	for i, x := range vs {
		for j, y := range vs {
			got, err := Compare(scheme, x, y)
			if (err == nil) != (ok[i] && ok[j]) {
				t.Fatalf("Compare(%q, %q): error %v, but validity is %v and %v", x, y, err, ok[i], ok[j])
			}
			if err != nil {
				continue
			}
			if got < -1 || got > 1 {
				t.Fatalf("Compare(%q, %q) = %d", x, y, got)
			}
			r[i][j] = got
		}
	}
	if !ok[0] || !ok[1] || !ok[2] {
		return
	}
	for i := range vs {
		if r[i][i] != 0 {
			t.Fatalf("Compare(%q, itself) = %d", vs[i], r[i][i])
		}
		for j := range vs {
			if r[i][j] != -r[j][i] {
				t.Fatalf("Compare(%q, %q) = %d but Compare(%q, %q) = %d", vs[i], vs[j], r[i][j], vs[j], vs[i], r[j][i])
			}
			for k := range vs {
				if r[i][j] <= 0 && r[j][k] <= 0 && r[i][k] > 0 {
					t.Fatalf("not transitive: %q <= %q <= %q but %q > %q", vs[i], vs[j], vs[k], vs[i], vs[k])
				}
				if r[i][j] == 0 && r[i][k] != r[j][k] {
					t.Fatalf("%q = %q but they compare differently with %q", vs[i], vs[j], vs[k])
				}
			}
		}
	}
}

func addSeeds(f *testing.F, seeds ...string) {
	for i := range seeds {
		f.Add(seeds[i], seeds[(i+1)%len(seeds)], seeds[(i+2)%len(seeds)])
	}
}

func FuzzCompareDpkg(f *testing.F) {
	addSeeds(f, "1:9.2p1-2+deb12u3", "1.0~rc1", "1.0", "1.0-1", "0:0-0", "1.0+dfsg-1~bpo1", "2:0~", "1:", "abc", "1.0-", "00010.00a~", " 1.0 ")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		fuzzOrder(t, Dpkg, func(s string) bool { _, err := ParseDpkg(s); return err == nil }, a, b, c)
	})
}

func FuzzCompareRPM(f *testing.F) {
	addSeeds(f, "1.0", "1.0~rc1", "1.0^git1", "1:1.0-1.el9", "5.1.8-2.fc35", "1.0-", ":1", "a+", "_", "1.1.α", "010.0001", "~~^")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		fuzzOrder(t, RPM, func(s string) bool { _, err := ParseRPM(s); return err == nil }, a, b, c)
	})
}

func FuzzCompareApk(f *testing.F) {
	addSeeds(f, "1.0", "1.0_rc1", "1.0_p1", "1.0-r1", "1.0a", "1.00", "1.0.1", "2_alpha_p3-r10", "1.0bc", "23_foo", "0.1_alpha1")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		// The raw comparison takes any input, valid or not.
		for _, x := range [3]string{a, b, c} {
			for _, y := range [3]string{a, b, c} {
				if r := apkCompare(x, y); r < -1 || r > 1 {
					t.Fatalf("apkCompare(%q, %q) = %d", x, y, r)
				}
			}
		}
		fuzzOrder(t, Apk, func(s string) bool { return ValidApk(s) == "" }, a, b, c)
	})
}

func FuzzCompareSemVer(f *testing.F) {
	addSeeds(f, "1.0.0", "v1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-rc.1+build.5", "2.10.0", "1.0.0-0A", "01.0.0", "1.0.0-")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		fuzzOrder(t, SemVer, func(s string) bool { _, err := ParseSemVer(s); return err == nil }, a, b, c)
	})
}
