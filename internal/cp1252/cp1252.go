// Package cp1252 decodes Windows-1252, the code page Excel's plain "CSV"
// save and many older XML tools write on Western systems. The workbook
// reader (CSV fields) and the declaration parser (Latin-1 files) share it.
package cp1252

import "unicode/utf8"

// high maps bytes 0x80–0x9F of Windows-1252 to Unicode (0 where the code
// page leaves a byte undefined; the byte then reads as Latin-1).
var high = [32]rune{
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
}

// Rune returns the character byte c stands for. A byte the code page
// leaves undefined reads as Latin-1, so that no byte is lost.
func Rune(c byte) rune {
	if c >= 0x80 && c < 0xA0 && high[c-0x80] != 0 {
		return high[c-0x80]
	}
	return rune(c)
}

// AppendRune appends the UTF-8 encoding of the character byte c stands for.
func AppendRune(dst []byte, c byte) []byte {
	if c < 0x80 {
		return append(dst, c)
	}
	return utf8.AppendRune(dst, Rune(c))
}
