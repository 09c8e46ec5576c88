package version

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseDpkg(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want DpkgVersion
	}{
		{"0", DpkgVersion{0, "0", ""}},
		{"0:0", DpkgVersion{0, "0", ""}},
		{"0:0-0", DpkgVersion{0, "0", "0"}},
		{"1:9.2p1-2+deb12u3", DpkgVersion{1, "9.2p1", "2+deb12u3"}},
		{"5:1", DpkgVersion{5, "1", ""}},
		{"007:1", DpkgVersion{7, "1", ""}},
		{"2147483647:1", DpkgVersion{2147483647, "1", ""}},
		// The revision follows the last hyphen, the epoch ends at the
		// first colon.
		{"0:0-0-0", DpkgVersion{0, "0-0", "0"}},
		{"0:0:0-0", DpkgVersion{0, "0:0", "0"}},
		{"0:0-0:0-0", DpkgVersion{0, "0-0:0", "0"}},
		{"0:09azAZ.-+~:-0", DpkgVersion{0, "09azAZ.-+~:", "0"}},
		{"0:0-azAZ09.+~", DpkgVersion{0, "0", "azAZ09.+~"}},
		// Blanks around the version are ignored.
		{"  \t0:0-1", DpkgVersion{0, "0", "1"}},
		{"0:0-1\t  ", DpkgVersion{0, "0", "1"}},
		// strtol reads the epoch: a plus sign and "-0" are numbers.
		{"+3:1", DpkgVersion{3, "1", ""}},
		{"-0:1", DpkgVersion{0, "1", ""}},
	} {
		got, err := ParseDpkg(tt.in)
		if err != nil {
			t.Errorf("ParseDpkg(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseDpkg(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestParseDpkgInvalid(t *testing.T) {
	for _, tt := range []struct{ in, reason string }{
		{"", "version string is empty"},
		{"  ", "version string is empty"},
		{"0:0 0-1", "version string has embedded spaces"},
		{"1 2", "version string has embedded spaces"},
		{":1.0", "epoch in version is empty"},
		{"a:0-0", "epoch in version is empty"},
		{"1a:0-0", "epoch in version is not number"},
		{"-1:0-1", "epoch in version is negative"},
		{"999999999999999999999999:0-1", "epoch in version is too big"},
		{"2147483648:1", "epoch in version is too big"},
		{"0:", "nothing after colon in version number"},
		{"1: ", "version number is empty"},
		{"1.0-", "revision number is empty"},
		{"-0", "version number is empty"},
		{"0:-0", "version number is empty"},
		{"0:abc3-0", "version number does not start with digit"},
		{"~1", "version number does not start with digit"},
		{"0:0a_-0", "invalid character in version number"},
		{"1.0\x00", "invalid character in version number"},
		{"1.0é", "invalid character in version number"},
		{"0:0-0:0", "invalid character in revision number"},
		{"0:0-0_1", "invalid character in revision number"},
	} {
		_, err := ParseDpkg(tt.in)
		var verr *Error
		if !errors.As(err, &verr) || verr.Reason != tt.reason || verr.Scheme != Dpkg || verr.Version != tt.in {
			t.Errorf("ParseDpkg(%q): error %v, want %q", tt.in, err, tt.reason)
		}
	}
	// Every character dpkg's own tests reject, in each part.
	for _, c := range "!#@$%&/|\\<>()[]{};,_=*^'" {
		if _, err := ParseDpkg("0:0" + string(c) + "-0"); err == nil {
			t.Errorf("upstream with %q accepted", c)
		}
	}
	for _, c := range "!#@$%&/|\\<>()[]{}:;,_=*^'" {
		if _, err := ParseDpkg("0:0-0" + string(c)); err == nil {
			t.Errorf("revision with %q accepted", c)
		}
	}
}

func TestCompareDpkgOrder(t *testing.T) {
	// Checked pair by pair with dpkg --compare-versions.
	checkAscending(t, Dpkg, []string{
		"0~~",
		"0~~a",
		"0~",
		"0 = 00 = 0:0 = 0:0-0 = 0-00",
		"0A",
		"0a",
		"0+",
		"0.0~",
		"0.0",
		"0.1",
		"1.0~rc1~git1",
		"1.0~rc1",
		"1.0~rc2",
		"1.0",
		"1.0-0.1",
		"1.0-1~bpo1",
		"1.0-1",
		"1.0-1a",
		"1.0-1+b1",
		"1.0-1.1",
		"1.0-2",
		"1.0-10",
		"1.0A.",
		"1.0a",
		"1.0z",
		"1.0+",
		"1.0+dfsg",
		"1.0.",
		"1.0.1",
		"1.2",
		"1.10",
		"9.2p1-2+deb12u3",
		"10 = 010 = 0:10",
		"99999999999999999999999999",
		"100000000000000000000000000",
		"1:0",
		"1:9.2p1-2+deb12u3",
		"2:0~",
		"2147483647:0",
	})
}

func TestDpkgVerrevcmp(t *testing.T) {
	// verrevcmp's raw result, not only its sign: dpkg callers only test
	// the sign, but the port keeps the C arithmetic.
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"a", "b", -1},
		{"1", "2", -1},
		{"~", "", -1},
		{"", "a", -'a'},
		{"a", "+", 'a' - ('+' + 256)},
		{"19", "20", -1},
		{"123", "45", 1},
		{"0001", "1", 0},
	} {
		if got := dpkgVerrevcmp(tt.a, tt.b); got != tt.want {
			t.Errorf("verrevcmp(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
