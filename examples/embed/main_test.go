package main

import (
	"bytes"
	"context"
	"regexp"
	"testing"

	"github.com/gcrun/gcrun/internal/fixture"
)

func TestEmbedExample(t *testing.T) {
	for _, tc := range []struct{ fixture, want string }{
		{"compliant", `^compliant-host: Compliant \([1-9]\d* pass, 0 fail, \d+ not applicable, 0 error\); signed by [0-9a-f]{64}\n$`},
		{"noncompliant", `^noncompliant-host: NonCompliant \(\d+ pass, [1-9]\d* fail, \d+ not applicable, 0 error\); signed by [0-9a-f]{64}\n$`},
	} {
		root := fixture.Materialize(t, "../../testdata/hosts/"+tc.fixture)
		var out bytes.Buffer
		if err := run(context.Background(), root, &out); err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(tc.want).MatchString(out.String()) {
			t.Errorf("%s: output %q does not match %s", tc.fixture, out.String(), tc.want)
		}
	}
}
