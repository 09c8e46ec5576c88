package serve

import "testing"

func TestRoutes(t *testing.T) {
	e := newEnv(t, newFakeStore(), nil)
	for _, c := range []struct {
		method, path string
		status       int
	}{
		{"GET", "/healthz", 200},
		{"GET", "/nope", 404},
		{"GET", "/v1/reports", 405},
		{"PUT", "/v1/enroll", 405},
		{"POST", "/v1/fleet", 405},
		{"DELETE", "/v1/bundles/linux", 405},
	} {
		resp := e.doResp(c.method, c.path, nil, nil)
		resp.Body.Close()
		if resp.StatusCode != c.status {
			t.Errorf("%s %s: %d, want %d", c.method, c.path, resp.StatusCode, c.status)
		}
		if c.status != 200 && resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s %s: Content-Type %q, want JSON", c.method, c.path, resp.Header.Get("Content-Type"))
		}
		if c.status == 405 && resp.Header.Get("Allow") == "" {
			t.Errorf("%s %s: 405 without Allow", c.method, c.path)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s %s: no nosniff", c.method, c.path)
		}
	}
}
