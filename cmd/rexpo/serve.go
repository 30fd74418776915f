package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log"
	"mime"
	"net"
	"net/http"
	"os"
	"path"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/urfave/cli/v2"

	"rexpo/exposure"
	"rexpo/inputs"
	"rexpo/reports"
	"rexpo/workbook"
)

// The upload page (SPEC section 12) is an adapter like the other commands:
// multipart upload → inputs → exposure → reports, with limits around it.
// Uploads are read into memory and the report is rendered into memory, so
// nothing from an upload stays on disk (excelize writes a Parts sheet over
// 16 MiB through a temporary file while rendering, and removes it before
// the answer); the page's download link reads the rendered workbook from a
// small in-memory store that forgets it after keepFor.

var serveCmd = &cli.Command{
	Name:  "serve",
	Usage: "run the upload page: upload a BOM workbook, get the report workbook back",
	Description: "Serves a page where a BOM workbook is uploaded, scenarios ticked and the main\n" +
		"settings set; it shows the headline figures and every problem, and offers the\n" +
		"report workbook for download. The same runs without the page:\n\n" +
		"   curl -F bom=@bom.xlsx -F horizon=36 -o report.xlsx http://127.0.0.1:8080/api/report\n" +
		"   curl -F bom=@bom.xlsx -H 'Accept: application/json' http://127.0.0.1:8080/api/report\n\n" +
		"Fields are named like the report flags (horizon, only, currency, ...). A bad input\n" +
		"answers 400 with the list validate prints, an oversized upload 413, a busy server\n" +
		"503 with Retry-After. GET /healthz answers ok; GET /template.xlsx is the input\n" +
		"template. Nothing uploaded is written to disk. It listens on this machine only\n" +
		"unless --addr says otherwise; SIGINT or SIGTERM stops it after the running reports.",
	Flags: []cli.Flag{
		&cli.StringFlag{Name: "addr", Value: "127.0.0.1:8080", Usage: "listen on `HOST:PORT` (the default answers this machine only; :8080 answers every network)"},
		&cli.StringFlag{Name: "max-upload", Value: "64MiB", Usage: "refuse uploads larger than `SIZE` (413), e.g. 64MiB or 10000000"},
		&cli.StringFlag{Name: "max-unzipped", Value: "1GiB", Usage: "refuse workbooks that unzip to more than `SIZE`"},
		&cli.DurationFlag{Name: "upload-timeout", Value: time.Minute, Usage: "give up on an upload that has not arrived whole after `DURATION` (408); uploads are read before they wait for a slot"},
		&cli.DurationFlag{Name: "report-timeout", Value: 2 * time.Minute, Usage: "give up on a report after `DURATION` (503)"},
		&cli.IntFlag{Name: "max-concurrent", Value: 2, Usage: "compute at most `N` reports at once; others wait --queue-wait, then get 503"},
		&cli.DurationFlag{Name: "queue-wait", Value: 10 * time.Second, Usage: "wait up to `DURATION` for a free slot, then answer 503 with Retry-After"},
	},
	Action: func(c *cli.Context) error {
		if c.NArg() > 0 {
			return usagef("serve takes no arguments (got %q)", c.Args().First())
		}
		o := serveOptions{
			addr:          c.String("addr"),
			uploadTimeout: c.Duration("upload-timeout"),
			reportTimeout: c.Duration("report-timeout"),
			maxConcurrent: c.Int("max-concurrent"),
			queueWait:     c.Duration("queue-wait"),
		}
		var err error
		if o.maxUpload, err = parseSize(c.String("max-upload")); err != nil {
			return usagef("--max-upload: %v", err)
		}
		if o.maxUnzipped, err = parseSize(c.String("max-unzipped")); err != nil {
			return usagef("--max-unzipped: %v", err)
		}
		switch {
		case o.uploadTimeout <= 0:
			return usagef("--upload-timeout must be positive (got %s)", o.uploadTimeout)
		case o.reportTimeout <= 0:
			return usagef("--report-timeout must be positive (got %s)", o.reportTimeout)
		case o.maxConcurrent < 1:
			return usagef("--max-concurrent must be at least 1 (got %d)", o.maxConcurrent)
		case o.queueWait < 0:
			return usagef("--queue-wait must not be negative (got %s)", o.queueWait)
		}
		return runServe(c.Context, o, c.App.ErrWriter)
	},
}

