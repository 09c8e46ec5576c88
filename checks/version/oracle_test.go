package version

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gcrun/gcrun/internal/oracle"
)

// verGen generates versions deterministically (a fixed seed), biased
// towards what decides comparisons: epochs, "~" and "^", "+" and ".",
// letters against digits, leading zeros, revisions, and now and then a
// character or a shape the scheme rejects.
type verGen struct {
	r *rand.Rand
	// alphabet is what mutations insert; tokens build fresh versions.
	alphabet string
	tokens   []string
	seps     []string
	epochs   []string
	revs     []string
	broken   []string
	// dashOK allows a leading "-", which dpkg's command line would take
	// for an option.
	dashOK bool
}

func newDpkgGen(seed uint64) *verGen {
	return &verGen{
		r:        rand.New(rand.NewPCG(seed, 0x6463)),
		alphabet: "0123456789aAzZ.+~-:",
		tokens:   []string{"0", "00", "1", "01", "001", "2", "9", "10", "010", "99", "123", "a", "b", "z", "A", "Z", "rc", "dfsg", "git", "p", "deb"},
		seps:     []string{".", ".", "+", "~", "~~", "", "-", ":"},
		epochs:   []string{"", "", "", "0:", "1:", "2:", "01:", "10:"},
		revs:     []string{"", "", "-1", "-0", "-00", "-1~bpo1", "-1+b1", "-1.1", "-1a", "-10", "-01", "-a", "-2~", "-1ubuntu1"},
		broken:   []string{"_", "@", ":", "-", " ", "a", "%", "é"},
	}
}

func newRPMGen(seed uint64) *verGen {
	return &verGen{
		r:        rand.New(rand.NewPCG(seed, 0x72706d)),
		alphabet: "0123456789aAzZ.+~^_-:",
		tokens:   []string{"0", "00", "1", "01", "001", "2", "9", "10", "010", "99", "123", "a", "b", "z", "A", "Z", "rc", "git", "p", "el", "fc", "é"},
		seps:     []string{".", ".", "_", "+", "~", "^", "", "-", "~~", "^~"},
		epochs:   []string{"", "", "", "0:", "1:", "2:", "01:", "10:", ":"},
		revs:     []string{"", "", "-1", "-0", "-1.el9", "-1.el9_2", "-10.fc35", "-1~rc", "-1^git", "-", "-01"},
		broken:   []string{"", "-", ":", "~", "^", "ß"},
		dashOK:   true,
	}
}

func (g *verGen) pick(xs []string) string { return xs[g.r.IntN(len(xs))] }

func (g *verGen) version() string {
	var b strings.Builder
	b.WriteString(g.pick(g.epochs))
	// Upstream versions mostly start with a digit, as dpkg requires.
	if g.r.IntN(12) == 0 {
		b.WriteString(g.pick(g.tokens))
	} else {
		b.WriteString(g.pick(g.tokens[:11]))
	}
	for n := g.r.IntN(5); n > 0; n-- {
		b.WriteString(g.pick(g.seps))
		b.WriteString(g.pick(g.tokens))
	}
	b.WriteString(g.pick(g.revs))
	s := b.String()
	if g.r.IntN(15) == 0 {
		i := g.r.IntN(len(s) + 1)
		s = s[:i] + g.pick(g.broken) + s[i:]
	}
	return s
}

// mutate makes a near neighbour of v: such pairs share a prefix and
// differ where the rules are subtle.
func (g *verGen) mutate(v string) string {
	switch g.r.IntN(5) {
	case 0:
		return v + g.pick(g.seps) + g.pick(g.tokens)
	case 1:
		return v + g.pick(g.revs)
	}
	b := []byte(v)
	i := g.r.IntN(len(b) + 1)
	c := g.alphabet[g.r.IntN(len(g.alphabet))]
	switch {
	case i == len(b):
		b = append(b, c)
	case g.r.IntN(2) == 0:
		b[i] = c
	default:
		b = append(b[:i], b[i+1:]...)
	}
	return string(b)
}

func (g *verGen) pairs(n int) [][2]string {
	out := make([][2]string, 0, n)
	for len(out) < n {
		a := g.version()
		var b string
		switch g.r.IntN(10) {
		case 0:
			b = a
		case 1, 2, 3, 4, 5:
			b = g.mutate(a)
		default:
			b = g.version()
		}
		if a == "" || b == "" || !g.dashOK && (a[0] == '-' || b[0] == '-') || strings.ContainsAny(a+b, "'\n") {
			continue
		}
		out = append(out, [2]string{a, b})
	}
	return out
}

// dpkgOraclePairs is how many generated pairs go to dpkg --compare-versions.
const dpkgOraclePairs = 2000

