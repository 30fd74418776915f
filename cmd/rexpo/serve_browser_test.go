package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// The end-to-end test of the upload page in a real headless Chromium. It
// refreshes the README's screenshot with
//
//	go test ./cmd/rexpo -run TestServeInBrowser -screenshot=../../docs/serve.png
var screenshotPath = flag.String("screenshot", "", "write a screenshot of the page after an upload to this PNG `file`")

// chromiumPath finds Chromium, or skips the test when there is none and CI
// is not set (in CI a missing browser is a failure: .ci/run installs it).
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no Chromium found, and CI is set: install Debian's chromium (see .ci/run)")
	}
	t.Skip("no Chromium found: install it (apt-get install chromium) to run the browser test of rexpo serve")
	return ""
}

// newBrowser starts a headless Chromium with a fresh profile and returns
// a tab's context. Everything it loads comes from the loopback test server.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	exe := chromiumPath(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	var out bytes.Buffer
	actx, acancel := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1000, 700),
		chromedp.CombinedOutput(&out),
	)
	t.Cleanup(acancel)
	tctx, tcancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		tcancel()
		if t.Failed() && out.Len() > 0 {
			t.Logf("Chromium's output:\n%s", out.String())
		}
	})
	if err := chromedp.Do(tctx); err != nil { // start the browser
		t.Fatalf("starting Chromium %s: %v", exe, err)
	}
	return tctx
}

func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// TestServeInBrowser opens the page, uploads the sample workbook, submits,
// reads the headline figures, downloads the workbook through the browser
// and checks its Summary against the JSON the API answers for the same
// upload and settings.
func TestServeInBrowser(t *testing.T) {
	ctx := newBrowser(t)
	_, ts, _ := newTestServer(t, testOptions())
	dir := t.TempDir()
	sample := filepath.Join(dir, "sample.xlsx")
	must(t, "write the sample", os.WriteFile(sample, mustSample(t), 0o644))
	dialogs := watchDialogs(t, ctx)

	must(t, "open the page", chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/")))
	title, err := chromedp.Run(ctx, chromedp.Title())
	must(t, "title", err)
	if title != "rexpo" {
		t.Errorf("title %q", title)
	}
	boxes, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('input[name=only]:checked').length`))
	must(t, "count the scenario boxes", err)
	if boxes == 0 {
		t.Fatal("no scenario box ticked on the empty form")
	}

	// Fill in the form as a user does: the file, a horizon, and (under
	// More settings) the as-of time, so the API can compute the same.
	must(t, "fill in the form", chromedp.Do(ctx,
		chromedp.SetUploadFiles(chromedp.ID("bom"), []string{sample}),
		chromedp.SendKeys(chromedp.ID("horizon"), "30"),
		chromedp.Click(chromedp.CSS("details.more summary")),
		chromedp.SendKeys(chromedp.ID("as-of"), testAsOf),
	))
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("submit")))
	must(t, "submit", err)
	if resp.Status != http.StatusOK {
		t.Fatalf("submit: status %d", resp.Status)
	}
	must(t, "the results", chromedp.Do(ctx, chromedp.WaitVisible(chromedp.ID("expected"))))
	text := func(id string) string {
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID(id)))
		must(t, "read #"+id, err)
		return strings.TrimSpace(s)
	}
	shown := map[string]string{"baseline": text("baseline"), "expected": text("expected"), "worst": text("worst")}
	if *screenshotPath != "" {
		must(t, "viewport", chromedp.Do(ctx, chromedp.EmulateViewport(1000, 700)))
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		must(t, "screenshot", err)
		must(t, "write the screenshot", os.WriteFile(*screenshotPath, png, 0o644))
	}

	// Download the workbook as the user does, by clicking the link.
	downloads := filepath.Join(dir, "downloads")
	must(t, "download folder", os.Mkdir(downloads, 0o755))
	yes := true
	_, err = chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: downloads, EventsEnabled: &yes})
	must(t, "allow downloads", err)
	progress := chromedp.BrowserEvents(ctx, browser.DownloadProgress)
	must(t, "click the download link", chromedp.Do(ctx, chromedp.Click(chromedp.ID("download"))))
	var file string
	for ev, err := range progress {
		must(t, "download", err)
		if ev.State == browser.DownloadProgressStateCanceled {
			t.Fatal("the browser cancelled the download")
		}
		if ev.State == browser.DownloadProgressStateCompleted {
			file = filepath.Join(downloads, ev.GUID)
			break
		}
	}
	data, err := os.ReadFile(file)
	must(t, "read the download", err)
	book, err := excelize.OpenReader(bytes.NewReader(data))
	must(t, "open the downloaded workbook", err)
	defer book.Close()

	// The JSON of the same upload.
	status, _, body := post(t, nil, ts.URL+"/api/report",
		sampleFields(field{key: "horizon", value: "30"}), mustSample(t), "application/json")
	if status != http.StatusOK {
		t.Fatalf("API: status %d: %s", status, body)
	}
	var doc reportJSON
	must(t, "decode the JSON", json.Unmarshal(body, &doc))
	if n := len(doc.Scenarios[0].Months); n != 30 {
		t.Errorf("the API computed %d months, want 30", n)
	}

	baseline, worst := decimal.Zero, decimal.Zero
	for _, p := range doc.Products {
		baseline = baseline.Add(dec(t, p.BaselineUnitCost).Mul(dec(t, p.AnnualVolume)))
	}
	for i, s := range doc.Scenarios {
		if d := dec(t, s.AnnualDelta); i == 0 || d.GreaterThan(worst) {
			worst = d
		}
	}
	want := map[string]decimal.Decimal{"baseline": baseline, "expected": dec(t, doc.Expected), "worst": worst}
	for id, w := range want {
		if got := shown[id]; got != money(w) {
			t.Errorf("the page shows %s %s, the JSON says %s", id, got, money(w))
		}
	}
	summary := map[string]string{
		"Baseline annual cost of all products":              "baseline",
		"Expected annual cost change, probability-weighted": "expected",
		"Worst scenario's annual cost change":               "worst",
	}
	rows, err := book.GetRows("Summary", excelize.Options{RawCellValue: true})
	must(t, "read the Summary", err)
	found := map[string]bool{}
	for _, row := range rows {
		if len(row) < 4 {
			continue
		}
		for label, id := range summary {
			if !strings.HasPrefix(row[0], label) || found[id] {
				continue
			}
			found[id] = true
			got, err := decimal.NewFromString(row[3])
			if err != nil {
				t.Errorf("Summary %q: %q is not a number", label, row[3])
				continue
			}
			if w := want[id].Round(2); !got.Round(2).Equal(w) {
				t.Errorf("Summary %q: the workbook says %s, the JSON %s", label, got.Round(2), w)
			}
		}
	}
	for label, id := range summary {
		if !found[id] {
			t.Errorf("the downloaded Summary has no row %q", label)
		}
	}
	if d := dialogs(); len(d) > 0 {
		t.Errorf("the page opened dialogs: %q", d)
	}
}

// TestServeInBrowserProblems uploads a workbook whose cell holds a
// <script> element: the page lists the problem as text, and no script
// runs.
func TestServeInBrowserProblems(t *testing.T) {
	ctx := newBrowser(t)
	_, ts, _ := newTestServer(t, testOptions())
	path := filepath.Join(t.TempDir(), "script.xlsx")
	must(t, "write the workbook", os.WriteFile(path, scriptWorkbook(t), 0o644))
	dialogs := watchDialogs(t, ctx)
	must(t, "open the page", chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/")))
	must(t, "choose the file", chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.ID("bom"), []string{path})))
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("submit")))
	must(t, "submit", err)
	if resp.Status != http.StatusBadRequest {
		t.Errorf("status %d, want 400", resp.Status)
	}
	list, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#problems ul")))
	must(t, "read the problems", err)
	if !strings.Contains(list, "error BOM!D3:") || !strings.Contains(list, "<script>alert(1)</script>") {
		t.Errorf("the page's problems:\n%s\nwant BOM!D3 quoting the cell as text", list)
	}
	scripts, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('script').length`))
	must(t, "count scripts", err)
	if scripts != 0 {
		t.Errorf("the page holds %d script element(s)", scripts)
	}
	// The form is there again, ready for the fixed file.
	if _, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("horizon"))); err != nil {
		t.Errorf("no form below the problems: %v", err)
	}
	if d := dialogs(); len(d) > 0 {
		t.Errorf("the page opened dialogs: %q", d)
	}
}

