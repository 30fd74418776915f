package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"rexpo/inputs"
	"rexpo/workbook"
)

// testAsOf fixes the as-of time (and so the projection's start) of the
// reports the tests compare.
const testAsOf = "2026-11-26T00:00:00Z"

// sampleWorkbook is the embedded sample input of rexpo demo as an .xlsx
// upload: each of its CSV files becomes a sheet, every cell text as the
// CSV holds it.
var sampleWorkbook = sync.OnceValues(func() ([]byte, error) {
	b, err := inputs.Sample()
	if err != nil {
		return nil, err
	}
	defer b.Close()
	f := excelize.NewFile()
	defer f.Close()
	names := map[string]string{"bom": "BOM", "fx": "FX", "products": "Products", "settings": "Settings", "signals": "Signals", "sourcing": "Sourcing"}
	for i, sheet := range b.Sheets() {
		name := names[sheet]
		if name == "" {
			name = sheet
		}
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return nil, err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return nil, err
		}
		rr, err := b.Rows(sheet)
		if err != nil {
			return nil, err
		}
		for rr.Next() {
			row := rr.Row()
			for c, cell := range row.Cells {
				if cell.Text == "" {
					continue
				}
				ref, err := excelize.CoordinatesToCellName(c+1, row.Num)
				if err != nil {
					return nil, err
				}
				if err := f.SetCellStr(name, ref, cell.Text); err != nil {
					return nil, err
				}
			}
		}
		if err := rr.Err(); err != nil {
			return nil, err
		}
		rr.Close()
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
})

func mustSample(t testing.TB) []byte {
	t.Helper()
	data, err := sampleWorkbook()
	if err != nil {
		t.Fatalf("sample workbook: %v", err)
	}
	return data
}

