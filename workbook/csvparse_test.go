package workbook

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"rexpo/internal/genbom"
)

// csvRecordReader is what csvParser and encoding/csv.Reader share.
type csvRecordReader interface {
	Read() ([]string, error)
	FieldPos(i int) (line, column int)
}

// csvStdReader is encoding/csv configured as csv.go configures it.
func csvStdReader(r io.Reader, comma byte) *csv.Reader {
	cr := csv.NewReader(r)
	cr.Comma = rune(comma)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	return cr
}

// csvRead is one call of Read: the fields (kept as returned, not copied:
// a parser that overwrote them later would show), where they start and
// the error.
type csvRead struct {
	fields []string
	pos    [][2]int
	err    error
	eof    bool // FieldPos after io.EOF, no fields
}

// csvReadAll calls Read until io.EOF, continuing after errors as a CSV
// reader may; at most limit calls. After io.EOF, FieldPos still tells
// where the fields of the last record start: a last read marked eof
// holds them.
func csvReadAll(r csvRecordReader, limit int) []csvRead {
	var out []csvRead
	for range limit {
		rec, err := r.Read()
		if err == io.EOF {
			if rec != nil {
				out = append(out, csvRead{fields: rec, err: errors.New("records with io.EOF")})
			}
			if len(out) > 0 && len(out[len(out)-1].fields) > 0 {
				after := csvRead{eof: true}
				for i := range out[len(out)-1].fields {
					l, c := r.FieldPos(i)
					after.pos = append(after.pos, [2]int{l, c})
				}
				out = append(out, after)
			}
			break
		}
		cr := csvRead{fields: append([]string(nil), rec...), err: err}
		for i := range rec {
			l, c := r.FieldPos(i)
			cr.pos = append(cr.pos, [2]int{l, c})
		}
		out = append(out, cr)
	}
	return out
}

