package inputs

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"rexpo/schema"
)

// MaxProblems caps how many problems one run lists.
const MaxProblems = 200

// Problem is one error or warning found in the input, with its place.
type Problem struct {
	Sheet   string // sheet name, "" for the file as a whole
	Cell    string // A1 reference, or "" for a whole sheet or row ("12" for a row)
	Message string
	Error   bool // an error stops the report; a warning is listed in it
	// Figures marks a warning that bears on the report's figures (a column
	// not understood, no rare-earth content, stale data, ...): the
	// Summary's first screen repeats it, so that a report of zeros is not
	// read as "nothing changes".
	Figures bool
	// Err is the problem as an error, for programs: a *CellError for a
	// problem in the input's sheets (or its flags), a declaration.Problem
	// for one in a supplier's declaration. Its cause wraps one of the
	// sentinels (ErrInvalidNumber, ErrMissingColumn, ...) when the kind
	// of problem has one. Message is what users read.
	Err error
}

// Place returns "BOM!F12", "BOM!12", "BOM" or "" as the problem's place.
func (p Problem) Place() string {
	switch {
	case p.Sheet == "":
		return p.Cell
	case p.Cell == "":
		return p.Sheet
	}
	return p.Sheet + "!" + p.Cell
}

// String formats the problem as validate prints it.
func (p Problem) String() string {
	kind := "warning"
	if p.Error {
		kind = "error"
	}
	if pl := p.Place(); pl != "" {
		return fmt.Sprintf("%s %s: %s", kind, pl, p.Message)
	}
	return fmt.Sprintf("%s: %s", kind, p.Message)
}

// ErrInput is returned (wrapped in *InputError) when the input has errors.
var ErrInput = errors.New("the input has errors")

// InputError carries every problem of an input that has at least one error.
type InputError struct {
	Problems []Problem
}

func (e *InputError) Error() string {
	var b strings.Builder
	n := 0
	for _, p := range e.Problems {
		if p.Error {
			n++
		}
	}
	fmt.Fprintf(&b, "%d error(s) in the input", n)
	for _, p := range e.Problems {
		if p.Error {
			b.WriteString("\n  ")
			b.WriteString(p.String())
		}
	}
	return b.String()
}

// Unwrap returns ErrInput and the errors of the problems that are errors,
// so that errors.Is(err, ErrInput) matches any input with errors,
// errors.Is(err, ErrInvalidNumber) one with a bad number, and errors.As
// finds the first *CellError.
func (e *InputError) Unwrap() []error {
	out := []error{ErrInput}
	for _, p := range e.Problems {
		if p.Error && p.Err != nil {
			out = append(out, p.Err)
		}
	}
	return out
}

// problems collects problems up to MaxProblems and counts the rest.
type problems struct {
	list      []Problem
	errs      int
	dropped   int
	truncated bool
	examples  map[string]int // the template's example rows skipped, by sheet
}

func (ps *problems) add(p Problem) {
	if p.Error {
		ps.errs++
	}
	if len(ps.list) >= MaxProblems {
		ps.dropped++
		// An error outranks a warning, and a warning on the figures an
		// ordinary one: it takes the place of the last lesser warning
		// listed, so that what stops a report or changes it is seen.
		w := lastWarning(ps.list, p.Error)
		if !(p.Error || p.Figures) || w < 0 {
			return
		}
		ps.list = append(ps.list[:w], ps.list[w+1:]...)
	}
	p.Message = cutMessage(p.Message)
	ps.list = append(ps.list, p)
}

// maxMessage bounds a problem's message: a message quotes the cells it is
// about, and a cell may hold 32,767 characters (a CSV field, megabytes).
const maxMessage = 1000

// quotedText matches a Go-quoted string in a message.
var quotedText = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// cutMessage shortens a message longer than maxMessage bytes: first each
// quoted text in it to what schema.Quote shows, so that the words around a
// huge cell survive, then, if need be, the message itself at a character
// boundary, marking the cut.
func cutMessage(m string) string {
	if len(m) <= maxMessage {
		return m
	}
	m = quotedText.ReplaceAllStringFunc(m, func(q string) string {
		if text, err := strconv.Unquote(q); err == nil && utf8.RuneCountInString(text) > schema.MaxQuote {
			return schema.Quote(text)
		}
		return q
	})
	if len(m) <= maxMessage {
		return m
	}
	cut := maxMessage
	for cut > 0 && !utf8.RuneStart(m[cut]) {
		cut--
	}
	return m[:cut] + "…"
}

// errorf records an error at sheet and cell (an A1 name, a row number, a
// flag such as "--only", or ""). A %w verb wraps its error in the
// problem's cause, with the same text as %v.
func (ps *problems) errorf(sheet, cell, format string, args ...any) {
	ps.errorIs(nil, sheet, cell, format, args...)
}

// errorIs is errorf whose cause also wraps the sentinel kind, which the
// message need not name.
func (ps *problems) errorIs(kind error, sheet, cell, format string, args ...any) {
	ce := at(sheet, cell)
	ce.Err = causef(kind, format, args...)
	ps.errorAt(ce, cell, ce.Err.Error())
}

// errorAt records ce as an error at cell with the message users read.
func (ps *problems) errorAt(ce *CellError, cell, message string) {
	ps.add(Problem{Sheet: ce.Sheet, Cell: cell, Message: message, Error: true, Err: ce})
}

func (ps *problems) warnf(sheet, cell, format string, args ...any) {
	if len(ps.list) >= MaxProblems {
		ps.dropped++ // a warning cannot join a full list: not worth formatting
		return
	}
	ps.warnAt(sheet, cell, false, fmt.Errorf(format, args...))
}

// figuref records a warning that bears on the report's figures
// (Problem.Figures). Unlike warnf it may displace an ordinary warning from
// a full list.
func (ps *problems) figuref(sheet, cell, format string, args ...any) {
	ps.warnAt(sheet, cell, true, fmt.Errorf(format, args...))
}

// warnAt records a warning whose message is the cause's text.
func (ps *problems) warnAt(sheet, cell string, figures bool, cause error) {
	ce := at(sheet, cell)
	ce.Err = cause
	ps.add(Problem{Sheet: sheet, Cell: cell, Message: cause.Error(), Figures: figures, Err: ce})
}

// lastWarning returns the index of the last warning in list that p may
// displace (any warning for an error, an ordinary one for a warning on the
// figures), or -1.
func lastWarning(list []Problem, forError bool) int {
	for i := len(list) - 1; i >= 0; i-- {
		if !list[i].Error && (forError || !list[i].Figures) {
			return i
		}
	}
	return -1
}

// hopeless reports whether the errors alone fill the list: no report can
// come of the input, so readers may stop early. Warnings never stop a
// read: a report is made of every line.
func (ps *problems) hopeless() bool { return ps.errs >= MaxProblems }

// finish returns the list, with a last line saying how many were left out.
func (ps *problems) finish() []Problem {
	out := ps.list
	switch {
	case ps.truncated:
		// A reader stopped early, so the rest cannot be counted.
		out = append(out, Problem{Message: fmt.Sprintf("the list stops at %d problems: the rest of the input was not checked, and more may follow", MaxProblems), Error: ps.errs > 0})
	case ps.dropped > 0:
		out = append(out, Problem{Message: fmt.Sprintf("%d more problem(s) not listed (the list stops at %d)", ps.dropped, MaxProblems), Error: ps.errs > 0})
	}
	return out
}
