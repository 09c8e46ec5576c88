package sshdtok

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestArgvSplit(t *testing.T) {
	for _, tt := range []struct {
		in      string
		args    []string
		comment int
		ok      bool
	}{
		{`a b`, []string{"a", "b"}, -1, true},
		{`"a b" c # d`, []string{"a b", "c"}, 8, true},
		{`a\ b 'c"d'`, []string{"a b", `c"d`}, -1, true},
		{`#x`, []string{}, 0, true},
		{`"open`, nil, -1, false},
	} {
		args, comment, ok := ArgvSplit(tt.in)
		if diff := cmp.Diff(tt.args, args); diff != "" || comment != tt.comment || ok != tt.ok {
			t.Errorf("ArgvSplit(%q) = %q, %d, %v; want %q, %d, %v", tt.in, args, comment, ok, tt.args, tt.comment, tt.ok)
		}
	}
}

func TestStrdelim(t *testing.T) {
	for _, tt := range []struct {
		in, tok, rest string
		tokOK, restOK bool
	}{
		{"Port 22", "Port", "22", true, true},
		{"Port=22", "Port", "22", true, true},
		{"Port = 22", "Port", "22", true, true},
		{`"Match" User x`, "Match", "User x", true, true},
		{"UsePAM", "UsePAM", "", true, false},
		{`"open`, "", "", false, false},
	} {
		tok, tokOK, rest, restOK := Strdelim(tt.in, true)
		if tok != tt.tok || tokOK != tt.tokOK || rest != tt.rest || restOK != tt.restOK {
			t.Errorf("Strdelim(%q) = %q %v %q %v; want %q %v %q %v", tt.in, tok, tokOK, rest, restOK, tt.tok, tt.tokOK, tt.rest, tt.restOK)
		}
	}
}