// csvRender shows reads one a line: the fields quoted, @ and the line:col
// of each, or the error after them; not FieldPos after io.EOF.
func csvRender(reads []csvRead) string {
	var b strings.Builder
	for _, r := range reads {
		if r.eof {
			continue
		}
		fmt.Fprintf(&b, "%q", r.fields)
		if len(r.pos) > 0 {
			b.WriteString(" @")
			for _, p := range r.pos {
				fmt.Fprintf(&b, " %d:%d", p[0], p[1])
			}
		}
		if r.err != nil {
			var pe *csv.ParseError
			if errors.As(r.err, &pe) {
				fmt.Fprintf(&b, " ParseError{%d %d %d %v}", pe.StartLine, pe.Line, pe.Column, pe.Err)
			} else {
				fmt.Fprintf(&b, " error %v", r.err)
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// csvSameReads reports the first difference between two read sequences,
// "" if none: fields, positions, and errors by value (a ParseError field
// by field, its Err by identity).
func csvSameReads(got, want []csvRead) string {
	for i := range max(len(got), len(want)) {
		if i >= len(got) || i >= len(want) {
			return fmt.Sprintf("%d reads, want %d", len(got), len(want))
		}
		g, w := got[i], want[i]
		if fmt.Sprintf("%q %v %v", g.fields, g.pos, g.eof) != fmt.Sprintf("%q %v %v", w.fields, w.pos, w.eof) {
			return fmt.Sprintf("read %d: %q at %v (after io.EOF: %v), want %q at %v (%v)", i, g.fields, g.pos, g.eof, w.fields, w.pos, w.eof)
		}
		var gp, wp *csv.ParseError
		switch {
		case errors.As(g.err, &gp) && errors.As(w.err, &wp):
			if *gp != *wp {
				return fmt.Sprintf("read %d: error %+v, want %+v", i, *gp, *wp)
			}
		case g.err != w.err:
			return fmt.Sprintf("read %d: error %v, want %v", i, g.err, w.err)
		}
	}
	return ""
}

var csvSeparators = []byte{',', ';', '\t'}

// csvParseTests are tricky inputs with what encoding/csv (and so
// csvParser) reads from them with a comma.
var csvParseTests = []struct {
	name, in, want string
}{
	{"empty", "", ""},
	{"one field", "a", `["a"] @ 1:1` + "\n"},
	{"fields", "a,b,c\nd,e,f\n", `["a" "b" "c"] @ 1:1 1:3 1:5` + "\n" + `["d" "e" "f"] @ 2:1 2:3 2:5` + "\n"},
	{"empty fields", ",,\n,\n", `["" "" ""] @ 1:1 1:2 1:3` + "\n" + `["" ""] @ 2:1 2:2` + "\n"},
	{"trailing separator", "a,b,\n", `["a" "b" ""] @ 1:1 1:3 1:5` + "\n"},
	{"blank lines", "\n\na\n\n\r\nb\n\n", `["a"] @ 3:1` + "\n" + `["b"] @ 6:1` + "\n"},
	{"only blank lines", "\n\r\n\n", ""},
	{"spaces are not blank", " \n", `[" "] @ 1:1` + "\n"},
	{"crlf", "a,b\r\nc\r\n", `["a" "b"] @ 1:1 1:3` + "\n" + `["c"] @ 2:1` + "\n"},
	{"lone cr inside", "a\rb,c\r\n", `["a\rb" "c"] @ 1:1 1:5` + "\n"},
	{"cr before cr lf", "a\r\r\n", `["a\r"] @ 1:1` + "\n"},
	{"final cr dropped", "a,b\r", `["a" "b"] @ 1:1 1:3` + "\n"},
	{"final cr alone", "a\n\r", `["a"] @ 1:1` + "\n"},
	{"two final crs", "a\r\r", `["a\r"] @ 1:1` + "\n"},
	{"quoted", `"a","b c",""` + "\n", `["a" "b c" ""] @ 1:1 1:5 1:11` + "\n"},
	{"doubled quotes", `"a ""b""",""""` + "\n", `["a \"b\"" "\""] @ 1:1 1:11` + "\n"},
	{"quoted separator", `"a,b",c`, `["a,b" "c"] @ 1:1 1:7` + "\n"},
	{"quoted lines", "x,\"a\nb\n\nc\",y\nz\n", `["x" "a\nb\n\nc" "y"] @ 1:1 1:3 4:4` + "\n" + `["z"] @ 5:1` + "\n"},
	{"quoted crlf", "\"a\r\nb\r\n\",c\r\n", `["a\nb\n" "c"] @ 1:1 3:3` + "\n"},
	{"quoted lone cr", "\"a\rb\"\n", `["a\rb"] @ 1:1` + "\n"},
	{"quoted final cr", "\"a\r", `[] ParseError{1 1 3 extraneous or missing " in quoted-field}` + "\n"},
	{"quoted then cr", "\"a\"\r", `["a"] @ 1:1` + "\n"},
	{"quoted field ends the input", `a,"b"`, `["a" "b"] @ 1:1 1:3` + "\n"},
	{"quote at the end of the input", `a,"`, `["a"] @ 1:1 ParseError{1 1 4 extraneous or missing " in quoted-field}` + "\n"},
	{"unterminated over lines", "a\n\"b\nc\n", `["a"] @ 1:1` + "\n" + `[] ParseError{2 3 3 extraneous or missing " in quoted-field}` + "\n"},
	{"bare quote", "a,b\"c,d\ne\n", `["a"] @ 1:1 ParseError{1 1 4 bare " in non-quoted-field}` + "\n" + `["e"] @ 2:1` + "\n"},
	{"bare quote at field end", "ab\"\n", `[] ParseError{1 1 3 bare " in non-quoted-field}` + "\n"},
	{"bare quote after quoted lines", "\"a\nb\",c\"\n", `["a\nb"] @ 1:1 ParseError{1 2 5 bare " in non-quoted-field}` + "\n"},
	{"space before quote", ` "a"`, `[] ParseError{1 1 2 bare " in non-quoted-field}` + "\n"},
	{"text after closing quote", "\"a\"b,c\nd\n", `[] ParseError{1 1 3 extraneous or missing " in quoted-field}` + "\n" + `["d"] @ 2:1` + "\n"},
	{"quote error on a later line", "\"a\nb\"x\n", `[] ParseError{1 2 2 extraneous or missing " in quoted-field}` + "\n"},
	{"space after closing quote", `"a" ,b`, `[] ParseError{1 1 3 extraneous or missing " in quoted-field}` + "\n"},
	{"non-UTF-8", "\xff\xfe,\"\xc3\x28\"\n\x80", `["\xff\xfe" "\xc3("] @ 1:1 1:4` + "\n" + `["\x80"] @ 2:1` + "\n"},
	{"UTF-8", "é,\"ü\"\n", `["é" "ü"] @ 1:1 1:4` + "\n"},
	{"semicolons and tabs are data", "a;b\tc\n", `["a;b\tc"] @ 1:1` + "\n"},
	{"empty quoted then blank", "\"\"\n\n\"\"", `[""] @ 1:1` + "\n" + `[""] @ 3:1` + "\n"},
	{"long line", strings.Repeat("x", 300) + ",\"" + strings.Repeat("y\n", 50) + "\"\n" + strings.Repeat("z", 200),
		`["` + strings.Repeat("x", 300) + `" "` + strings.Repeat(`y\n`, 50) + `"] @ 1:1 1:302` + "\n" + `["` + strings.Repeat("z", 200) + `"] @ 52:1` + "\n"},
}

// csvParserSizes are buffer sizes for the tests: tiny ones put every
// boundary inside a line, a field, a "" or a "\r\n".
var csvParserSizes = []int{1, 2, 3, 5, 8, 64, csvBufSize}

func TestCSVParser(t *testing.T) {
	for _, tc := range csvParseTests {
		t.Run(tc.name, func(t *testing.T) {
			for _, size := range csvParserSizes {
				got := csvRender(csvReadAll(newCSVParser(strings.NewReader(tc.in), ',', size), 1000))
				if got != tc.want {
					t.Errorf("buffer %d: read\n%s\nwant\n%s", size, got, tc.want)
				}
			}
			// The expectations are encoding/csv's.
			if std := csvRender(csvReadAll(csvStdReader(strings.NewReader(tc.in), ','), 1000)); std != tc.want {
				t.Errorf("encoding/csv reads\n%s\nwant\n%s", std, tc.want)
			}
			// With every separator and every kind of reader, both agree.
			for _, sep := range csvSeparators {
				in := strings.ReplaceAll(tc.in, ",", string(sep))
				for _, size := range csvParserSizes {
					for _, rd := range []func(io.Reader) io.Reader{
						func(r io.Reader) io.Reader { return r },
						iotest.OneByteReader,
						iotest.HalfReader,
						iotest.DataErrReader,
					} {
						want := csvReadAll(csvStdReader(rd(strings.NewReader(in)), sep), 1000)
						got := csvReadAll(newCSVParser(rd(strings.NewReader(in)), sep, size), 1000)
						if d := csvSameReads(got, want); d != "" {
							t.Errorf("separator %q, buffer %d: %s", sep, size, d)
						}
					}
				}
			}
		})
	}
}

func TestCSVCommaBits(t *testing.T) {
	b := make([]byte, 300)
	for i := range b {
		b[i] = ",;\t\x00\xff\x2c\xac\x2d\x2b"[(i*i+7*i)%9]
	}
	for _, comma := range csvSeparators {
		for n := range len(b) {
			bits := csvCommaBits(nil, b[:n], comma)
			if len(bits) != n/64+1 {
				t.Fatalf("%d bytes: %d words", n, len(bits))
			}
			for i := range n {
				if got := bits[i/64]>>(i%64)&1 == 1; got != (b[i] == comma) {
					t.Fatalf("%d bytes, separator %q: bit %d is %v for %q", n, comma, i, got, b[i])
				}
			}
			for i := n; i < len(bits)*64; i++ {
				if bits[i/64]>>(i%64)&1 == 1 {
					t.Fatalf("%d bytes: bit %d set past the end", n, i)
				}
			}
		}
	}
}

func TestCSVParserManyFields(t *testing.T) {
	// Lines of many fields of all lengths, around the words of the
	// separator bitmap, some quoted, some blank, CRLF or LF.
	var b strings.Builder
	for l := range 40 {
		for f := range l * 7 % 45 {
			if f > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strings.Repeat("x", (f*f+l)%13))
			if (l+f)%17 == 5 {
				b.WriteString(`"q"`)
			}
		}
		if l%3 == 0 {
			b.WriteString("\r")
		}
		b.WriteByte('\n')
		if l%5 == 0 {
			b.WriteString("\"a,\nb\",c\n")
		}
	}
	in := b.String()
	for _, sep := range csvSeparators {
		in := strings.ReplaceAll(in, ",", string(sep))
		want := csvReadAll(csvStdReader(strings.NewReader(in), sep), 1000)
		if len(want) < 40 {
			t.Fatalf("%d reads", len(want))
		}
		for _, size := range csvParserSizes {
			got := csvReadAll(newCSVParser(strings.NewReader(in), sep, size), 1000)
			if d := csvSameReads(got, want); d != "" {
				t.Errorf("separator %q, buffer %d: %s", sep, size, d)
			}
		}
	}
	// csv.go asks only for the first and the last position.
	p := newCSVParser(strings.NewReader("aa,b,,cccc\n"), ',', 64)
	p.Read()
	if l, c := p.FieldPos(3); l != 1 || c != 7 {
		t.Errorf("FieldPos(3) = %d:%d, want 1:7", l, c)
	}
	if l, c := p.FieldPos(0); l != 1 || c != 1 {
		t.Errorf("FieldPos(0) = %d:%d, want 1:1", l, c)
	}
	if l, c := p.FieldPos(2); l != 1 || c != 6 {
		t.Errorf("FieldPos(2) = %d:%d, want 1:6", l, c)
	}
}

// csvFlakyReader gives data in reads of varying sizes, some empty, and
// fails once, at byte errAt, with errCSVFlaky.
type csvFlakyReader struct {
	data      []byte
	off       int
	chunk     int // 0: as much as asked for
	calls     int
	errAt     int // -1: never
	withData  bool
	errReturn bool
}

var errCSVFlaky = errors.New("flaky read")

func (r *csvFlakyReader) Read(p []byte) (int, error) {
	r.calls++
	if r.off == r.errAt && !r.errReturn {
		r.errReturn = true
		return 0, errCSVFlaky
	}
	if r.off == len(r.data) {
		return 0, io.EOF
	}
	n := len(p)
	if r.chunk > 0 {
		if r.calls%5 == 0 && r.chunk%2 == 1 {
			return 0, nil
		}
		n = min(n, 1+(r.calls*31+r.chunk)%r.chunk)
	}
	n = min(n, len(r.data)-r.off)
	if r.errAt > r.off && !r.errReturn {
		n = min(n, r.errAt-r.off)
	}
	copy(p, r.data[r.off:r.off+n])
	r.off += n
	if r.off == r.errAt && r.withData && !r.errReturn {
		r.errReturn = true
		return n, errCSVFlaky
	}
	return n, nil
}

func TestCSVParserReadErrors(t *testing.T) {
	// A read error is reported once, with the record it cuts short, and
	// reading goes on after it as with encoding/csv.
	ins := []string{
		"a,b\nc,d\n",
		"a,\"b\nc\",d\n",
		"\"a\"\"b\",\"c\nd\"\"\"\n\n\ne,f",
		"a\"b\n\"c\"d\n\"e",
		"a\r\nb\r\n\r\n\"c\r\n\"\r",
	}
	for _, in := range ins {
		for errAt := 0; errAt <= len(in); errAt++ {
			for _, chunk := range []int{0, 1, 2, 3, 7} {
				for _, withData := range []bool{false, true} {
					want := csvReadAll(csvStdReader(&csvFlakyReader{data: []byte(in), chunk: chunk, errAt: errAt, withData: withData}, ','), 100)
					for _, size := range csvParserSizes {
						got := csvReadAll(newCSVParser(&csvFlakyReader{data: []byte(in), chunk: chunk, errAt: errAt, withData: withData}, ',', size), 100)
						if d := csvSameReads(got, want); d != "" {
							t.Errorf("%q failing at %d (chunk %d, with data %v), buffer %d: %s\ngot\n%swant\n%s", in, errAt, chunk, withData, size, d, csvRender(got), csvRender(want))
						}
					}
				}
			}
		}
	}
	// The error is that of the reader, for errors.Is.
	p := newCSVParser(&csvFlakyReader{data: []byte("a,b\nc,d"), errAt: 6}, ',', 16)
	if rec, err := p.Read(); err != nil || len(rec) != 2 {
		t.Fatalf("first record %q, %v", rec, err)
	}
	if rec, err := p.Read(); err != errCSVFlaky || fmt.Sprint(rec) != "[c ]" {
		t.Errorf("second record %q, %v; want [c ], %v", rec, err, errCSVFlaky)
	}
}

func TestCSVParserNoProgress(t *testing.T) {
	p := newCSVParser(iotest.ErrReader(nil), ',', 16)
	if _, err := p.Read(); err != io.ErrNoProgress {
		t.Errorf("a reader that never reads: %v, want io.ErrNoProgress", err)
	}
}

// TestCSVParserBudget checks that a reader that stops a long record
// bounds the memory: the buffer grows to the budget and little more.
func TestCSVParserBudget(t *testing.T) {
	const budget = 256 << 10
	for _, in := range []string{
		strings.Repeat("x", 4<<20),                     // no line breaks at all
		"a,b\n\"" + strings.Repeat("x\n", 2<<20) + `"`, // a quoted field of many lines
	} {
		cnt := &csvCounter{r: strings.NewReader(in), budget: budget}
		p := newCSVParser(cnt, ',', 1<<10)
		var err error
		for err == nil {
			cnt.mark = cnt.n
			_, err = p.Read()
		}
		if err != errCSVRecordTooLong {
			t.Errorf("error %v, want %v", err, errCSVRecordTooLong)
		}
		if cnt.n > budget+2<<10 || cap(p.buf) > 2*budget || cap(p.quoted) > 2*budget {
			t.Errorf("read %d bytes, buffers of %d and %d, for a budget of %d", cnt.n, cap(p.buf), cap(p.quoted), budget)
		}
	}
}

func TestCSVParserPeek(t *testing.T) {
	p := newCSVParser(iotest.OneByteReader(strings.NewReader("\xEF\xBB\xBFa;b\nc")), ';', 2)
	if head := p.peek(4096); string(head) != "\xEF\xBB\xBFa;b\nc" {
		t.Fatalf("peek %q", head)
	}
	if head := p.peek(2); string(head) != "\xEF\xBB" {
		t.Fatalf("peek(2) %q", head)
	}
	p.discard(3)
	if got := csvRender(csvReadAll(p, 10)); got != `["a" "b"] @ 1:1 1:3`+"\n"+`["c"] @ 2:1`+"\n" {
		t.Errorf("read %s", got)
	}
}

func TestCSVParserKeepsStrings(t *testing.T) {
	// The record slice is reused, the strings never change: a whole file
	// kept field by field reads the same afterwards.
	var b strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&b, "p%d,\"q \"\"%d\"\"\",\"multi\nline %d\",%x\n", i, i, i, i*i)
	}
	p := newCSVParser(strings.NewReader(b.String()), ',', 100)
	var kept [][]string
	for {
		rec, err := p.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		kept = append(kept, append([]string(nil), rec...))
	}
	for i, rec := range kept {
		want := []string{fmt.Sprintf("p%d", i), fmt.Sprintf("q \"%d\"", i), fmt.Sprintf("multi\nline %d", i), fmt.Sprintf("%x", i*i)}
		if fmt.Sprint(rec) != fmt.Sprint(want) {
			t.Fatalf("record %d now %q, want %q", i, rec, want)
		}
	}
}

func TestCSVParserFieldPosPanics(t *testing.T) {
	p := newCSVParser(strings.NewReader("a,b\n"), ',', 16)
	p.Read()
	defer func() {
		if recover() == nil {
			t.Error("FieldPos(2) of a record of 2 fields did not panic")
		}
	}()
	p.FieldPos(2)
}

// FuzzCSVParser reads arbitrary bytes with csvParser and encoding/csv and
// requires the same records, field positions and errors, with each
// separator: from the whole input with the real buffer, and from a reader
// of varying read sizes that may fail once, with a buffer of bufSize.
func FuzzCSVParser(f *testing.F) {
	for _, tc := range csvParseTests {
		f.Add([]byte(tc.in), uint8(3), uint8(0), int16(-1))
		f.Add([]byte(tc.in), uint8(1), uint8(3), int16(len(tc.in)/2))
	}
	f.Add([]byte("a;b\tc,\"d;\"\"\r\n\"\n"), uint8(7), uint8(5), int16(4))
	f.Fuzz(func(t *testing.T, data []byte, bufSize, chunk uint8, errAt int16) {
		for _, sep := range csvSeparators {
			want := csvReadAll(csvStdReader(bytes.NewReader(data), sep), len(data)+2)
			got := csvReadAll(newCSVParser(bytes.NewReader(data), sep, csvBufSize), len(data)+2)
			if d := csvSameReads(got, want); d != "" {
				t.Fatalf("separator %q: %s\ngot\n%swant\n%s", sep, d, csvRender(got), csvRender(want))
			}
			flaky := func() io.Reader {
				return &csvFlakyReader{data: data, chunk: int(chunk), errAt: int(errAt), withData: chunk%3 == 0}
			}
			want = csvReadAll(csvStdReader(flaky(), sep), len(data)+4)
			got = csvReadAll(newCSVParser(flaky(), sep, int(bufSize)), len(data)+4)
			if d := csvSameReads(got, want); d != "" {
				t.Fatalf("separator %q, buffer %d, reads of %d failing at %d: %s\ngot\n%swant\n%s", sep, bufSize, chunk, errAt, d, csvRender(got), csvRender(want))
			}
		}
	})
}

func csvBenchData(b *testing.B, lines int) []byte {
	var buf bytes.Buffer
	if err := genbom.WriteCSV(&buf, lines, 1); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkCSVParser reads a generated BOM of 100,000 lines from memory
// with encoding/csv (ReuseRecord) and with csvParser, asking for the
// positions csv.go asks for.
func BenchmarkCSVParser(b *testing.B) {
	data := csvBenchData(b, 100000)
	run := func(b *testing.B, newReader func(io.Reader) csvRecordReader) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			r := newReader(bytes.NewReader(data))
			n := 0
			for {
				rec, err := r.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				r.FieldPos(0)
				r.FieldPos(len(rec) - 1)
				n++
			}
			if n != 100001 {
				b.Fatalf("%d records", n)
			}
		}
	}
	b.Run("encoding-csv", func(b *testing.B) {
		run(b, func(r io.Reader) csvRecordReader { return csvStdReader(bufioSized(r), ',') })
	})
	b.Run("csvParser", func(b *testing.B) {
		run(b, func(r io.Reader) csvRecordReader { return newCSVParser(r, ',', csvBufSize) })
	})
}

// bufioSized buffers r as csv.go buffers encoding/csv's input.
func bufioSized(r io.Reader) io.Reader { return bufio.NewReaderSize(r, csvBufSize) }

// TestCSVParserValidUTF8 checks when the parser vouches for a record's
// encoding: only for a line without quotes in a block that is valid UTF-8.
func TestCSVParserValidUTF8(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []bool // per record
	}{
		{"a,b\ncafé,1\n", []bool{true, true}},
		{"a,b\nStra\xdfe,1\n", []bool{false, false}}, // one bad byte spoils the block
		{"a,\"b,c\"\nd,e\n", []bool{false, true}},    // a quoted line is not vouched for
		{"a,b", []bool{false}},                       // no line break: read line by line
	} {
		p := newCSVParser(strings.NewReader(tc.in), ',', 64<<10)
		var got []bool
		for {
			if _, err := p.Read(); err != nil {
				break
			}
			got = append(got, p.ValidUTF8())
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q: ValidUTF8 per record %v, want %v", tc.in, got, tc.want)
		}
	}
}