// mustWorkbook builds a workbook from rows per sheet (first row headers).
func mustWorkbook(t testing.TB, sheets map[string][][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	first := true
	for _, name := range []string{"Products", "BOM", "Sourcing", "Settings"} {
		rows, ok := sheets[name]
		if !ok {
			continue
		}
		if first {
			f.SetSheetName("Sheet1", name)
			first = false
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellStr(name, ref, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// scriptWorkbook has a quantity cell holding a <script> element: an error
// whose message quotes the cell.
func scriptWorkbook(t testing.TB) []byte {
	return mustWorkbook(t, map[string][][]string{
		"Products": {{"product", "name", "annual_volume"}, {"P1", "Motor", "1000"}},
		"BOM": {
			{"product", "part_number", "parent", "qty_per", "unit_cost", "material", "re_mass_kg", "component_country"},
			{"P1", "MOT", "", "1", "50", "", "", "US"},
			{"P1", "MAG", "MOT", "<script>alert(1)</script>", "100", "NDFEB_38UH_BULK", "0.5", "CN"},
		},
	})
}

func testOptions() serveOptions {
	return serveOptions{
		addr: "127.0.0.1:0", maxUpload: 8 << 20, maxUnzipped: 1 << 30,
		uploadTimeout: time.Minute, reportTimeout: time.Minute, maxConcurrent: 2, queueWait: 5 * time.Second,
	}
}

// newTestServer starts the handler on a loopback port; log lines go to
// the returned buffer.
func newTestServer(t testing.TB, o serveOptions) (*server, *httptest.Server, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	s, err := newServer(o, logs)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.handler())
	t.Cleanup(ts.Close)
	return s, ts, logs
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// field is one multipart field: a file when name is set.
type field struct{ key, value, file string }

// multipartBody encodes fields as a form.
func multipartBody(t testing.TB, fields []field, data []byte) (body []byte, ctype string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, f := range fields {
		if f.file != "" {
			w, err := mw.CreateFormFile(f.key, f.file)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(data)
			continue
		}
		mw.WriteField(f.key, f.value)
	}
	mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}

// post sends a form to path and returns the status, headers and body.
func post(t testing.TB, client *http.Client, url string, fields []field, data []byte, accept string) (int, http.Header, []byte) {
	t.Helper()
	body, ctype := multipartBody(t, fields, data)
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ctype)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("POST %s: reading the answer: %v", url, err)
	}
	return resp.StatusCode, resp.Header, out
}

func sampleFields(extra ...field) []field {
	return append([]field{{key: "bom", file: "sample.xlsx"}, {key: "as-of", value: testAsOf}}, extra...)
}

// reportJSON is the part of the SPEC section 10 JSON the tests read.
type reportJSON struct {
	Currency string `json:"currency"`
	Products []struct {
		Product          string `json:"product"`
		AnnualVolume     string `json:"annual_volume"`
		BaselineUnitCost string `json:"baseline_unit_cost"`
	} `json:"products"`
	Scenarios []struct {
		ID          string `json:"id"`
		Name        string `json:"name"`
		AnnualDelta string `json:"annual_delta"`
		Months      []struct {
			Month string `json:"month"`
		} `json:"months"`
	} `json:"scenarios"`
	Expected string `json:"expected_annual_delta"`
}

type problemsJSON struct {
	Error    string        `json:"error"`
	Problems []problemJSON `json:"problems"`
}

func TestServeReportWorkbook(t *testing.T) {
	_, ts, _ := newTestServer(t, testOptions())
	status, h, body := post(t, nil, ts.URL+"/api/report", sampleFields(), mustSample(t), "")
	if status != http.StatusOK {
		t.Fatalf("status %d, want 200: %s", status, body)
	}
	if ct := h.Get("Content-Type"); ct != xlsxType {
		t.Errorf("Content-Type %q, want %q", ct, xlsxType)
	}
	disp, params, err := mime.ParseMediaType(h.Get("Content-Disposition"))
	if err != nil || disp != "attachment" || params["filename"] != "sample-report.xlsx" {
		t.Errorf("Content-Disposition %q, want an attachment named sample-report.xlsx", h.Get("Content-Disposition"))
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("the answer is not a workbook: %v", err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) == 0 || got[0] != "Summary" {
		t.Errorf("sheets %v, want Summary first", got)
	}
}

// The JSON of an upload of the sample equals the demo's, which reads the
// same sample from the embedded CSV files.
func TestServeReportJSON(t *testing.T) {
	_, ts, _ := newTestServer(t, testOptions())
	status, h, body := post(t, nil, ts.URL+"/api/report", sampleFields(), mustSample(t), "application/json")
	if status != http.StatusOK {
		t.Fatalf("status %d, want 200: %s", status, body)
	}
	if ct := h.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	var got reportJSON
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	dir := t.TempDir()
	js := filepath.Join(dir, "demo.json")
	// An upload carries no declaration files: the demo leaves the sample's out too.
	if _, stderr, code := run(t, "demo", "-o", filepath.Join(dir, "demo.xlsx"), "--json", js, "--as-of", testAsOf, "--declarations="); code != 0 {
		t.Fatalf("demo: exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	var want reportJSON
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	if got.Expected != want.Expected || got.Expected == "" {
		t.Errorf("expected_annual_delta %q, demo says %q", got.Expected, want.Expected)
	}
	if len(got.Scenarios) != len(want.Scenarios) || len(got.Scenarios) == 0 {
		t.Fatalf("%d scenarios, demo has %d", len(got.Scenarios), len(want.Scenarios))
	}
	for i := range want.Scenarios {
		if g, w := got.Scenarios[i], want.Scenarios[i]; g.ID != w.ID || g.AnnualDelta != w.AnnualDelta {
			t.Errorf("scenario %d: %s %s, demo %s %s", i, g.ID, g.AnnualDelta, w.ID, w.AnnualDelta)
		}
	}
	status, _, body = post(t, nil, ts.URL+"/api/report", sampleFields(field{key: "horizon", value: "36"}), mustSample(t), "application/json")
	if status != http.StatusOK {
		t.Fatalf("horizon 36: status %d: %s", status, body)
	}
	got = reportJSON{}
	json.Unmarshal(body, &got)
	if n := len(got.Scenarios[0].Months); n != 36 {
		t.Errorf("horizon field: %d months, want 36", n)
	}
}

// Only computes the ticked scenarios, given as repeated fields or a list.
func TestServeOnly(t *testing.T) {
	s, ts, _ := newTestServer(t, testOptions())
	a, b := s.library[0].ID, s.library[1].ID
	for _, fields := range [][]field{
		sampleFields(field{key: "only", value: a}, field{key: "only", value: b}),
		sampleFields(field{key: "only", value: a + ", " + b}),
	} {
		status, _, body := post(t, nil, ts.URL+"/api/report", fields, mustSample(t), "application/json")
		if status != http.StatusOK {
			t.Fatalf("status %d: %s", status, body)
		}
		var got reportJSON
		json.Unmarshal(body, &got)
		if len(got.Scenarios) != 2 || got.Scenarios[0].ID != a || got.Scenarios[1].ID != b {
			t.Errorf("only %s,%s: got %d scenarios", a, b, len(got.Scenarios))
		}
	}
	status, _, body := post(t, nil, ts.URL+"/api/report", sampleFields(field{key: "only", value: "no-such"}), mustSample(t), "application/json")
	if status != http.StatusBadRequest || !strings.Contains(string(body), "unknown scenario") {
		t.Errorf("unknown scenario: status %d, %s", status, body)
	}
}

func TestServeBrokenFile(t *testing.T) {
	_, ts, _ := newTestServer(t, testOptions())
	for _, tc := range []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"not a workbook", "bom.xlsx", []byte("just some text"), "not an .xlsx workbook"},
		{"damaged zip", "bom.xlsx", append([]byte("PK\x03\x04"), bytes.Repeat([]byte{7}, 200)...), "damaged"},
		{"encrypted", "bom.xlsx", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 600)...), "password"},
		{"truncated", "bom.xlsx", mustSample(t)[:2000], "bom.xlsx"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := post(t, nil, ts.URL+"/api/report", []field{{key: "bom", file: tc.file}}, tc.data, "application/json")
			if status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", status, body)
			}
			var got problemsJSON
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, body)
			}
			if len(got.Problems) == 0 || !got.Problems[0].Error || !strings.Contains(got.Problems[0].Message, tc.want) {
				t.Errorf("problems %+v, want an error mentioning %q", got.Problems, tc.want)
			}
		})
	}
}

