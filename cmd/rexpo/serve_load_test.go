package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// TestServeLoad sends 50 uploads of the sample workbook at once to a
// loopback server that computes two at a time and lets the others wait two
// seconds: each answer is a correct report or a 503 with Retry-After,
// memory stays bounded and no goroutine outlives the server.
func TestServeLoad(t *testing.T) {
	const (
		uploads   = 50
		heapSlack = 64 << 20    // heap after, over heap before
		peakLimit = 256 << 20   // heap in use at any time
		deadline  = time.Minute // for each request; the test ends by itself
	)
	data := mustSample(t)

	// The figure every answer must carry, from one report beforehand.
	want := func() decimal.Decimal {
		_, ts, _ := newTestServer(t, testOptions())
		defer ts.Close()
		status, _, body := post(t, nil, ts.URL+"/api/report", sampleFields(), data, "application/json")
		if status != http.StatusOK {
			t.Fatalf("reference report: status %d: %s", status, body)
		}
		var doc reportJSON
		if err := json.Unmarshal(body, &doc); err != nil {
			t.Fatal(err)
		}
		return dec(t, doc.Expected)
	}()
	http.DefaultClient.CloseIdleConnections()

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	goroutines := runtime.NumGoroutine()

	o := testOptions()
	o.maxConcurrent, o.queueWait = 2, 2*time.Second
	s, err := newServer(o, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.handler())
	client := &http.Client{Timeout: deadline, Transport: &http.Transport{MaxIdleConnsPerHost: uploads}}

	// Sample the heap while the uploads run.
	stop := make(chan struct{})
	peak := make(chan uint64, 1)
	go func() {
		var m runtime.MemStats
		var max uint64
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				peak <- max
				return
			case <-tick.C:
				runtime.ReadMemStats(&m)
				if m.HeapInuse > max {
					max = m.HeapInuse
				}
			}
		}
	}()

	type answer struct {
		status     int
		retryAfter string
		body       []byte
		err        error
	}
	answers := make([]answer, uploads)
	start := time.Now()
	form, ctype := multipartBody(t, sampleFields(), data)
	var wg sync.WaitGroup
	for i := range uploads {
		wg.Go(func() {
			req, err := http.NewRequest(http.MethodPost, ts.URL+"/api/report", bytes.NewReader(form))
			if err != nil {
				answers[i].err = err
				return
			}
			req.Header.Set("Content-Type", ctype)
			if i%2 == 0 {
				req.Header.Set("Accept", "application/json")
			}
			resp, err := client.Do(req)
			if err != nil {
				answers[i].err = err
				return
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			answers[i] = answer{status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After"), body: b, err: err}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	ts.Close()
	client.CloseIdleConnections()
	close(stop)
	peakHeap := <-peak

	done, refused := 0, 0
	for i, a := range answers {
		switch {
		case a.err != nil:
			t.Errorf("upload %d: %v", i, a.err)
		case a.status == http.StatusServiceUnavailable:
			refused++
			if a.retryAfter == "" {
				t.Errorf("upload %d: 503 without Retry-After", i)
			}
		case a.status != http.StatusOK:
			t.Errorf("upload %d: status %d: %s", i, a.status, a.body)
		case i%2 == 0:
			done++
			var doc reportJSON
			if err := json.Unmarshal(a.body, &doc); err != nil {
				t.Errorf("upload %d: not JSON: %v", i, err)
			} else if got := dec(t, doc.Expected); !got.Equal(want) {
				t.Errorf("upload %d: expected annual delta %s, want %s", i, got, want)
			}
		default:
			done++
			if got, err := summaryExpected(a.body); err != nil {
				t.Errorf("upload %d: %v", i, err)
			} else if !got.Round(2).Equal(want.Round(2)) {
				t.Errorf("upload %d: workbook's expected change %s, want %s", i, got, want.Round(2))
			}
		}
	}
	t.Logf("%d uploads in %s: %d reports, %d refused with 503; heap peak %d MiB", uploads, elapsed.Round(time.Millisecond), done, refused, peakHeap>>20)
	if done == 0 {
		t.Errorf("no upload got its report")
	}
	if peakHeap > peakLimit {
		t.Errorf("heap in use peaked at %d MiB, over %d MiB", peakHeap>>20, peakLimit>>20)
	}

	// Goroutines of the server and the connections end after Close; the
	// runtime's own may come and go, hence the slack.
	waitUntil := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > goroutines+3 && time.Now().Before(waitUntil) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > goroutines+3 {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines after the server closed, %d before:\n%s", n, goroutines, buf[:runtime.Stack(buf, true)])
	}
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > heapSlack {
		t.Errorf("heap grew by %d MiB over the run, more than %d MiB", grew>>20, heapSlack>>20)
	}
}

// summaryExpected reads the expected annual change from a report
// workbook's Summary.
func summaryExpected(book []byte) (decimal.Decimal, error) {
	f, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		return decimal.Zero, err
	}
	defer f.Close()
	rows, err := f.GetRows("Summary", excelize.Options{RawCellValue: true})
	if err != nil {
		return decimal.Zero, err
	}
	for _, row := range rows {
		if len(row) >= 4 && strings.HasPrefix(row[0], "Expected annual cost change, probability-weighted") {
			return decimal.NewFromString(row[3])
		}
	}
	return decimal.Zero, errors.New("the Summary has no expected annual change")
}