// serveOptions are the serve flags.
type serveOptions struct {
	addr          string
	maxUpload     int64         // bytes of the uploaded file
	maxUnzipped   int64         // bytes a workbook may unzip to
	uploadTimeout time.Duration // reading the upload, before it waits for a slot
	reportTimeout time.Duration // computing and rendering
	maxConcurrent int           // reports computed at once
	queueWait     time.Duration // how long a report waits for a slot
}

const (
	// formSlack is what a request may add to the file: the other fields
	// and the multipart framing.
	formSlack = 1 << 20
	// maxFieldBytes caps one settings field, maxParts the parts of a form.
	maxFieldBytes = 64 << 10
	maxParts      = 200
	// uploadPrealloc caps the memory reserved for an upload before its
	// bytes arrive.
	uploadPrealloc = 4 << 20
	// drainLimit is how much of a too large upload from the page is read
	// and dropped before the answer (see drain).
	drainLimit = 1 << 30
	// keepFor is how long the page's download link works; keepBytes caps
	// the memory held for such links (oldest reports are dropped first).
	keepFor   = 15 * time.Minute
	keepBytes = 256 << 20
	// retryAfter is the Retry-After of a 503 for a busy server, in seconds.
	retryAfter = 10
	// shutdownGrace is how long SIGINT/SIGTERM waits for running reports.
	shutdownGrace = 30 * time.Second
)

// runServe listens on o.addr and serves until ctx ends (SIGINT/SIGTERM
// in main), then shuts down gracefully.
func runServe(ctx context.Context, o serveOptions, logw io.Writer) error {
	s, err := newServer(o, logw)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return usagef("--addr %s: %v", o.addr, err)
	}
	srv := s.httpServer()
	url := "http://" + ln.Addr().String() + "/"
	if host, _, err := net.SplitHostPort(ln.Addr().String()); err == nil {
		if ip := net.ParseIP(host); ip != nil && !ip.IsLoopback() {
			s.log.Printf("warning: listening on %s, reachable from other machines; anyone who reaches it can upload", ln.Addr())
		}
	}
	s.log.Printf("rexpo %s: upload page on %s (uploads up to %s, %d report(s) at once, %s each); Ctrl-C stops it",
		version, url, sizeString(o.maxUpload), o.maxConcurrent, o.reportTimeout)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Printf("shutting down: waiting up to %s for running reports", shutdownGrace)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
		return fmt.Errorf("shut down: %w", err)
	}
	<-errc // http.ErrServerClosed
	s.log.Printf("stopped")
	return nil
}

// server holds what the handlers share.
type server struct {
	o        serveOptions
	log      *log.Logger
	slots    chan struct{} // one token per report being computed
	library  []exposure.Scenario
	pages    *template.Template
	template []byte // the input template workbook
	kept     *store
	// load reads and computes an open book; tests replace it to make a
	// report slow.
	load func(ctx context.Context, o runOptions, b *workbook.Book, name, sum string) (*loaded, error)
	// uploads counts the uploads held in memory, from their first byte to
	// the answer, in all and per client address (see holdUpload).
	uploadsMu sync.Mutex
	uploads   map[string]int
	uploadsN  int
}

//go:embed web
var webFS embed.FS

func newServer(o serveOptions, logw io.Writer) (*server, error) {
	if o.uploadTimeout <= 0 {
		o.uploadTimeout = time.Minute
	}
	lib, _, err := inputs.ReadLibrary(nil)
	if err != nil {
		return nil, err
	}
	pages, err := template.ParseFS(webFS, "web/*.html")
	if err != nil {
		return nil, err
	}
	lists, err := templateLists()
	if err != nil {
		return nil, err
	}
	var tpl bytes.Buffer
	if err := reports.WriteTemplate(&tpl, lists); err != nil {
		return nil, err
	}
	return &server{
		o:        o,
		log:      log.New(logw, "", log.LstdFlags),
		slots:    make(chan struct{}, o.maxConcurrent),
		uploads:  map[string]int{},
		library:  lib,
		pages:    pages,
		template: tpl.Bytes(),
		kept:     newStore(keepFor, keepBytes),
		load:     loadBook,
	}, nil
}