// A workbook that unzips to more than --max-unzipped is a bad input.
func TestServeMaxUnzipped(t *testing.T) {
	o := testOptions()
	o.maxUnzipped = 16 << 10
	_, ts, _ := newTestServer(t, o)
	status, _, body := post(t, nil, ts.URL+"/api/report", sampleFields(), mustSample(t), "application/json")
	if status != http.StatusBadRequest {
		t.Fatalf("status %d, want 400: %s", status, body)
	}
	var got problemsJSON
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Problems) != 1 || !strings.Contains(got.Problems[0].Message, "16 KiB") {
		t.Errorf("problems %+v, want one naming the 16 KiB limit", got.Problems)
	}
}

// A bad input answers 400 with the list validate prints: as JSON, as text
// and on the page, where a cell holding <script> shows as text.
func TestServeInputProblems(t *testing.T) {
	_, ts, _ := newTestServer(t, testOptions())
	data := scriptWorkbook(t)
	path := filepath.Join(t.TempDir(), "script.xlsx")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	validated, _, code := run(t, "validate", path)
	if code != exitInput {
		t.Fatalf("validate: exit %d, want %d:\n%s", code, exitInput, validated)
	}
	wantLines := strings.Split(strings.TrimSpace(validated), "\n")
	if !strings.Contains(validated, "<script>") {
		t.Fatalf("the fixture's problem does not quote the cell:\n%s", validated)
	}
	fields := []field{{key: "bom", file: "script.xlsx"}}

	status, _, body := post(t, nil, ts.URL+"/api/report", fields, data, "application/json")
	if status != http.StatusBadRequest {
		t.Fatalf("JSON: status %d, want 400", status)
	}
	var pj problemsJSON
	if err := json.Unmarshal(body, &pj); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range pj.Problems {
		if p.Error && p.Sheet == "BOM" && p.Cell == "D3" && strings.Contains(p.Message, "<script>") {
			found = true
		}
	}
	if !found {
		t.Errorf("JSON problems lack BOM!D3 quoting the cell: %s", body)
	}

	status, h, body := post(t, nil, ts.URL+"/api/report", fields, data, "")
	if status != http.StatusBadRequest || !strings.HasPrefix(h.Get("Content-Type"), "text/plain") {
		t.Fatalf("text: status %d, %s", status, h.Get("Content-Type"))
	}
	for _, l := range wantLines {
		if !strings.Contains(string(body), l+"\n") {
			t.Errorf("text answer lacks validate's line %q:\n%s", l, body)
		}
	}

	status, h, body = post(t, nil, ts.URL+"/report", append(fields, allScenarios(t, ts)...), data, "")
	if status != http.StatusBadRequest || !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
		t.Fatalf("page: status %d, %s", status, h.Get("Content-Type"))
	}
	page := string(body)
	if strings.Contains(page, "<script>alert") {
		t.Errorf("the page holds the cell's <script> unescaped")
	}
	if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("the page lacks the escaped cell text")
	}
	got := problemItems(page)
	if strings.Join(got, "\n") != strings.Join(wantLines, "\n") {
		t.Errorf("page problems:\n%s\nvalidate prints:\n%s", strings.Join(got, "\n"), strings.Join(wantLines, "\n"))
	}
}

