package main

// The upload page's routes: the form, the page's and the API's answers
// to a report request, refusals as a page, JSON or text, and downloads.

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"rexpo/inputs"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// handleStyle serves the page's style sheet, embedded with the pages.
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

// handleDownload answers a download link with the kept report, or with
// a page saying it is gone (links last keepFor).
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

// badRequest is a 400 whose message is also the one problem listed, so
// that the page and the API show it where they show an input's problems.
func badRequest(format string, args ...any) *httpError {
	msg := fmt.Sprintf(format, args...)
	return &httpError{status: http.StatusBadRequest, title: "The upload was not understood", message: msg,
		problems: []inputs.Problem{{Message: msg, Error: true}}}
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

// apiError answers a refused API request: JSON with the problems for a
// JSON client, else the title and the list as validate prints it.
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