// TestCompareDpkgOracle compares CompareDpkg with dpkg --compare-versions
// on generated pairs, 100 pairs per shell. Where CompareDpkg rejects a
// version, dpkg must report bad syntax (as an error, or as the warning it
// gives before comparing anyway); where it accepts both, dpkg must agree on
// the order without complaint.
func TestCompareDpkgOracle(t *testing.T) {
	dpkg := oracle.Require(t, "dpkg")
	pairs := newDpkgGen(1).pairs(dpkgOraclePairs)
	// For each pair the script prints "lt", "eq", "gt" or "error" (exit
	// status 2), followed by " bad" when dpkg printed a syntax complaint.
	const prelude = `r() {
  out=$("$D" --compare-versions "$1" lt "$2" 2>&1); s=$?
  case $s in
    0) res=lt ;;
    1) if "$D" --compare-versions "$1" eq "$2" 2>/dev/null; then res=eq; else res=gt; fi ;;
    *) res=error ;;
  esac
  case $out in *"bad syntax"*) res="$res bad" ;; esac
  echo "$res"
}
`
	results := runBatches(t, pairs, 100, func(batch [][2]string) *exec.Cmd {
		var script strings.Builder
		script.WriteString(prelude)
		for _, p := range batch {
			fmt.Fprintf(&script, "r '%s' '%s'\n", p[0], p[1])
		}
		cmd := exec.Command("sh", "-c", script.String())
		cmd.Env = append(os.Environ(), "D="+dpkg, "LC_ALL=C")
		return cmd
	})
	valid, invalid := 0, 0
	outcomes := map[int]int{}
	for i, p := range pairs {
		got, err := CompareDpkg(p[0], p[1])
		res := results[i]
		if err != nil {
			invalid++
			if !strings.HasSuffix(res, " bad") {
				t.Errorf("CompareDpkg(%q, %q): %v; dpkg says %q without a syntax complaint", p[0], p[1], err, res)
			}
			continue
		}
		valid++
		outcomes[got]++
		want := map[string]int{"lt": -1, "eq": 0, "gt": 1}
		w, ok := want[res]
		if !ok || got != w {
			t.Errorf("CompareDpkg(%q, %q) = %d; dpkg --compare-versions says %q", p[0], p[1], got, res)
		}
	}
	if valid < dpkgOraclePairs*2/3 || invalid < 20 || outcomes[0] < 50 || outcomes[-1] < 200 || outcomes[1] < 200 {
		t.Errorf("generator made %d valid pairs (lt %d, eq %d, gt %d) and %d invalid ones; want mostly valid ones of each outcome and some invalid",
			valid, outcomes[-1], outcomes[0], outcomes[1], invalid)
	}
	t.Logf("%d pairs compared with dpkg --compare-versions: %d valid (lt %d, eq %d, gt %d), %d with an invalid version",
		len(pairs), valid, outcomes[-1], outcomes[0], outcomes[1], invalid)
}

// rpmOraclePairs is how many generated pairs go to rpm.vercmp.
const rpmOraclePairs = 5000

// TestCompareRPMOracle compares CompareRPM with rpm's own rpm.vercmp
// (`rpm --eval '%{lua: ...}'`, rpmverCmp) on generated pairs, 500 per rpm
// run. rpm raises "invalid version" exactly where CompareRPM errors.
func TestCompareRPMOracle(t *testing.T) {
	rpm := oracle.Require(t, "rpm")
	g := newRPMGen(2)
	pairs := g.pairs(rpmOraclePairs)
	// The empty version, which rpm refuses, on either side.
	pairs = append(pairs, [2]string{"", "1.0"}, [2]string{"1.0", ""}, [2]string{"", ""})
	dir := t.TempDir()
	results := runBatches(t, pairs, 500, func(batch [][2]string) *exec.Cmd {
		var lua strings.Builder
		lua.WriteString("local t = {}\nlocal function c(a, b)\n  local ok, r = pcall(rpm.vercmp, a, b)\n  t[#t+1] = ok and tostring(r) or \"error\"\nend\n")
		for _, p := range batch {
			fmt.Fprintf(&lua, "c([==[%s]==], [==[%s]==])\n", p[0], p[1])
		}
		lua.WriteString("print(table.concat(t, \"\\n\"))\n")
		f, err := os.CreateTemp(dir, "batch-*.lua")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteString(lua.String()); err != nil {
			t.Fatal(err)
		}
		f.Close()
		return exec.Command(rpm, "--eval", "%{lua: dofile('"+filepath.ToSlash(f.Name())+"')}")
	})
	errs := 0
	outcomes := map[int]int{}
	for i, p := range pairs {
		got, err := CompareRPM(p[0], p[1])
		res := results[i]
		if err != nil {
			errs++
			if res != "error" {
				t.Errorf("CompareRPM(%q, %q): %v; rpm.vercmp says %s", p[0], p[1], err, res)
			}
			continue
		}
		outcomes[got]++
		if res != fmt.Sprint(got) {
			t.Errorf("CompareRPM(%q, %q) = %d; rpm.vercmp says %s", p[0], p[1], got, res)
		}
	}
	if errs != 3 {
		t.Errorf("%d pairs with an error, want the 3 with an empty version", errs)
	}
	if outcomes[0] < 200 || outcomes[-1] < 1000 || outcomes[1] < 1000 {
		t.Errorf("outcomes lt %d, eq %d, gt %d: want many of each", outcomes[-1], outcomes[0], outcomes[1])
	}
	t.Logf("%d pairs compared with rpm.vercmp (lt %d, eq %d, gt %d)", len(pairs), outcomes[-1], outcomes[0], outcomes[1])
}

// runBatches runs one command per batch of pairs, two at a time, and
// returns one line of output per pair.
func runBatches(t *testing.T, pairs [][2]string, size int, command func([][2]string) *exec.Cmd) []string {
	t.Helper()
	results := make([]string, len(pairs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	var mu sync.Mutex
	var failures []string
	for start := 0; start < len(pairs); start += size {
		end := min(start+size, len(pairs))
		cmd := command(pairs[start:end])
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
			mu.Lock()
			defer mu.Unlock()
			if err != nil || len(lines) != end-start {
				failures = append(failures, fmt.Sprintf("batch %d-%d: %v, %d lines of output\n%s", start, end, err, len(lines), stderr.Bytes()))
				return
			}
			copy(results[start:end], lines)
		}()
	}
	wg.Wait()
	for _, f := range failures {
		t.Error(f)
	}
	if len(failures) > 0 {
		t.FailNow()
	}
	return results
}
