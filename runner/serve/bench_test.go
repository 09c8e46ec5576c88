package serve

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/gcrun/gcrun/engine/result"
	"github.com/gcrun/gcrun/runner/serve/store"
)

// The receiver's ingestion rate end to end: HTTPS, gunzip, signature and
// schema verification, replay checks and the database transaction, with
// 8 hosts delivering at once reports of the default baseline's size (218
// rules). Figures in reports/s.
func BenchmarkIngestSQLite(b *testing.B) {
	st, err := store.OpenSQLite(context.Background(), filepath.Join(b.TempDir(), "gcrun.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	benchIngest(b, st)
}

func BenchmarkIngestPostgres(b *testing.B) {
	dsn := os.Getenv("GCRUN_TEST_POSTGRES")
	if dsn == "" {
		b.Skip("GCRUN_TEST_POSTGRES is not set")
	}
	schema := fmt.Sprintf("gcrun_bench_%d", time.Now().UnixNano())
	if out, err := exec.Command("psql", dsn, "-qc", "CREATE SCHEMA "+schema).CombinedOutput(); err != nil {
		b.Skipf("psql: %v %s", err, out)
	}
	defer exec.Command("psql", dsn, "-qc", "DROP SCHEMA "+schema+" CASCADE").Run()
	u, _ := url.Parse(dsn)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	st, err := store.OpenPostgres(context.Background(), u.String())
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	benchIngest(b, st)
}

func benchIngest(b *testing.B, st store.Store) {
	e := newEnv(b, st, func(o *Options) { o.Now = time.Now; o.MaxInflight = 64 })
	var rules []rule
	for i := range 218 {
		status := result.StatusPass
		if i%3 == 0 {
			status = result.StatusFail
		}
		rules = append(rules, rule{id: fmt.Sprintf("GCL-BEN-%03d", i), severity: "medium", status: status})
	}
	const hosts = 8
	type delivery struct {
		host, id string
		body     []byte
	}
	work := make([][]delivery, hosts)
	for h := range hosts {
		hh := e.enroll(fmt.Sprintf("bench-%d", h))
		for i := 0; i < (b.N+hosts-1)/hosts; i++ {
			id, env := hh.next(b, time.Now(), rules)
			work[h] = append(work[h], delivery{hh.id, id, gz(b, env)})
		}
	}
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, hosts)
	for h := range hosts {
		wg.Add(1)
		go func(list []delivery) {
			defer wg.Done()
			for _, d := range list {
				req, _ := http.NewRequest("POST", e.ts.URL+"/v1/reports", bytes.NewReader(d.body))
				req.Header = ingestHeaders(d.host, d.id)
				resp, err := e.client.Do(req)
				if err != nil {
					errs <- err
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					errs <- fmt.Errorf("report %s: status %d", d.id, resp.StatusCode)
					return
				}
			}
		}(work[h])
	}
	wg.Wait()
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	n := 0
	for _, w := range work {
		n += len(w)
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "reports/s")
}
