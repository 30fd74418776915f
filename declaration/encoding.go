package declaration

import (
	"bytes"
	"fmt"
	"io"
	"unicode/utf16"

	"rexpo/internal/cp1252"
	"rexpo/schema"
)

// (by its byte-order mark) is turned into UTF-8, and a UTF-8 BOM dropped.
func decodeSource(r io.Reader) (io.Reader, error) {
	var head [2]byte
	n, err := io.ReadFull(r, head[:])
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, err
	}
	start := io.MultiReader(bytes.NewReader(head[:n]), r)
	if n == 2 && (head == [2]byte{0xFE, 0xFF} || head == [2]byte{0xFF, 0xFE}) {
		data, err := io.ReadAll(r)
		if err != nil {
			return nil, err
		}
		big := head[0] == 0xFE
		u := make([]uint16, 0, len(data)/2)
		for i := 0; i+1 < len(data); i += 2 {
			if big {
				u = append(u, uint16(data[i])<<8|uint16(data[i+1]))
			} else {
				u = append(u, uint16(data[i+1])<<8|uint16(data[i]))
			}
		}
		var b bytes.Buffer
		for _, c := range utf16.Decode(u) {
			b.WriteRune(c)
		}
		return &b, nil
	}
	br := &bomSkipper{r: start}
	return br, nil
}

// bomSkipper drops a UTF-8 byte-order mark at the start.
type bomSkipper struct {
	r       io.Reader
	started bool
	pending []byte
}

func (s *bomSkipper) Read(b []byte) (int, error) {
	if !s.started {
		s.started = true
		var head [3]byte
		n, err := io.ReadFull(s.r, head[:])
		if n == 3 && head == [3]byte{0xEF, 0xBB, 0xBF} {
			n = 0
		}
		s.pending = append(s.pending, head[:n]...)
		if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
			return 0, err
		}
	}
	if len(s.pending) > 0 {
		n := copy(b, s.pending)
		s.pending = s.pending[n:]
		return n, nil
	}
	return s.r.Read(b)
}

// charsetReader lets the decoder read the encodings declarations are saved
// in besides UTF-8: Latin-1 and Windows-1252, and UTF-16 (already turned
// into UTF-8 by decodeSource).
func charsetReader(charset string, in io.Reader) (io.Reader, error) {
	switch schema.NormalizeKey(charset) {
	case "utf8", "usascii", "ascii", "utf16", "utf16le", "utf16be":
		return in, nil
	case "iso88591", "latin1", "l1", "windows1252", "cp1252", "iso885915":
		return &latin1Reader{r: in}, nil
	}
	return nil, fmt.Errorf("the file is encoded as %q: save it as UTF-8", charset)
}

// latin1Reader turns Windows-1252 (a superset of Latin-1's printable
// characters) into UTF-8.
type latin1Reader struct {
	r   io.Reader
	out []byte
	buf [2048]byte
}

func (l *latin1Reader) Read(b []byte) (int, error) {
	for len(l.out) == 0 {
		n, err := l.r.Read(l.buf[:])
		for _, c := range l.buf[:n] {
			l.out = cp1252.AppendRune(l.out, c)
		}
		if err != nil {
			if len(l.out) > 0 {
				break
			}
			return 0, err
		}
	}
	n := copy(b, l.out)
	l.out = l.out[n:]
	return n, nil
}
