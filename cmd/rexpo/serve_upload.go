package main

// Reading an upload into memory: the multipart form's file and fields,
// under --max-upload and --upload-timeout, and the count of uploads held
// at once.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path"
	"strings"

	"rexpo/inputs"
)

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

// tooLarge is the 413 of an upload over --max-upload.
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
