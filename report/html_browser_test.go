package report

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/gcrun/gcrun/engine/result"
	"github.com/gcrun/gcrun/internal/oracle"
	"github.com/google/go-cmp/cmp"
)

// The browser tests open rendered reports in headless Chromium, the
// oracle for what a reader sees: the charts are drawn, the table has every
// row, the filters work, and the page neither fetches anything nor logs an
// error (a CSP violation, for one, is logged as an error).

// htmlNewBrowser starts a headless Chromium for the test and returns its
// context. It has no network to speak of (no background services, a fresh
// profile); the tabs' own requests are checked by htmlPageWatch.
func htmlNewBrowser(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	path := oracle.Require(t, "chromium")
	// A hung browser must fail the test, not hang it.
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests may run as root
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	t.Cleanup(cancelAlloc) // also waits for the browser to exit
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	return browserCtx
}

// htmlPageWatch records what a tab does behind the page's back: every request,
// every exception, every console or log message at warning level or above,
// every dialog.
type htmlPageWatch struct {
	mu       sync.Mutex
	requests []string
	problems []string
	dialogs  []string
}

func (w *htmlPageWatch) listen(ev any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		w.requests = append(w.requests, ev.Request.URL)
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
		w.problems = append(w.problems, fmt.Sprintf("exception at %s:%d: %s", d.URL, d.LineNumber+1, msg))
	case *runtime.EventConsoleAPICalled:
		switch ev.Type {
		case runtime.ConsoleAPICalledTypeError, runtime.ConsoleAPICalledTypeWarning, runtime.ConsoleAPICalledTypeAssert:
			var args []string
			for _, a := range ev.Args {
				args = append(args, string(a.Value)+a.Description)
			}
			w.problems = append(w.problems, fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(args, " ")))
		}
	case *log.EventEntryAdded:
		switch ev.Entry.Level {
		case log.EntryLevelError, log.EntryLevelWarning:
			w.problems = append(w.problems, fmt.Sprintf("log %s/%s: %s (%s)", ev.Entry.Source, ev.Entry.Level, ev.Entry.Text, ev.Entry.URL))
		}
	case *page.EventJavascriptDialogOpening:
		w.dialogs = append(w.dialogs, string(ev.Type)+": "+ev.Message)
	}
}

// check fails the test unless the tab requested exactly its own page and
// nothing else, and logged no problem.
func (w *htmlPageWatch) check(t *testing.T, pageURL string) {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	// The page's own request shows that the listener sees requests.
	if diff := cmp.Diff([]string{pageURL}, w.requests); diff != "" {
		t.Errorf("requests other than the page (-want +got):\n%s", diff)
	}
	for _, p := range w.problems {
		t.Errorf("browser reported: %s", p)
	}
	for _, d := range w.dialogs {
		t.Errorf("page opened a dialog: %s", d)
	}
}

// htmlOpenTab opens a new tab that watches itself.
func htmlOpenTab(t *testing.T, browserCtx context.Context) (context.Context, *htmlPageWatch) {
	t.Helper()
	w := &htmlPageWatch{}
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithListener(w.listen))
	t.Cleanup(cancel)
	return ctx, w
}

// htmlOpenReport writes r as HTML to a temporary file and loads it in a new tab.
func htmlOpenReport(t *testing.T, browserCtx context.Context, r *Report) (context.Context, *htmlPageWatch, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(path, []byte(htmlRender(t, r)), 0o644); err != nil {
		t.Fatal(err)
	}
	pageURL := (&url.URL{Scheme: "file", Path: path}).String()
	ctx, w := htmlOpenTab(t, browserCtx)
	if err := chromedp.Do(ctx, chromedp.Navigate(pageURL)); err != nil {
		t.Fatalf("load %s: %v", pageURL, err)
	}
	return ctx, w, pageURL
}