var liRE = regexp.MustCompile(`<li class="is-(?:error|warning)">([^<]*)</li>`)

// problemItems returns the problem lines of a page, unescaped.
func problemItems(page string) []string {
	var out []string
	for _, m := range liRE.FindAllStringSubmatch(page, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// allScenarios ticks every scenario box, as the page's form does.
func allScenarios(t testing.TB, ts *httptest.Server) []field {
	resp, err := http.Get(ts.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	var out []field
	for _, m := range regexp.MustCompile(`name="only" value="([^"]+)"`).FindAllStringSubmatch(string(page), -1) {
		out = append(out, field{key: "only", value: m[1]})
	}
	if len(out) == 0 {
		t.Fatal("the form has no scenario boxes")
	}
	return out
}

func TestServeTooLarge(t *testing.T) {
	o := testOptions()
	o.maxUpload = 4 << 10
	_, ts, _ := newTestServer(t, o)
	data := mustSample(t)
	if len(data) <= int(o.maxUpload) {
		t.Fatalf("the sample (%d bytes) is not larger than the limit", len(data))
	}
	// With a Content-Length the request is refused before it is read.
	status, _, body := post(t, nil, ts.URL+"/api/report", sampleFields(), bytes.Repeat(data, 100), "application/json")
	if status != http.StatusRequestEntityTooLarge {
		t.Errorf("with Content-Length: status %d, want 413: %s", status, body)
	}
	// Without one, reading stops at the limit.
	form, ctype := multipartBody(t, sampleFields(), data)
	for _, path := range []string{"/api/report", "/report"} {
		req, _ := http.NewRequest(http.MethodPost, ts.URL+path, io.MultiReader(bytes.NewReader(form)))
		req.Header.Set("Content-Type", ctype)
		req.ContentLength = -1
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("%s, chunked: status %d, want 413: %s", path, resp.StatusCode, b)
		}
		if path == "/report" && !strings.Contains(string(b), "4 KiB") {
			t.Errorf("the page does not name the limit:\n%s", b)
		}
	}
}

func TestServeWrongField(t *testing.T) {
	_, ts, _ := newTestServer(t, testOptions())
	data := mustSample(t)
	for _, tc := range []struct {
		name   string
		fields []field
		want   string
	}{
		{"file in another field", []field{{key: "file", file: "sample.xlsx"}}, `field "bom"`},
		{"no file", []field{{key: "horizon", value: "24"}}, `field "bom"`},
		{"unknown setting", []field{{key: "bom", file: "sample.xlsx"}, {key: "horizn", value: "24"}}, `unknown field "horizn"`},
		{"two files", []field{{key: "bom", file: "a.xlsx"}, {key: "bom", file: "b.xlsx"}}, "one workbook"},
		{"bad setting", sampleFields(field{key: "horizon", value: "six"}), "--horizon"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, _, body := post(t, nil, ts.URL+"/api/report", tc.fields, data, "application/json")
			if status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", status, body)
			}
			var got problemsJSON
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatal(err)
			}
			if len(got.Problems) == 0 || !strings.Contains(got.Problems[0].Place()+" "+got.Problems[0].Message, tc.want) {
				t.Errorf("problems %+v, want one mentioning %q", got.Problems, tc.want)
			}
		})
	}
	resp, err := http.Post(ts.URL+"/api/report", "application/x-www-form-urlencoded", strings.NewReader("bom=x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("not multipart: status %d, want 400", resp.StatusCode)
	}
}