// httpServer returns the server with timeouts that fit the limits: a
// request may wait for a slot, then read, compute and write its report.
func (s *server) httpServer() *http.Server {
	return &http.Server{
		Handler:           s.handler(),
		ReadHeaderTimeout: 10 * time.Second,
		WriteTimeout:      s.o.uploadTimeout + s.o.queueWait + s.o.reportTimeout + time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          s.log,
	}
}

// handler routes the requests, logging each and refusing cross-site form
// posts (another site's page must not post to this one).
func (s *server) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.handleIndex)
	mux.HandleFunc("GET /style.css", s.handleStyle)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	mux.HandleFunc("GET /template.xlsx", func(w http.ResponseWriter, r *http.Request) {
		sendFile(w, "bom-template.xlsx", xlsxType, s.template)
	})
	mux.HandleFunc("GET /download/{token}", s.handleDownload)
	mux.HandleFunc("POST /report", s.handlePage)
	mux.HandleFunc("POST /api/report", s.handleAPI)
	return s.logRequests(s.checkHost(securityHeaders(http.NewCrossOriginProtection().Handler(mux))))
}

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

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

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

func (w *logWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

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

func (s *server) handleStyle(w http.ResponseWriter, r *http.Request) {
	css, err := webFS.ReadFile("web/style.css")
	if err != nil {
		http.Error(w, "no style", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "max-age=300")
	w.Write(css)
}

func (s *server) handleDownload(w http.ResponseWriter, r *http.Request) {
	it, ok := s.kept.get(r.PathValue("token"))
	if !ok {
		s.page(w, http.StatusNotFound, &pageData{Error: &pageError{
			Title:   "This report is no longer here",
			Message: fmt.Sprintf("Reports are kept in memory for %s after they are computed, and never on disk. Upload the workbook again.", durationWords(keepFor)),
		}})
		return
	}
	sendFile(w, it.name, xlsxType, it.data)
}

// sendFile answers data as a download named name.
func sendFile(w http.ResponseWriter, name, ctype string, data []byte) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Cache-Control", "no-store")
	w.Write(data)
}

// httpError is a refused request: its status, a message, the input's
// problems for a 400, Retry-After seconds for a busy server.
type httpError struct {
	status     int
	title      string
	message    string
	problems   []inputs.Problem
	retryAfter int
}

func badRequest(format string, args ...any) *httpError {
	msg := fmt.Sprintf(format, args...)
	return &httpError{status: http.StatusBadRequest, title: "The upload was not understood", message: msg,
		problems: []inputs.Problem{{Message: msg, Error: true}}}
}

// upload is a request's file and fields, read into memory.
type upload struct {
	file   []byte
	name   string              // the file's base name, for messages and the report's name
	fields map[string][]string // by field name with '-' (horizon, import-country, only)
}

// form returns the first value of a field.
func (u *upload) form(name string) string {
	if u == nil || len(u.fields[name]) == 0 {
		return ""
	}
	return u.fields[name][0]
}

// outcome is a computed report.
type outcome struct {
	ld       *loaded
	workbook []byte // when asked for
	json     []byte // when asked for
	err      error
}

// process runs one report request: it waits for a slot, reads the upload
// (adjust may then check or change its fields), computes and renders.
// The upload is returned even on error, for the page's form.
func (s *server) process(w http.ResponseWriter, r *http.Request, wantWorkbook, wantJSON bool, adjust func(*upload) *httpError) (*upload, *outcome, *httpError) {
	if r.ContentLength > s.o.maxUpload+formSlack {
		return nil, nil, s.tooLarge()
	}
	releaseUpload, herr := s.holdUpload(r)
	if herr != nil {
		return nil, nil, herr
	}
	defer releaseUpload()
	// The upload is read first, under its own deadline, and only then
	// waits for a slot: a slow sender holds its own connection, never one
	// of the --max-concurrent slots every other upload needs. Setting the
	// deadline fails for recorders without a connection, which need none.
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Now().Add(s.o.uploadTimeout))
	u, herr := s.readUpload(w, r)
	if herr != nil {
		// The deadline stays: the server does not wait for the rest of
		// a refused upload before it answers.
		return u, nil, herr
	}
	_ = rc.SetReadDeadline(time.Time{}) // read whole: the computation has its own limit
	if adjust != nil {
		if herr = adjust(u); herr != nil {
			return u, nil, herr
		}
	}
	release, herr := s.admit(r)
	if herr != nil {
		return u, nil, herr
	}
	owned := true // release unless the computation took the slot over
	defer func() {
		if owned {
			release()
		}
	}()
	ctx, cancel := context.WithTimeout(r.Context(), s.o.reportTimeout)
	defer cancel()

	done := make(chan outcome, 1)
	owned = false
	go func() {
		defer release()
		defer func() {
			if p := recover(); p != nil {
				s.log.Printf("panic computing the report of %s: %v\n%s", u.name, p, debug.Stack())
				done <- outcome{err: fmt.Errorf("panic: %v", p)}
			}
		}()
		done <- s.compute(ctx, u, wantWorkbook, wantJSON)
	}()
	select {
	case out := <-done:
		if out.err != nil {
			return u, nil, s.failure(u, out.err)
		}
		return u, &out, nil
	case <-ctx.Done():
		// The computation notices at its next read or write and stops;
		// it keeps its slot until then, so the count stays true.
		return u, nil, &httpError{status: http.StatusServiceUnavailable, title: "The report took too long",
			message: fmt.Sprintf("The report was stopped after %s, this server's limit (--report-timeout). Try fewer scenarios, or run rexpo report on your own machine.", s.o.reportTimeout)}
	}
}

