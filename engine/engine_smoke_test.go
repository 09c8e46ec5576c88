package engine

import (
	"context"
	"encoding/json"
	"testing"
)

func TestSmoke(t *testing.T) {
	b, err := LoadBaselineDir("testdata/basic")
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(context.Background(), b)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range e.Rules() {
		t.Logf("%s %v %v", r.ID, r.Facts, r.Location)
	}
	res, err := e.Evaluate(context.Background(), Input{Facts: map[string]any{
		"sshd":     map[string]any{"exists": true, "config": map[string]any{"permitrootlogin": "yes", "maxauthtries": "x"}},
		"packages": map[string]any{"installed": map[string]any{"telnetd": []any{}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	out, _ := json.MarshalIndent(res, "", " ")
	t.Log(string(out))
}