// Place lets tests match a JSON problem's place as validate writes it.
func (p problemJSON) Place() string {
	return inputs.Problem{Sheet: p.Sheet, Cell: p.Cell}.Place()
}

// A report past --report-timeout answers 503; the slot comes back when
// the computation stops.
func TestServeTimeout(t *testing.T) {
	o := testOptions()
	o.reportTimeout = 300 * time.Millisecond
	s, ts, _ := newTestServer(t, o)
	stopped := make(chan struct{})
	s.load = func(ctx context.Context, o runOptions, b *workbook.Book, name, sum string) (*loaded, error) {
		<-ctx.Done() // a slow report that notices its end
		close(stopped)
		return nil, ctx.Err()
	}
	start := time.Now()
	status, _, body := post(t, nil, ts.URL+"/api/report", sampleFields(), mustSample(t), "application/json")
	if status != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503: %s", status, body)
	}
	if !strings.Contains(string(body), "--report-timeout") {
		t.Errorf("the answer does not name the limit: %s", body)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %s for a %s limit", d, o.reportTimeout)
	}
	<-stopped
	waitFor(t, "the slot to come back", func() bool { return len(s.slots) == 0 })
}

// A report past its time that does not notice keeps its slot until it
// ends, so the count of running reports stays true.
func TestServeTimeoutKeepsSlot(t *testing.T) {
	o := testOptions()
	o.reportTimeout, o.maxConcurrent, o.queueWait = 200*time.Millisecond, 1, 50*time.Millisecond
	s, ts, _ := newTestServer(t, o)
	release := make(chan struct{})
	s.load = func(ctx context.Context, o runOptions, b *workbook.Book, name, sum string) (*loaded, error) {
		<-release
		return nil, errors.New("stopped")
	}
	status, _, _ := post(t, nil, ts.URL+"/api/report", sampleFields(), mustSample(t), "")
	if status != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503", status)
	}
	status, h, _ := post(t, nil, ts.URL+"/api/report", sampleFields(), mustSample(t), "")
	if status != http.StatusServiceUnavailable || h.Get("Retry-After") == "" {
		t.Errorf("while the first still runs: status %d, Retry-After %q; want 503 with Retry-After", status, h.Get("Retry-After"))
	}
	close(release)
	waitFor(t, "the slot to come back", func() bool { return len(s.slots) == 0 })
}