// Uploads are read into memory before they wait for a slot, so their
// number is bounded too: uploadsPerSlot per --max-concurrent slot in all
// (16 uploads, up to 1 GiB, with the defaults), and half that from one
// client address, so that one sender of slow uploads cannot take them all.
const uploadsPerSlot = 8

// holdUpload counts an upload in, or refuses it (503) when too many are
// held already.
func (s *server) holdUpload(r *http.Request) (release func(), herr *httpError) {
	client, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		client = r.RemoteAddr
	}
	all := uploadsPerSlot * s.o.maxConcurrent
	s.uploadsMu.Lock()
	defer s.uploadsMu.Unlock()
	if s.uploadsN >= all || s.uploads[client] >= all/2 {
		return nil, &httpError{status: http.StatusServiceUnavailable, retryAfter: retryAfter, title: "The server is busy",
			message: fmt.Sprintf("Too many uploads are arriving at once (%d at most, %d from one address). Try again in %d seconds.", all, all/2, retryAfter)}
	}
	s.uploadsN++
	s.uploads[client]++
	return func() {
		s.uploadsMu.Lock()
		defer s.uploadsMu.Unlock()
		s.uploadsN--
		if s.uploads[client]--; s.uploads[client] == 0 {
			delete(s.uploads, client)
		}
	}, nil
}

// admit waits up to queueWait for a free slot.
func (s *server) admit(r *http.Request) (release func(), herr *httpError) {
	release = func() { <-s.slots }
	select {
	case s.slots <- struct{}{}:
		return release, nil
	default:
	}
	t := time.NewTimer(s.o.queueWait)
	defer t.Stop()
	select {
	case s.slots <- struct{}{}:
		return release, nil
	case <-t.C:
	case <-r.Context().Done():
	}
	return nil, &httpError{status: http.StatusServiceUnavailable, retryAfter: retryAfter, title: "The server is busy",
		message: fmt.Sprintf("%d report(s) are being computed, this server's limit (--max-concurrent). Try again in %d seconds.", s.o.maxConcurrent, retryAfter)}
}

func (s *server) tooLarge() *httpError {
	return &httpError{status: http.StatusRequestEntityTooLarge, title: "The file is too large",
		message: fmt.Sprintf("This server takes uploads up to %s (--max-upload). Run rexpo report on your own machine for larger BOMs.", sizeString(s.o.maxUpload))}
}