func htmlCDPRun[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

func htmlCDPDo(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// htmlTableState is what the rule table shows: rows that take up space on the
// page, by status, and the count line.
type htmlTableState struct {
	Visible   int            `json:"visible"`
	ByStatus  map[string]int `json:"byStatus"`
	BySev     map[string]int `json:"bySev"`
	IDs       []string       `json:"ids"`
	ShownText string         `json:"shownText"`
	NoMatch   bool           `json:"noMatch"`
}

const htmlTableStateJS = `(() => {
	const rows = [...document.querySelectorAll("#rules tbody tr.rule")].filter(r => r.getClientRects().length > 0);
	const byStatus = {}, bySev = {};
	for (const r of rows) {
		byStatus[r.dataset.status] = (byStatus[r.dataset.status] || 0) + 1;
		bySev[r.dataset.severity] = (bySev[r.dataset.severity] || 0) + 1;
	}
	return {
		visible: rows.length, byStatus, bySev,
		ids: rows.slice(0, 5).map(r => r.querySelector("td.id").textContent),
		shownText: document.getElementById("shown-count").textContent,
		noMatch: document.getElementById("no-match").getClientRects().length > 0,
	};
})()`

func htmlTableNow(t *testing.T, ctx context.Context) htmlTableState {
	t.Helper()
	return htmlCDPRun(t, ctx, "read the table", chromedp.Evaluate[htmlTableState](htmlTableStateJS))
}

// htmlWantShown checks the visible row count and that the count line agrees.
func htmlWantShown(t *testing.T, st htmlTableState, want, total int, what string) {
	t.Helper()
	if st.Visible != want {
		t.Errorf("%s: %d rows visible, want %d", what, st.Visible, want)
	}
	if text := fmt.Sprintf("Showing %d of %d rules", want, total); st.ShownText != text {
		t.Errorf("%s: count line %q, want %q", what, st.ShownText, text)
	}
	if st.NoMatch != (want == 0) {
		t.Errorf("%s: no-match note shown: %v with %d rows", what, st.NoMatch, want)
	}
}

type htmlBox struct {
	W float64 `json:"w"`
	H float64 `json:"h"`
}

type htmlChartState struct {
	StatusSVG   htmlBox            `json:"statusSVG"`
	SeveritySVG htmlBox            `json:"severitySVG"`
	Segments    map[string]htmlBox `json:"segments"`
	Legend      map[string]string  `json:"legend"`
	DonutTotal  string             `json:"donutTotal"`
	Bars        map[string]string  `json:"bars"`
	BarWidthsJS map[string]float64 `json:"barWidths"`
	FormShown   bool               `json:"formShown"`
	VerdictBG   string             `json:"verdictBG"`
	DetailsOpen int                `json:"detailsOpen"`
}

const htmlChartStateJS = `(() => {
	const box = el => { if (!el) return {w: 0, h: 0}; const r = el.getBoundingClientRect(); return {w: r.width, h: r.height}; };
	const segments = {}, legend = {}, bars = {}, barWidths = {};
	for (const c of document.querySelectorAll("#status-chart circle.seg")) segments[c.dataset.status] = box(c);
	for (const li of document.querySelectorAll("#status-chart li[data-status]")) legend[li.dataset.status] = li.querySelector(".count").textContent;
	for (const g of document.querySelectorAll("#severity-chart g.bar")) {
		bars[g.dataset.severity] = g.querySelector("text.count").textContent;
		barWidths[g.dataset.severity] = box(g.querySelector("rect.fill")).w;
	}
	return {
		statusSVG: box(document.querySelector("#status-chart svg")),
		severitySVG: box(document.querySelector("#severity-chart svg")),
		segments, legend, bars, barWidths,
		donutTotal: document.querySelector("#status-chart .donut-total").textContent,
		formShown: document.getElementById("filters").getClientRects().length > 0,
		verdictBG: getComputedStyle(document.getElementById("compliance")).backgroundColor,
		detailsOpen: document.querySelectorAll("details[open]").length,
	};
})()`

func TestHTMLInBrowser(t *testing.T) {
	browser := htmlNewBrowser(t, 60*time.Second)

	// The watch must see a request when there is one, or its silence
	// about the reports below would mean nothing.
	t.Run("watch sees requests", func(t *testing.T) {
		ctx, w := htmlOpenTab(t, browser)
		doc := `data:text/html,<img src="http://127.0.0.1:9/probe.png">`
		if err := chromedp.Do(ctx, chromedp.Navigate(doc)); err != nil {
			t.Fatal(err)
		}
		w.mu.Lock()
		defer w.mu.Unlock()
		found := false
		for _, u := range w.requests {
			found = found || u == "http://127.0.0.1:9/probe.png"
		}
		if !found {
			t.Errorf("the watch missed the probe's image request; requests: %q", w.requests)
		}
	})

	t.Run("noncompliant", func(t *testing.T) {
		r := htmlLoadGolden(t, "noncompliant.json")
		ctx, w, pageURL := htmlOpenReport(t, browser, r)
		total := len(r.Rules)

		// (a) The charts are drawn and show the summary's numbers.
		cs := htmlCDPRun(t, ctx, "read the charts", chromedp.Evaluate[htmlChartState](htmlChartStateJS))
		if !cs.FormShown {
			t.Fatal("the filter form is hidden: the script did not run")
		}
		if cs.VerdictBG == "" || cs.VerdictBG == "rgba(0, 0, 0, 0)" {
			t.Errorf("the verdict has no background (%q): the style sheet was not applied", cs.VerdictBG)
		}
		for name, b := range map[string]htmlBox{"status chart": cs.StatusSVG, "severity chart": cs.SeveritySVG} {
			if b.W <= 0 || b.H <= 0 {
				t.Errorf("%s has size %vx%v", name, b.W, b.H)
			}
		}
		wantLegend := map[string]string{}
		for st, n := range htmlSummaryMap(r.Summary) {
			wantLegend[st] = fmt.Sprint(n)
			seg, drawn := cs.Segments[st]
			if drawn != (n > 0) || (drawn && (seg.W <= 0 || seg.H <= 0)) {
				t.Errorf("status %s (%d rules): arc drawn %v, size %vx%v", st, n, drawn, seg.W, seg.H)
			}
		}
		if diff := cmp.Diff(wantLegend, cs.Legend); diff != "" {
			t.Errorf("status legend vs summary (-want +got):\n%s", diff)
		}
		if cs.DonutTotal != fmt.Sprint(r.Summary.Total) {
			t.Errorf("donut total %q, want %d", cs.DonutTotal, r.Summary.Total)
		}
		wantBars := map[string]string{}
		most, mostSev := 0, ""
		for sev, n := range htmlFailingBySeverity(r) {
			wantBars[sev] = fmt.Sprint(n)
			if n > most {
				most, mostSev = n, sev
			}
			if w := cs.BarWidthsJS[sev]; (n > 0) != (w > 0) {
				t.Errorf("severity %s: %d failing rules, bar %v px wide", sev, n, w)
			}
		}
		if diff := cmp.Diff(wantBars, cs.Bars); diff != "" {
			t.Errorf("severity bars vs failing rules (-want +got):\n%s", diff)
		}
		for sev, w := range cs.BarWidthsJS {
			if w > cs.BarWidthsJS[mostSev] {
				t.Errorf("bar of %s (%v px) longer than that of %s, the most common (%v px)", sev, w, mostSev, cs.BarWidthsJS[mostSev])
			}
		}
		if cs.DetailsOpen != 0 {
			t.Errorf("%d details open on load", cs.DetailsOpen)
		}

		// (b) Every rule has a visible row.
		st := htmlTableNow(t, ctx)
		htmlWantShown(t, st, total, total, "on load")
		if total < 200 {
			t.Errorf("the report has %d rules, the test expects the whole default baseline", total)
		}

		// (c) Filtering by status: fail only.
		for _, s := range []string{"pass", "not_applicable", "error", "waived"} {
			htmlCDPDo(t, ctx, "uncheck "+s, chromedp.Click(chromedp.CSS(`#filters input[name=status][value="`+s+`"]`)))
		}
		st = htmlTableNow(t, ctx)
		htmlWantShown(t, st, r.Summary.Fail, total, "status fail")
		if diff := cmp.Diff(map[string]int{"fail": r.Summary.Fail}, st.ByStatus); diff != "" {
			t.Errorf("status fail: rows by status (-want +got):\n%s", diff)
		}
		// ... and severity high on top.
		for _, s := range []string{"critical", "medium", "low", "info"} {
			htmlCDPDo(t, ctx, "uncheck "+s, chromedp.Click(chromedp.CSS(`#filters input[name=severity][value="`+s+`"]`)))
		}
		st = htmlTableNow(t, ctx)
		failHigh := htmlFailingBySeverity(r)["high"]
		htmlWantShown(t, st, failHigh, total, "status fail, severity high")
		if diff := cmp.Diff(map[string]int{"high": failHigh}, st.BySev); diff != "" {
			t.Errorf("severity high: rows by severity (-want +got):\n%s", diff)
		}
		// Nothing at all.
		htmlCDPDo(t, ctx, "uncheck fail", chromedp.Click(chromedp.CSS(`#filters input[name=status][value="fail"]`)))
		htmlWantShown(t, htmlTableNow(t, ctx), 0, total, "no status")

		// "Show all" resets every filter.
		htmlCDPDo(t, ctx, "reset", chromedp.Click(chromedp.CSS(`#filters button[type=reset]`)))
		htmlWantShown(t, htmlTableNow(t, ctx), total, total, "after reset")

		// Free text: a rule id finds exactly its rule; a word finds what
		// a search of ids, titles and reason phrases finds.
		id := r.Rules[0].ID
		if n := htmlMatchingRules(r, id); n != 1 {
			t.Fatalf("%d rules match %q, the test needs exactly 1", n, id)
		}
		htmlCDPDo(t, ctx, "type the id", chromedp.SendKeys(chromedp.ID("search"), id))
		st = htmlTableNow(t, ctx)
		htmlWantShown(t, st, 1, total, "search "+id)
		if diff := cmp.Diff([]string{id}, st.IDs); diff != "" {
			t.Errorf("search %s: rows (-want +got):\n%s", id, diff)
		}
		// The one row opens to its details.
		htmlCDPDo(t, ctx, "open the row", chromedp.Click(chromedp.CSS(`#rules tr.rule:not([hidden]) summary`)))
		detail := htmlCDPRun(t, ctx, "read the details", chromedp.Evaluate[string](
			`[...document.querySelectorAll("#rules tr.rule:not([hidden]) .detail")].filter(d => d.getClientRects().length > 0).map(d => d.innerText).join("\n")`))
		for _, want := range []string{r.Rules[0].Reasons[0].Phrase, "Expected", "Actual", "Remediation", r.Rules[0].Remediation} {
			if !strings.Contains(strings.ToLower(detail), strings.ToLower(want)) { // headings are upper-cased by CSS
				t.Errorf("the opened row does not show %q; it shows:\n%s", want, detail)
			}
		}

		htmlCDPDo(t, ctx, "reset", chromedp.Click(chromedp.CSS(`#filters button[type=reset]`)))
		const word = "SSH"
		want := htmlMatchingRules(r, word)
		if want < 2 || want == total {
			t.Fatalf("%d rules match %q: not a useful test", want, word)
		}
		htmlCDPDo(t, ctx, "type a word", chromedp.SendKeys(chromedp.ID("search"), word))
		htmlWantShown(t, htmlTableNow(t, ctx), want, total, "search "+word)
		// Text and status filters combine.
		htmlCDPDo(t, ctx, "uncheck pass", chromedp.Click(chromedp.CSS(`#filters input[name=status][value="pass"]`)))
		htmlWantShown(t, htmlTableNow(t, ctx), htmlMatchingRules(r, word, result.StatusFail, result.StatusNotApplicable), total, "search "+word+" without pass")
		// Enter does not submit the form anywhere.
		htmlCDPDo(t, ctx, "press enter", chromedp.SendKeys(chromedp.ID("search"), "\r"))
		if loc := htmlCDPRun(t, ctx, "location", chromedp.Location()); loc != pageURL {
			t.Errorf("after Enter the page is %s", loc)
		}

		// (d) Nothing but the page was requested, nothing went wrong.
		w.check(t, pageURL)
	})

	t.Run("hostile", func(t *testing.T) {
		r := htmlHostileReport()
		ctx, w, pageURL := htmlOpenReport(t, browser, r)
		htmlWantShown(t, htmlTableNow(t, ctx), len(r.Rules), len(r.Rules), "on load")
		type hostileState struct {
			Images   int      `json:"images"`
			Scripts  int      `json:"scripts"`
			Handlers int      `json:"handlers"`
			Summary  []string `json:"summary"`
			Title    string   `json:"title"`
		}
		hs := htmlCDPRun(t, ctx, "inspect", chromedp.Evaluate[hostileState](`(() => ({
			images: document.querySelectorAll("img, image").length,
			scripts: document.scripts.length,
			handlers: [...document.querySelectorAll("*")].filter(e => [...e.attributes].some(a => a.name.startsWith("on"))).length,
			summary: [...document.querySelectorAll("#rules summary")].map(s => s.textContent),
			title: document.title,
		}))()`))
		if hs.Images != 0 || hs.Scripts != 2 || hs.Handlers != 0 {
			t.Errorf("the report's strings became markup: %d images, %d scripts, %d elements with handlers", hs.Images, hs.Scripts, hs.Handlers)
		}
		wantTitle := "title " + htmlHostileScript + htmlHostileImg + `\u202egnp.exe\x1b[31m\x00`
		if len(hs.Summary) == 0 || hs.Summary[0] != wantTitle {
			t.Errorf("first rule title reads %q, want %q", hs.Summary, wantTitle)
		}
		// The unknown status has a working filter of its own.
		htmlCDPDo(t, ctx, "uncheck the unknown status", chromedp.Evaluate[chromedp.Void](
			`[...document.querySelectorAll("#filters input[name=status]")].find(b => b.value.startsWith("st ")).click()`))
		htmlWantShown(t, htmlTableNow(t, ctx), len(r.Rules)-1, len(r.Rules), "without the unknown status")
		htmlCDPDo(t, ctx, "open every row", chromedp.Evaluate[chromedp.Void](
			`document.querySelectorAll("#rules details").forEach(d => { d.open = true; })`))
		if n := htmlCDPRun(t, ctx, "count images", chromedp.Evaluate[int](`document.querySelectorAll("img, image, script:not([type])").length`)); n != 1 {
			t.Errorf("after opening the rows: %d images and code scripts, want 1 (ours)", n)
		}
		w.check(t, pageURL)
	})
}

// htmlMatchingRules counts the rules with one of the statuses (any when none
// is given) whose id, title or a reason phrase contains q, case-insensitive:
// the search the page promises.
func htmlMatchingRules(r *Report, q string, statuses ...result.Status) int {
	q = strings.ToLower(q)
	n := 0
	for _, rule := range r.Rules {
		if len(statuses) > 0 && !htmlContainsStatus(statuses, rule.Status) {
			continue
		}
		text := []string{rule.ID, rule.Title}
		for _, reason := range rule.Reasons {
			text = append(text, reason.Phrase)
		}
		if strings.Contains(strings.ToLower(strings.Join(text, "\n")), q) {
			n++
		}
	}
	return n
}

func htmlContainsStatus(list []result.Status, s result.Status) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
