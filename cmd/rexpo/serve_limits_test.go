package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// The red-team findings of issue 12 against the upload server. Every
// server here listens on loopback; the waits are bounds on the tests,
// never what they assert.

// firstRead signals once when the body it wraps is first read.
type firstRead struct {
	io.ReadCloser
	once   *sync.Once
	signal chan<- struct{}
}

func (f firstRead) Read(p []byte) (int, error) {
	f.once.Do(func() { f.signal <- struct{}{} })
	return f.ReadCloser.Read(p)
}

// slowUpload opens a connection that sends a request's headers and the
// first bytes of its body, then nothing: an upload at a byte a fortnight.
func slowUpload(t *testing.T, addr, path string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: multipart/form-data; boundary=X\r\nContent-Length: 100000\r\nX-Slow: 1\r\n\r\n"+
		"--X\r\nContent-Disposition: form-data; name=\"bom\"; filename=\"bom.xlsx\"\r\n\r\nPK", path, addr)
	return c
}

// TestServeSlowUploadsHoldNoSlot: uploads that trickle in do not take the
// report slots every other upload needs (they used to: two of them gave
// every normal upload 503 for as long as they lasted).
func TestServeSlowUploadsHoldNoSlot(t *testing.T) {
	o := testOptions()
	o.maxConcurrent, o.queueWait, o.uploadTimeout = 2, 100*time.Millisecond, time.Minute
	s, err := newServer(o, &syncBuffer{})
	if err != nil {
		t.Fatal(err)
	}
	reading := make(chan struct{}, 2)
	h := s.handler()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Slow") != "" {
			r.Body = firstRead{r.Body, &sync.Once{}, reading}
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close) // after the slow connections close (cleanups run last first)
	addr := ts.Listener.Addr().String()
	for range o.maxConcurrent {
		slowUpload(t, addr, "/api/report")
	}
	for range o.maxConcurrent {
		select {
		case <-reading: // the server is reading a slow upload
		case <-time.After(30 * time.Second):
			t.Fatal("the server never read the slow uploads")
		}
	}
	status, _, body := post(t, nil, ts.URL+"/api/report", sampleFields(), mustSample(t), "application/json")
	if status != http.StatusOK {
		t.Fatalf("a normal upload beside %d slow ones: status %d, want 200: %.300s", o.maxConcurrent, status, body)
	}
}

// TestServeUploadTimeout: an upload that does not arrive whole within
// --upload-timeout is answered 408, naming the limit.
func TestServeUploadTimeout(t *testing.T) {
	o := testOptions()
	o.uploadTimeout = 300 * time.Millisecond
	_, ts, _ := newTestServer(t, o)
	c := slowUpload(t, ts.Listener.Addr().String(), "/api/report")
	c.SetReadDeadline(time.Now().Add(30 * time.Second)) // a bound on the test
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusRequestTimeout || !strings.Contains(string(body), "--upload-timeout") {
		t.Errorf("status %d, want 408 naming --upload-timeout: %s", resp.StatusCode, body)
	}
}

// TestServeHostHeader: a server on loopback answers to localhost and IP
// addresses, not to another site's name resolved to 127.0.0.1 (DNS
// rebinding).
func TestServeHostHeader(t *testing.T) {
	_, ts, _ := newTestServer(t, testOptions())
	_, port, _ := net.SplitHostPort(ts.Listener.Addr().String())
	for host, want := range map[string]int{
		"127.0.0.1:" + port:        http.StatusOK,
		"localhost:" + port:        http.StatusOK,
		"LOCALHOST.:" + port:       http.StatusOK,
		"[::1]:" + port:            http.StatusOK,
		"rexpo.localhost:" + port:  http.StatusOK,
		"evil.example:" + port:     http.StatusMisdirectedRequest,
		"evil.example":             http.StatusMisdirectedRequest,
		"127.0.0.1.evil.example":   http.StatusMisdirectedRequest,
		"localhost.evil.example:1": http.StatusMisdirectedRequest,
	} {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+"/healthz", nil)
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("Host %s: status %d, want %d", host, resp.StatusCode, want)
		}
	}
	// Listening on every address, the server answers to any name.
	o := testOptions()
	o.addr = ":0"
	_, ts2, _ := newTestServer(t, o)
	req, _ := http.NewRequest(http.MethodGet, ts2.URL+"/healthz", nil)
	req.Host = "rexpo.example.com"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("on every address, Host rexpo.example.com: status %d, want 200", resp.StatusCode)
	}
}

// TestServeHorizonField: a horizon beyond 120 months is a 400 naming the
// field (it used to take the server past 6 GB, or panic).
func TestServeHorizonField(t *testing.T) {
	_, ts, _ := newTestServer(t, testOptions())
	for _, v := range []string{"9223372036854775807", "121"} {
		status, _, body := post(t, nil, ts.URL+"/api/report", sampleFields(field{key: "horizon", value: v}), mustSample(t), "application/json")
		if status != http.StatusBadRequest || !strings.Contains(string(body), "horizon") || !strings.Contains(string(body), "12 to 120") {
			t.Errorf("horizon=%s: status %d, want 400 naming the field and its range: %s", v, status, body)
		}
	}
}

// TestServeLeavesNoTempFiles: a report whose Parts sheet is spilled to
// disk while it is rendered leaves nothing once answered.
func TestServeLeavesNoTempFiles(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	_, ts, _ := newTestServer(t, testOptions())
	if status, _, body := post(t, nil, ts.URL+"/api/report", sampleFields(), mustSample(t), ""); status != http.StatusOK {
		t.Fatalf("status %d: %.300s", status, body)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) > 0 {
		t.Errorf("left in the temporary folder: %s", entries[0].Name())
	}
}

// TestServeUploadsBounded: uploads are held in memory until answered, so
// their number is bounded (per client address too): one more is a 503.
func TestServeUploadsBounded(t *testing.T) {
	o := testOptions()
	o.maxConcurrent = 1 // 8 uploads at once, 4 from one address
	s, err := newServer(o, &syncBuffer{})
	if err != nil {
		t.Fatal(err)
	}
	reading := make(chan struct{}, 8)
	h := s.handler()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Slow") != "" {
			r.Body = firstRead{r.Body, &sync.Once{}, reading}
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	perClient := uploadsPerSlot * o.maxConcurrent / 2
	for range perClient {
		slowUpload(t, ts.Listener.Addr().String(), "/api/report")
	}
	for range perClient {
		select {
		case <-reading:
		case <-time.After(30 * time.Second):
			t.Fatal("the server never read the slow uploads")
		}
	}
	status, hd, body := post(t, nil, ts.URL+"/api/report", sampleFields(), mustSample(t), "application/json")
	if status != http.StatusServiceUnavailable || hd.Get("Retry-After") == "" || !strings.Contains(string(body), "Too many uploads") {
		t.Errorf("upload %d from one address: status %d, Retry-After %q, want 503: %s", perClient+1, status, hd.Get("Retry-After"), body)
	}
}