// More reports than --max-concurrent wait --queue-wait, then get 503 with
// Retry-After.
func TestServeOverload(t *testing.T) {
	o := testOptions()
	o.maxConcurrent, o.queueWait = 1, 200*time.Millisecond
	s, ts, _ := newTestServer(t, o)
	release := make(chan struct{})
	s.load = func(ctx context.Context, o runOptions, b *workbook.Book, name, sum string) (*loaded, error) {
		<-release
		return loadBook(ctx, o, b, name, sum)
	}
	first := make(chan int, 1)
	go func() {
		status, _, _ := post(t, nil, ts.URL+"/api/report", sampleFields(), mustSample(t), "application/json")
		first <- status
	}()
	waitFor(t, "the first report to start", func() bool { return len(s.slots) == 1 })
	start := time.Now()
	for _, path := range []string{"/api/report", "/report"} {
		// A form that is checked and found good waits for a slot (one with
		// no scenario ticked is refused at once, without waiting).
		status, h, body := post(t, nil, ts.URL+path, sampleFields(field{key: "only", value: "us-tariff-lever"}), mustSample(t), "application/json")
		if status != http.StatusServiceUnavailable {
			t.Errorf("%s: status %d, want 503: %s", path, status, body)
		}
		if h.Get("Retry-After") != fmt.Sprint(retryAfter) {
			t.Errorf("%s: Retry-After %q, want %d", path, h.Get("Retry-After"), retryAfter)
		}
	}
	if d := time.Since(start); d < 2*o.queueWait {
		t.Errorf("refused after %s; each should wait %s first", d, o.queueWait)
	}
	close(release)
	if status := <-first; status != http.StatusOK {
		t.Errorf("the first report: status %d, want 200", status)
	}
	// A report that waits less than --queue-wait gets its turn.
	o.queueWait = 30 * time.Second
	s2, ts2, _ := newTestServer(t, o)
	gate := make(chan struct{})
	s2.load = func(ctx context.Context, o runOptions, b *workbook.Book, name, sum string) (*loaded, error) {
		<-gate
		return loadBook(ctx, o, b, name, sum)
	}
	done := make(chan int, 2)
	for range 2 {
		go func() {
			status, _, _ := post(t, nil, ts2.URL+"/api/report", sampleFields(), mustSample(t), "application/json")
			done <- status
		}()
	}
	waitFor(t, "one report to run", func() bool { return len(s2.slots) == 1 })
	time.Sleep(100 * time.Millisecond)
	close(gate)
	for range 2 {
		if status := <-done; status != http.StatusOK {
			t.Errorf("queued report: status %d, want 200", status)
		}
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestServePages(t *testing.T) {
	_, ts, _ := newTestServer(t, testOptions())
	for _, tc := range []struct {
		path, ctype string
		status      int
		want        string
	}{
		{"/", "text/html; charset=utf-8", 200, `name="bom"`},
		{"/healthz", "text/plain; charset=utf-8", 200, "ok"},
		{"/style.css", "text/css; charset=utf-8", 200, ".card"},
		{"/template.xlsx", xlsxType, 200, "PK"},
		{"/download/NOSUCHTOKEN", "text/html; charset=utf-8", 404, "no longer here"},
		{"/nothing", "", 404, ""},
	} {
		resp, err := http.Get(ts.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || (tc.ctype != "" && resp.Header.Get("Content-Type") != tc.ctype) || !strings.Contains(string(body), tc.want) {
			t.Errorf("GET %s: %d %q, want %d %q containing %q", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), tc.status, tc.ctype, tc.want)
		}
		if tc.path == "/template.xlsx" {
			f, err := excelize.OpenReader(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("template: %v", err)
			}
			if idx, _ := f.GetSheetIndex("BOM"); idx < 0 {
				t.Errorf("template has no BOM sheet: %v", f.GetSheetList())
			}
			f.Close()
		}
	}
	resp, err := http.Get(ts.URL + "/api/report")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /api/report: %d, want 405", resp.StatusCode)
	}
}

// The page's form post answers a page with the figures and a download
// link to the workbook.
func TestServePageReport(t *testing.T) {
	_, ts, _ := newTestServer(t, testOptions())
	status, _, body := post(t, nil, ts.URL+"/report", append(sampleFields(field{key: "horizon", value: "30"}), allScenarios(t, ts)...), mustSample(t), "")
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, body)
	}
	page := string(body)
	for _, want := range []string{`id="expected"`, `id="baseline"`, `id="worst"`, "Report of sample.xlsx", `value="30"`, "(30 months)"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	m := regexp.MustCompile(`id="download" href="(/download/[^"]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no download link on the page")
	}
	resp, err := http.Get(ts.URL + m[1])
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "sample-report.xlsx") {
		t.Fatalf("download: %d %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	if _, err := excelize.OpenReader(bytes.NewReader(data)); err != nil {
		t.Errorf("download is not a workbook: %v", err)
	}
	// No box ticked is a mistake the page explains.
	status, _, body = post(t, nil, ts.URL+"/report", sampleFields(), mustSample(t), "")
	if status != http.StatusBadRequest || !strings.Contains(string(body), "no scenario ticked") {
		t.Errorf("no box ticked: status %d", status)
	}
}

// A lone CSV BOM is read like rexpo report reads one, with --volume.
func TestServeCSV(t *testing.T) {
	_, ts, _ := newTestServer(t, testOptions())
	csv := "product,part_number,parent,qty_per,unit_cost,material,re_mass_kg,mine_country,refine_country,metal_country,component_country,hs_code\n" +
		"P1,MOT,,1,50,,,,,,US,8501.10\n" +
		"P1,MAG,MOT,2,100,NDFEB_38UH_BULK,0.5,CN,CN,CN,CN,8505.11\n"
	status, _, body := post(t, nil, ts.URL+"/api/report",
		[]field{{key: "bom", file: "bom.csv"}, {key: "volume", value: "1000"}, {key: "as-of", value: testAsOf}}, []byte(csv), "application/json")
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, body)
	}
	var got reportJSON
	json.Unmarshal(body, &got)
	if len(got.Products) != 1 || got.Products[0].AnnualVolume != "1000" {
		t.Errorf("products %+v, want P1 at 1000 a year", got.Products)
	}
}

// Nothing from an upload is written to disk: the temporary directory
// stays empty through good and bad uploads.
func TestServeNothingOnDisk(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	o := testOptions()
	o.maxUpload = 64 << 10
	_, ts, _ := newTestServer(t, o)
	big := bytes.Repeat([]byte("x"), 32<<10) // larger than multipart's in-memory default part
	post(t, nil, ts.URL+"/api/report", sampleFields(), mustSample(t), "")
	post(t, nil, ts.URL+"/report", append(sampleFields(), allScenarios(t, ts)...), mustSample(t), "")
	post(t, nil, ts.URL+"/api/report", sampleFields(), big, "")
	post(t, nil, ts.URL+"/api/report", sampleFields(), bytes.Repeat(big, 4), "")
	entries, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) > 0 {
		t.Errorf("files left in TMPDIR: %v", entries)
	}
}

// Each request is one log line: method, path, status, bytes, duration.
func TestServeLog(t *testing.T) {
	_, ts, logs := newTestServer(t, testOptions())
	http.Get(ts.URL + "/healthz")
	post(t, nil, ts.URL+"/api/report", []field{{key: "bom", file: "x.xlsx"}}, []byte("nope"), "")
	status, _, body := post(t, nil, ts.URL+"/report", append(sampleFields(), allScenarios(t, ts)...), mustSample(t), "")
	if status != 200 {
		t.Fatalf("page: %d", status)
	}
	link := regexp.MustCompile(`href="(/download/[^"]+)"`).FindStringSubmatch(string(body))
	resp, err := http.Get(ts.URL + link[1])
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	want := []string{"GET /healthz 200", "POST /api/report 400", "GET / 200", "POST /report 200", "GET /download/… 200"}
	// A line is written once its response is sent, which the client may
	// see first.
	waitFor(t, "the log lines", func() bool { return strings.Count(logs.String(), "\n") >= len(want) })
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	line := regexp.MustCompile(`^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d (GET|POST) (/\S*) (\d{3}) (\d+)B (\S+)$`)
	if len(lines) != len(want) {
		t.Fatalf("%d log lines, want %d:\n%s", len(lines), len(want), logs)
	}
	for i, l := range lines {
		m := line.FindStringSubmatch(l)
		if m == nil {
			t.Errorf("log line %q is not method, path, status, bytes, duration", l)
			continue
		}
		if got := m[1] + " " + m[2] + " " + m[3]; got != want[i] {
			t.Errorf("log line %d: %q, want %q", i, got, want[i])
		}
		if _, err := time.ParseDuration(m[5]); err != nil {
			t.Errorf("log line %q: duration %q", l, m[5])
		}
	}
}