// readUpload reads the multipart form into memory: the file in field
// "bom", settings in fields named like the report flags.
func (s *server) readUpload(w http.ResponseWriter, r *http.Request) (*upload, *httpError) {
	r.Body = http.MaxBytesReader(w, r.Body, s.o.maxUpload+formSlack)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, badRequest("send a multipart/form-data request with the workbook in field \"bom\" (%v)", err)
	}
	known := map[string]bool{}
	for _, n := range inputs.FieldNames() {
		known[n] = true
	}
	u := &upload{fields: map[string][]string{}}
	gotFile := false
	for n := 0; ; n++ {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return u, s.bodyError(err)
		}
		if n >= maxParts {
			return u, badRequest("the form has more than %d fields", maxParts)
		}
		name := p.FormName()
		if p.FileName() != "" || name == "bom" {
			switch {
			case name != "bom":
				return u, badRequest("the workbook must be sent in field \"bom\" (got a file in field %q)", name)
			case gotFile:
				return u, badRequest("send one workbook (field \"bom\" appears twice)")
			}
			gotFile = true
			// Room for what the request says it sends, up to uploadPrealloc:
			// a sender that says 64 MiB and sends a byte a second must not
			// hold 64 MiB for it.
			size := min(r.ContentLength, uploadPrealloc)
			if size < 0 || size > s.o.maxUpload {
				size = 0
			}
			buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
			if _, err := buf.ReadFrom(io.LimitReader(p, s.o.maxUpload+1)); err != nil {
				return u, s.bodyError(err)
			}
			if int64(buf.Len()) > s.o.maxUpload {
				return u, s.tooLarge()
			}
			u.file, u.name = buf.Bytes(), cleanFileName(p.FileName())
			continue
		}
		key := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(name), "_", "-"))
		if !known[key] {
			return u, badRequest("unknown field %q (the workbook goes in \"bom\"; settings in %s)", name, strings.Join(inputs.FieldNames(), ", "))
		}
		v, err := io.ReadAll(io.LimitReader(p, maxFieldBytes+1))
		if err != nil {
			return u, s.bodyError(err)
		}
		if len(v) > maxFieldBytes {
			return u, badRequest("field %q is longer than %d bytes", name, maxFieldBytes)
		}
		u.fields[key] = append(u.fields[key], string(v))
	}
	switch {
	case !gotFile:
		return u, badRequest("no workbook: send the file in field \"bom\"")
	case len(u.file) == 0 && u.name == "":
		return u, badRequest("choose a BOM workbook to upload")
	case len(u.file) == 0:
		return u, badRequest("%s is empty", u.name)
	}
	return u, nil
}

// bodyError turns a failed read of the request body into an answer.
func (s *server) bodyError(err error) *httpError {
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return s.tooLarge()
	case errors.Is(err, os.ErrDeadlineExceeded):
		return &httpError{status: http.StatusRequestTimeout, title: "The upload took too long",
			message: fmt.Sprintf("The upload did not arrive within %s (--upload-timeout).", s.o.uploadTimeout)}
	}
	return badRequest("the upload is incomplete or malformed: %v", err)
}

// cleanFileName keeps the base name of an uploaded file's name (some
// browsers send a whole Windows path).
func cleanFileName(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	if name == "" || name == "." || name == "/" {
		return "upload.xlsx"
	}
	return name
}

// reportName is the download name of the report of upload name.
func reportName(name string) string {
	return strings.TrimSuffix(name, path.Ext(name)) + "-report.xlsx"
}

// compute opens the upload from memory, reads, computes and renders. Reads
// of the upload and writes of the report stop once ctx ends.
func (s *server) compute(ctx context.Context, u *upload, wantWorkbook, wantJSON bool) outcome {
	lim := workbook.Limits{MaxUnzipped: s.o.maxUnzipped}
	book, err := inputs.Open(u.name, workbook.ContextReaderAt(ctx, bytes.NewReader(u.file)), int64(len(u.file)), lim)
	if err != nil {
		return outcome{err: err}
	}
	defer book.Close()
	sum := sha256.Sum256(u.file)
	fields := map[string]string{}
	for k, vs := range u.fields {
		v := vs[len(vs)-1]
		if k == inputs.FieldOnly {
			v = strings.Join(vs, ",") // one box per scenario
		}
		if strings.TrimSpace(v) != "" { // a form sends its empty fields too: they are not given
			fields[k] = v
		}
	}
	read, err := inputs.OptionsFrom(fields, false)
	if err != nil {
		return outcome{err: err}
	}
	o := runOptions{read: read, limits: lim, now: time.Now().UTC().Truncate(time.Second)}
	ld, err := s.load(ctx, o, book, u.name, hex.EncodeToString(sum[:]))
	if err != nil {
		return outcome{err: err}
	}
	out := outcome{ld: ld}
	if wantWorkbook {
		// A Parts sheet over 16 MiB is spilled to disk while rendering: to
		// a folder of this request's, gone when it ends, crash or not.
		tmp, err := os.MkdirTemp("", "rexpo-serve-")
		if err != nil {
			return outcome{err: err}
		}
		defer os.RemoveAll(tmp)
		meta := ld.meta
		meta.TempDir = tmp
		var buf bytes.Buffer
		if err := reports.WriteWorkbook(ctxWriter{ctx, &buf}, ld.result, meta); err != nil {
			return outcome{err: err}
		}
		out.workbook = buf.Bytes()
	}
	if wantJSON {
		var buf bytes.Buffer
		if err := reports.WriteJSON(ctxWriter{ctx, &buf}, ld.result, ld.meta); err != nil {
			return outcome{err: err}
		}
		out.json = buf.Bytes()
	}
	if err := ctx.Err(); err != nil {
		return outcome{err: err}
	}
	return out
}

