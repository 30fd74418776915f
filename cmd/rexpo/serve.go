package main

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"html/template"
	"io"
	"log"
	"net"
	"net/http"
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
//
// This file holds the command, its options and the server's wiring;
// serve_middleware.go wraps every request (Host check, headers, log),
// serve_handlers.go routes them, serve_upload.go reads an upload,
// serve_report.go computes a report under the slots and deadlines,
// serve_store.go keeps rendered reports for the download links, and
// serve_page.go (with web/) renders the page.

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
		setMemoryLimit(serveMemoryLimit)
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

// newServer reads what every request shares once: the scenario library
// the page's boxes list, the page templates and the input template
// workbook GET /template.xlsx answers.
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
