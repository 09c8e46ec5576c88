package version

import (
	"bufio"
	"errors"
	"os"
	"strings"
	"testing"
)

// apkTestData reads testdata/apk-version.data, apk-tools 2.14's own test
// vectors (test/version.data): "a op b" per line, op one of < = >, with an
// optional comment.
func apkTestData(t *testing.T) [][3]string {
	t.Helper()
	f, err := os.Open("testdata/apk-version.data")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases [][3]string
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line, _, _ := strings.Cut(sc.Text(), "#")
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) != 3 || (f[1] != "<" && f[1] != "=" && f[1] != ">") {
			t.Fatalf("testdata/apk-version.data:%d: not \"a op b\": %q", n, sc.Text())
		}
		cases = append(cases, [3]string{f[0], f[1], f[2]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

var apkOps = map[string]int{"<": -1, "=": 0, ">": 1}

// TestApkUpstreamData runs all of apk-tools' vectors through the port of
// its comparison, which gives a result for invalid versions too, exactly as
// apk version -t prints it.
func TestApkUpstreamData(t *testing.T) {
	cases := apkTestData(t)
	if len(cases) < 700 {
		t.Fatalf("only %d cases in the test data", len(cases))
	}
	invalid := 0
	for _, c := range cases {
		want := apkOps[c[1]]
		if got := apkCompare(c[0], c[2]); got != want {
			t.Errorf("apkCompare(%q, %q) = %d, want %s", c[0], c[2], got, c[1])
		}
		// CompareApk agrees on valid versions and refuses the rest.
		got, err := CompareApk(c[0], c[2])
		valid := ValidApk(c[0]) == "" && ValidApk(c[2]) == ""
		switch {
		case valid && (err != nil || got != want):
			t.Errorf("CompareApk(%q, %q) = %d, %v; want %s", c[0], c[2], got, err, c[1])
		case !valid:
			invalid++
			var verr *Error
			if !errors.As(err, &verr) || verr.Scheme != Apk {
				t.Errorf("CompareApk(%q, %q) = %d, %v; want an error for the invalid version", c[0], c[2], got, err)
			}
		}
	}
	// The data deliberately holds a few invalid versions ("1.0bc",
	// "23_foo"); they must be recognised as such, not all the data.
	if invalid == 0 || invalid > 20 {
		t.Errorf("%d of %d cases have an invalid version, want a handful", invalid, len(cases))
	}
	t.Logf("%d apk-tools cases, %d with an invalid version", len(cases), invalid)
}

func TestValidApk(t *testing.T) {
	for _, v := range []string{
		"0", "1", "1.0", "1.2.3", "1.0a", "1.0_alpha", "1.0_alpha1", "1.0_beta2_pre3",
		"1.0_rc1_p2", "1.0_p1", "1.0_git20240101", "1.0_hg1", "1.0_cvs", "1.0_svn3",
		"1.0-r0", "1.0-r12", "1.0a_rc1-r3", "1.00", "1.010", "12345678901234567",
		// apk-tools' validation is lax: these pass it too, and compare by
		// its token rules.
		"1.0-r", "a", "v1.0", "1.0_", "1..0", "1.0.", ".1", "1_rc", "-r1",
	} {
		if why := ValidApk(v); why != "" {
			t.Errorf("ValidApk(%q) = %q, want valid", v, why)
		}
	}
	for _, v := range []string{
		"", "1.0-1", "1.0-", "1.0_foo", "1.0_prere", "1.0A", "1.0ab", "1.0-r1.2", "1.0-r1a",
		"1.0_rc1.2", "1.0a.1", "123456789012345678", "1.0.123456789012345678", "1.0 ", "1.0\x00",
		"1.0-r1_p1", "1.0~1", "1.0+1",
	} {
		if why := ValidApk(v); why == "" {
			t.Errorf("ValidApk(%q) valid, want invalid", v)
		}
	}
}

func TestCompareApkOrder(t *testing.T) {
	checkAscending(t, Apk, []string{
		"0",
		"0.1_alpha",
		"0.1_alpha1",
		"0.1_beta",
		"0.1_pre",
		"0.1_rc",
		"0.1_rc1",
		"0.1",
		"0.1-r1",
		"0.1_cvs",
		"0.1_svn",
		"0.1_git",
		"0.1_hg",
		"0.1_p",
		"0.1_p1",
		"0.1_p2",
		"0.1a",
		"0.1b_rc1",
		"0.1b",
		"0.1.0",
		"0.2",
		"0.10",
		"1.001",
		"1.01",
		"1.1",
		"1.2.3",
		"1.2.3-r0",
		"1.2.3-r1",
		"1.2.3-r10",
		"2",
		"12345678901234567",
	})
}