// watchDialogs records the dialogs (alert, confirm, prompt) the page
// opens, dismissing each so that the page goes on.
func watchDialogs(t *testing.T, ctx context.Context) func() []string {
	var mu sync.Mutex
	var seen []string
	dctx, cancel := context.WithCancel(ctx)
	t.Cleanup(cancel)
	events := chromedp.Events(dctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range events {
			if err != nil {
				return
			}
			mu.Lock()
			seen = append(seen, string(ev.Type)+": "+ev.Message)
			mu.Unlock()
			chromedp.Call(dctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{})
		}
	}()
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(seen)
	}
}

// TestServeInBrowserTooLarge uploads a file over --max-upload: the browser
// shows the page that says so, not a reset connection.
func TestServeInBrowserTooLarge(t *testing.T) {
	ctx := newBrowser(t)
	o := testOptions()
	o.maxUpload = 64 << 10
	_, ts, _ := newTestServer(t, o)
	path := filepath.Join(t.TempDir(), "big.xlsx")
	must(t, "write the file", os.WriteFile(path, bytes.Repeat([]byte("rexpo "), 4<<20), 0o644)) // 24 MiB
	must(t, "open the page", chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/")))
	must(t, "choose the file", chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.ID("bom"), []string{path})))
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.ID("submit")))
	must(t, "submit", err)
	if resp.Status != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d, want 413", resp.Status)
	}
	msg, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("error")))
	must(t, "read the message", err)
	if !strings.Contains(msg, "64 KiB") {
		t.Errorf("the page says %q; want the limit, 64 KiB", msg)
	}
}
