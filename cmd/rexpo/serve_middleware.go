package main

// What wraps every request of the upload page: the Host check against
// DNS rebinding, the security headers, and the log line per request.

import (
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
)

// checkHost refuses requests whose Host header is a name the server does
// not answer to. A server listening on loopback answers to localhost and
// IP addresses only: a web page on another site can make its domain name
// resolve to 127.0.0.1 (DNS rebinding) and then read this one's answers
// as its own, but its requests name its domain. A server listening on
// other addresses is reachable by whatever names the machine has, and
// said so when it started.
func (s *server) checkHost(h http.Handler) http.Handler {
	host, _, err := net.SplitHostPort(s.o.addr)
	if err != nil {
		host = s.o.addr
	}
	ip := net.ParseIP(host)
	loopback := host == "localhost" || ip != nil && ip.IsLoopback()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if loopback && !localHost(r.Host) {
			http.Error(w, fmt.Sprintf("This server answers to localhost and 127.0.0.1 only, not to %q.", r.Host), http.StatusMisdirectedRequest)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// localHost reports whether a Host header names this machine's loopback:
// localhost, a name under .localhost, or an IP address (an address, unlike
// a name, cannot be rebound).
func localHost(hostport string) bool {
	h, _, err := net.SplitHostPort(hostport)
	if err != nil {
		h = hostport
	}
	h = strings.TrimSuffix(strings.ToLower(strings.Trim(h, "[]")), ".")
	return hostport == "" || h == "localhost" || strings.HasSuffix(h, ".localhost") || net.ParseIP(h) != nil
}

// securityHeaders forbids the page scripts, frames and outside
// resources: it needs none, so an injected one cannot run.
func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer")
		h.ServeHTTP(w, r)
	})
}

// logRequests writes one line per request: method, path, status, bytes
// written and duration. Download tokens are left out of the path.
func (s *server) logRequests(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		lw := &logWriter{ResponseWriter: w}
		h.ServeHTTP(lw, r)
		p := r.URL.Path
		if strings.HasPrefix(p, "/download/") {
			p = "/download/…"
		}
		if lw.status == 0 {
			lw.status = http.StatusOK
		}
		s.log.Printf("%s %s %d %dB %s", r.Method, p, lw.status, lw.bytes, time.Since(start).Round(time.Microsecond))
	})
}

// logWriter records the status and size of a response.
type logWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

// WriteHeader records the first status written.
func (w *logWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write counts the bytes of the body; a body without a header is a 200.
func (w *logWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection (read deadlines).
func (w *logWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