// A form posted from another site is refused.
func TestServeCrossOrigin(t *testing.T) {
	_, ts, _ := newTestServer(t, testOptions())
	body, ctype := multipartBody(t, sampleFields(), mustSample(t))
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/report", bytes.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site post: %d, want 403", resp.StatusCode)
	}
}

// runServe listens on loopback, answers, and returns when its context
// ends (SIGINT/SIGTERM in main).
func TestServeShutdown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncBuffer{}
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, testOptions(), logs) }()
	var url string
	waitFor(t, "the server to listen", func() bool {
		m := regexp.MustCompile(`(http://127\.0\.0\.1:\d+/)`).FindStringSubmatch(logs.String())
		if m != nil {
			url = m[1]
		}
		return m != nil
	})
	resp, err := http.Get(url + "healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("runServe: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("runServe did not return after its context ended")
	}
	if _, err := http.Get(url + "healthz"); err == nil {
		t.Errorf("still answering after shutdown")
	}
}

func TestServeUsage(t *testing.T) {
	for _, args := range [][]string{
		{"serve", "extra"},
		{"serve", "--max-upload", "lots"},
		{"serve", "--max-concurrent", "0"},
		{"serve", "--report-timeout", "0s"},
		{"serve", "--addr", "256.0.0.1:99999"},
	} {
		if _, _, code := run(t, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{
		"67108864": 67108864, "64MiB": 64 << 20, "64 MiB": 64 << 20, "64M": 64 << 20, "64MB": 64e6,
		"1GiB": 1 << 30, "512k": 512 << 10, "10b": 10,
	} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "-1", "lots", "1.5MiB", "99999999999GiB"} {
		if _, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) accepted", in)
		}
	}
}

