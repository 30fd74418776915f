package workbook

// The sheet reader's fast path. Nearly every cell Excel writes is one of
// <c r="B7" s="3" t="s"><v>42</v></c>, <c r="B7"/> or <c r="B7"></c>:
// plainCell reads such a cell straight from the tokenizer's buffer in one
// pass, where the tokenizer would make five tokens of it. Anything else
// (other attributes, spaces, entities, text beyond printable ASCII, an
// inline string or formula, a cell cut by the end of the buffer, any
// error) it leaves to the tokenizer, untouched, so that cells read the
// same and errors say the same either way (FuzzPlainCell checks it).

// fastPaths turns the fast paths on (plainCell, plainRowStart and
// plainRowEnd, plainSharedString);
// tests turn them off to compare.
var fastPaths = true

// plainCell reads a plain cell at the tokenizer's position, inside row
// num after column col. ok is false when the cell is not plain: nothing is
// then consumed.
func (r *xlsxSheetReader) plainCell(col, num int) (cell Cell, newCol int, ok bool) {
	x := r.sc.xt
	if x.err != nil {
		return Cell{}, 0, false
	}
	b := x.buf[x.pos:x.end]
	if len(b) < 4 || b[0] != '<' || b[1] != 'c' {
		return Cell{}, 0, false
	}
	typ, style := typeNumber, -1
	var ref []byte
	i := 2
	for i < len(b) && b[i] == ' ' {
		// One space, a one-letter name, ="value" of letters and digits.
		if i+4 >= len(b) || b[i+2] != '=' || b[i+3] != '"' {
			return Cell{}, 0, false
		}
		j := i + 4
		for j < len(b) && isAlnum(b[j]) {
			j++
		}
		if j >= len(b) || b[j] != '"' {
			return Cell{}, 0, false
		}
		v := b[i+4 : j]
		switch b[i+1] {
		case 'r':
			ref = v
		case 't':
			if typ = cellType(v); typ == typeUnknown {
				return Cell{}, 0, false
			}
		case 's':
			if n, ok := parseUint(v); ok {
				style = n
			}
		default:
			return Cell{}, 0, false
		}
		i = j + 1
	}
	var text []byte
	hasV := false
	switch rest := b[i:]; {
	case hasPrefix(rest, "/>"):
		i += 2
	case hasPrefix(rest, "></c>"):
		i += 5
	case hasPrefix(rest, "><v>"):
		start := i + 4
		k := start
		for k < len(b) && plainBytes[b[k]]&plainText != 0 {
			k++
		}
		if !hasPrefix(b[k:], "</v></c>") {
			return Cell{}, 0, false
		}
		text, hasV, i = b[start:k], true, k+8
	default:
		return Cell{}, 0, false
	}
	if ref != nil {
		c, ok := parseRef(ref)
		if !ok {
			return Cell{}, 0, false
		}
		col = c
	} else if col++; col >= maxCols {
		return Cell{}, 0, false
	}
	if cell, ok = r.plainValue(text, col, num, typ, style, hasV); !ok {
		return Cell{}, 0, false
	}
	x.pos += i
	return cell, col, true
}

// plainValue makes a plain cell as cell makes it; ok is false where cell
// gives an error. Most cells are shared strings: they are made here,
// without cell's call; anything cell would refuse is left to it.
func (r *xlsxSheetReader) plainValue(text []byte, col, num, typ, style int, hasV bool) (Cell, bool) {
	if typ != typeShared || !hasV {
		cell, err := r.cell(text, col, num, typ, "", style, hasV, false)
		return cell, err == nil
	}
	n, ok := parseUint(text)
	if !ok || n >= r.book.sst.len() {
		return Cell{}, false
	}
	if s := r.book.sst.at(n); s != "" {
		return Cell{Text: s, Kind: CellText}, true
	}
	return Cell{}, true
}

// hasPrefix is bytes.HasPrefix for a constant prefix, which the compiler
// turns into a few loads and compares instead of a call.
func hasPrefix(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && string(b[:len(prefix)]) == prefix
}

func isAlnum(c byte) bool { return plainBytes[c]&plainAlnum != 0 }

// plainBytes classes bytes for the fast paths' loops, one load a byte
// where the tests took up to six compares: plainAlnum for letters and
// digits, plainText for printable ASCII but '<', '&' and ']' (text
// that needs no unescaping and cannot end a CDATA section).
var plainBytes = func() (t [256]uint8) {
	for c := range 256 {
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' {
			t[c] |= plainAlnum
		}
		if c >= 0x20 && c < 0x7f && c != '<' && c != '&' && c != ']' {
			t[c] |= plainText
		}
	}
	return t
}()

const (
	plainAlnum = 1 << iota
	plainText
)

// plainSharedString reads a shared string of the plain form
// <si><t>text</t></si> at the tokenizer's position, inside the root of
// the shared strings part, where the tokenizer would make five tokens of
// it; text is printable ASCII without entities. ok is false when the
// string is not plain: nothing is then consumed.
func plainSharedString(x *tokenizer) (text []byte, ok bool) {
	if x.err != nil {
		return nil, false
	}
	b := x.buf[x.pos:x.end]
	if !hasPrefix(b, "<si><t>") {
		return nil, false
	}
	k := len("<si><t>")
	for k < len(b) && plainBytes[b[k]]&plainText != 0 {
		k++
	}
	if !hasPrefix(b[k:], "</t></si>") {
		return nil, false
	}
	x.pos += k + len("</t></si>")
	return b[len("<si><t>"):k], true
}

// plainRowStart reads a row's start tag of the plain form Excel writes,
// <row r="7" spans="1:20" ht="15">: unprefixed attributes, values of
// letters, digits, '.', ':' and '-', and no self-closing. num is the
// first r attribute's value when hasNum. ok is false when the tag is not
// plain: nothing is then consumed.
func plainRowStart(x *tokenizer) (num []byte, hasNum, ok bool) {
	if x.err != nil {
		return nil, false, false
	}
	b := x.buf[x.pos:x.end]
	if !hasPrefix(b, "<row") {
		return nil, false, false
	}
	i := len("<row")
	for i < len(b) && b[i] == ' ' {
		j := i + 1
		for j < len(b) && ('a' <= b[j] && b[j] <= 'z' || 'A' <= b[j] && b[j] <= 'Z') {
			j++
		}
		if j == i+1 || j+1 >= len(b) || b[j] != '=' || b[j+1] != '"' {
			return nil, false, false
		}
		k := j + 2
		for k < len(b) && (isAlnum(b[k]) || b[k] == '.' || b[k] == ':' || b[k] == '-') {
			k++
		}
		if k >= len(b) || b[k] != '"' {
			return nil, false, false
		}
		if string(b[i+1:j]) == "r" && !hasNum {
			num, hasNum = b[j+2:k], true
		}
		i = k + 1
	}
	if i >= len(b) || b[i] != '>' {
		return nil, false, false
	}
	x.pos += i + 1
	return num, hasNum, true
}

// plainRowEnd consumes a </row> at the tokenizer's position, if there is
// one there.
func plainRowEnd(x *tokenizer) bool {
	if x.err != nil || !hasPrefix(x.buf[x.pos:x.end], "</row>") {
		return false
	}
	x.pos += len("</row>")
	return true
}