// failure turns an error of the computation into an answer: the input's
// problems are a 400, anything else is logged and a 500.
func (s *server) failure(u *upload, err error) *httpError {
	var ie *inputs.InputError
	switch {
	case errors.As(err, &ie):
		return &httpError{status: http.StatusBadRequest, title: problemsTitle(u.name, ie.Problems), problems: ie.Problems,
			message: "Fix the workbook and upload it again."}
	case isInputError(err):
		ps := []inputs.Problem{{Message: err.Error(), Error: true}}
		return &httpError{status: http.StatusBadRequest, title: problemsTitle(u.name, ps), problems: ps,
			message: "Fix the file and upload it again."}
	}
	s.log.Printf("report of %s failed: %v", u.name, err)
	return &httpError{status: http.StatusInternalServerError, title: "Something went wrong",
		message: "The report could not be computed; the server's log has the details."}
}

// problemsTitle says how many errors and warnings an input has.
func problemsTitle(name string, ps []inputs.Problem) string {
	errs, warns := 0, 0
	for _, p := range ps {
		if p.Error {
			errs++
		} else {
			warns++
		}
	}
	t := fmt.Sprintf("%s has %s", name, plural(errs, "error"))
	if warns > 0 {
		t += " and " + plural(warns, "warning")
	}
	return t
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// ctxWriter stops rendering a report once ctx ends.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// handleAPI answers POST /api/report: the workbook, or the JSON for
// Accept: application/json. Refusals are JSON for JSON clients and the
// validate list as text for the others.
func (s *server) handleAPI(w http.ResponseWriter, r *http.Request) {
	wantJSON := strings.Contains(r.Header.Get("Accept"), "application/json")
	_, out, herr := s.process(w, r, !wantJSON, wantJSON, nil)
	if herr != nil {
		s.apiError(w, herr, wantJSON)
		return
	}
	if wantJSON {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(out.json)))
		w.Write(out.json)
		return
	}
	sendFile(w, reportName(out.ld.meta.InputName), xlsxType, out.workbook)
}

// problemJSON is one problem as the API answers it.
type problemJSON struct {
	Sheet   string `json:"sheet"`
	Cell    string `json:"cell"`
	Message string `json:"message"`
	Error   bool   `json:"error"`
}

func (s *server) apiError(w http.ResponseWriter, e *httpError, wantJSON bool) {
	if e.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.retryAfter))
	}
	if wantJSON {
		body := struct {
			Error    string        `json:"error"`
			Problems []problemJSON `json:"problems,omitempty"`
		}{Error: e.title + ": " + e.message}
		if e.problems != nil {
			body.Error = e.title
			body.Problems = []problemJSON{}
			for _, p := range problemOrder(e.problems) { // as validate lists them
				body.Problems = append(body.Problems, problemJSON{p.Sheet, p.Cell, p.Message, p.Error})
			}
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(e.status)
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.Encode(body)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(e.status)
	if e.problems != nil {
		fmt.Fprintf(w, "%s\n", e.title)
		printProblems(w, e.problems)
		return
	}
	fmt.Fprintf(w, "%s: %s\n", e.title, e.message)
}

// handleIndex is the empty form.
func (s *server) handleIndex(w http.ResponseWriter, r *http.Request) {
	s.page(w, http.StatusOK, &pageData{})
}

// handlePage answers the page's form: a page with the figures and a
// download link, or with the problems; the form follows, filled in again.
func (s *server) handlePage(w http.ResponseWriter, r *http.Request) {
	u, out, herr := s.process(w, r, true, false, s.pageScenarios)
	d := &pageData{Form: u}
	if herr != nil {
		if herr.status == http.StatusRequestEntityTooLarge {
			s.drain(w, r)
		}
		if herr.retryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(herr.retryAfter))
		}
		if herr.problems != nil {
			d.Problems = &problemList{Title: herr.title, Message: herr.message}
			for _, p := range problemOrder(herr.problems) {
				d.Problems.Lines = append(d.Problems.Lines, problemLine{Text: p.String(), Error: p.Error})
			}
		} else {
			d.Error = &pageError{Title: herr.title, Message: herr.message}
		}
		s.page(w, herr.status, d)
		return
	}
	name := reportName(out.ld.meta.InputName)
	token, ok := s.kept.put(name, out.workbook)
	d.Result = newResultView(out.ld, name, len(out.workbook))
	if ok {
		d.Result.Download = "/download/" + token
	}
	s.page(w, http.StatusOK, d)
}

