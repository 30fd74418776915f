package main

// One report request from upload to figures: a slot among
// --max-concurrent, the computation under --report-timeout, and its
// failure as an answer (the input's problems are a 400).

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"runtime/debug"
	"strings"
	"time"

	"rexpo/inputs"
	"rexpo/reports"
	"rexpo/workbook"

	"rexpo/internal/gopanic"
)

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
				if gp, ok := p.(*gopanic.Panic); ok { // from a goroutine: where it first happened
					s.log.Printf("panic computing the report of %s at %s", u.name, gp.Place)
				}
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

// ctxWriter stops rendering a report once ctx ends.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

// Write fails once ctx has ended, so the renderer stops at its next write.
func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}