// An upload of a ';'-separated CSV with decimal commas is refused with the
// cells named, and read when the decimal-comma box is ticked.
func TestServeDecimalComma(t *testing.T) {
	_, ts, _ := newTestServer(t, testOptions())
	csv := []byte("product;part_number;parent;qty_per;unit_cost\nP1;MOT;;1;1.234,50\nP1;MAG;MOT;2;85,40\n")
	file := field{key: "bom", file: "bom.csv"}
	status, _, body := post(t, nil, ts.URL+"/api/report", []field{file}, csv, "application/json")
	if status != http.StatusBadRequest || !strings.Contains(string(body), "E3") || !strings.Contains(string(body), "decimal-comma") {
		t.Errorf("without the box: status %d, want 400 naming E3 and the option: %s", status, body)
	}
	status, _, body = post(t, nil, ts.URL+"/api/report", []field{{key: "decimal-comma", value: "on"}, file}, csv, "application/json")
	if status != http.StatusOK {
		t.Fatalf("with the box: status %d, want 200: %s", status, body)
	}
	var got reportJSON
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	// Only the leaf MAG carries cost: 2 × 85.40 = 170.80.
	if len(got.Products) != 1 || !decimal.RequireFromString(got.Products[0].BaselineUnitCost).Equal(decimal.RequireFromString("170.8")) {
		t.Errorf("products %+v, want P1 at 170.8 a unit", got.Products)
	}
}

// The page lists the rules that moved the probabilities: read on
// 2026-02-01, the demo's signals fire four easing rules, among them the
// December 2025 magnet exports against December 2024; the US threats of
// autumn 2025 are too old to count. Read in November 2026 every signal
// is stale and no rule fires.
func TestServePageSignals(t *testing.T) {
	_, ts, _ := newTestServer(t, testOptions())
	fields := append([]field{{key: "bom", file: "sample.xlsx"}, {key: "as-of", value: "2026-02-01T00:00:00Z"}}, allScenarios(t, ts)...)
	status, _, body := post(t, nil, ts.URL+"/report", fields, mustSample(t), "")
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, body)
	}
	page := html.UnescapeString(string(body))
	for _, want := range []string{`id="signal-rules"`, "MOFCOM_APPROVED", "MOFCOM_SUSPEND", "US_EXT_WINDOW",
		"MAG_EXPORTS_RECOVER</strong> (magnet_exports_t yoy >= 100): 2025-12-31: 5952 is 105.2% of 2024-12-31: 5660, a year earlier; easing ×1.8 for cn-phased-easing",
		"4 of 15 rules fired", "Too old to move anything", "us_new_tariff_threat", "SOY_STALL lacks a reading for 2024-12"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, "US_NEW_TARIFF_THREAT</strong>") {
		t.Errorf("the page lists the stale tariff threat as a rule that fired")
	}
	status, _, body = post(t, nil, ts.URL+"/report", append(sampleFields(), allScenarios(t, ts)...), mustSample(t), "")
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	if page := string(body); !strings.Contains(page, "No rule moved the probabilities") || !strings.Contains(page, "0 of 15 rules fired") {
		t.Errorf("in November 2026 the page does not say that no rule fired")
	}
}