// drain reads and drops the rest of a refused upload, up to drainLimit
// bytes: a browser that is still sending when the answer comes and the
// connection closes shows a reset connection instead of the page saying
// the file is too large.
func (s *server) drain(w http.ResponseWriter, r *http.Request) {
	if r.ContentLength > drainLimit {
		return
	}
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(s.o.reportTimeout))
	io.Copy(io.Discard, io.LimitReader(r.Body, drainLimit))
}

// pageScenarios reads the page's scenario boxes: every box ticked means
// no filter (so a workbook with its own Scenarios sheet computes those),
// none ticked is a mistake.
func (s *server) pageScenarios(u *upload) *httpError {
	ticked := map[string]bool{}
	for _, id := range u.fields["only"] {
		ticked[id] = true
	}
	if len(ticked) == 0 {
		return badRequest("no scenario ticked: tick at least one (every box ticked computes them all)")
	}
	for _, sc := range s.library {
		if !ticked[sc.ID] {
			return nil
		}
	}
	delete(u.fields, "only")
	return nil
}

// store keeps rendered reports in memory for the page's download links.
type store struct {
	mu       sync.Mutex
	keep     time.Duration
	maxBytes int
	bytes    int
	items    map[string]*kept
	order    []string // tokens, oldest first
}

type kept struct {
	name  string
	data  []byte
	timer *time.Timer
}

func newStore(keep time.Duration, maxBytes int) *store {
	return &store{keep: keep, maxBytes: maxBytes, items: map[string]*kept{}}
}

// put keeps data under a new unguessable token, dropping the oldest
// reports when the store is full; ok is false when data alone is too big.
func (st *store) put(name string, data []byte) (token string, ok bool) {
	if len(data) > st.maxBytes {
		return "", false
	}
	token = rand.Text()
	st.mu.Lock()
	defer st.mu.Unlock()
	for st.bytes+len(data) > st.maxBytes && len(st.order) > 0 {
		st.dropLocked(st.order[0])
	}
	st.items[token] = &kept{name: name, data: data, timer: time.AfterFunc(st.keep, func() { st.drop(token) })}
	st.order = append(st.order, token)
	st.bytes += len(data)
	return token, true
}

func (st *store) get(token string) (*kept, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	it, ok := st.items[token]
	return it, ok
}

func (st *store) drop(token string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.dropLocked(token)
}

func (st *store) dropLocked(token string) {
	it, ok := st.items[token]
	if !ok {
		return
	}
	it.timer.Stop()
	delete(st.items, token)
	st.bytes -= len(it.data)
	for i, t := range st.order {
		if t == token {
			st.order = append(st.order[:i], st.order[i+1:]...)
			break
		}
	}
}

// parseSize reads a byte count: 67108864, 64MiB, 64MB, 1GiB, 512k.
func parseSize(s string) (int64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"k", 1 << 10}, {"m", 1 << 20}, {"g", 1 << 30}, {"b", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("%q: expected a positive size such as 64MiB or 67108864", s)
	}
	return n * mult, nil
}

// sizeString writes a byte count the way people read it.
func sizeString(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// durationWords writes 15m0s as "15 minutes".
func durationWords(d time.Duration) string {
	if d >= time.Minute && d%time.Minute == 0 {
		return plural(int(d/time.Minute), "minute")
	}
	return d.String()
}
