package main

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"rexpo/internal/genbom"
	"rexpo/workbook"
)

// A real report past --report-timeout stops by itself: the computation
// sees the request's deadline and returns its error rather than running to
// the end, and the slot comes back. (TestServeTimeout does the same with a
// stand-in load; this one runs the real reading and computation, so a long
// loop that ignored the context would be caught here: loadBook would then
// finish without error.)
func TestServeDeadlineStopsRealReport(t *testing.T) {
	var buf bytes.Buffer
	if err := genbom.WriteXLSX(&buf, 20000, 1); err != nil {
		t.Fatal(err)
	}
	o := testOptions()
	o.reportTimeout = 20 * time.Millisecond
	s, ts, _ := newTestServer(t, o)
	var (
		mu      sync.Mutex
		loadErr error
		done    = make(chan struct{})
	)
	s.load = func(ctx context.Context, ro runOptions, b *workbook.Book, name, sum string) (*loaded, error) {
		l, err := loadBook(ctx, ro, b, name, sum)
		mu.Lock()
		loadErr = err
		mu.Unlock()
		close(done)
		return l, err
	}
	fields := []field{{key: "bom", file: "big.xlsx"}, {key: "as-of", value: testAsOf}}
	status, _, body := post(t, nil, ts.URL+"/api/report", fields, buf.Bytes(), "application/json")
	if status != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503 past the report's time: %s", status, body)
	}
	<-done
	mu.Lock()
	err := loadErr
	mu.Unlock()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("the computation ended with %v, want the deadline's error (it ran on past its time)", err)
	}
	waitFor(t, "the slot to come back", func() bool { return len(s.slots) == 0 })
}
