package workbook

import (
	"encoding/binary"
	"fmt"
	"io"
	"unicode/utf16"
)

// An OLE compound file (CFB, [MS-CFB]) is what both an encrypted .xlsx
// (its package in an EncryptedPackage stream, described by an
// EncryptionInfo stream) and a legacy Excel 97-2003 .xls (a Workbook
// stream) are. oleKind reads the names in the file's directory to tell
// them apart, so that the message says which it is. It reads a bounded
// number of sectors: a crafted file cannot make it loop or allocate.

// oleFileKind is what an OLE compound file holds.
type oleFileKind int

const (
	oleUnknown   oleFileKind = iota // not readable, or none of the below
	oleEncrypted                    // an encrypted Office Open XML package
	oleXLS                          // an Excel 97-2003 workbook
	oleWord                         // a Word 97-2003 document
)

// Bounds of the directory walk.
const (
	oleMaxDirSectors   = 256
	oleMaxDIFATSectors = 64
)

// oleKind tells what the OLE compound file in r (size bytes) holds.
func oleKind(r io.ReaderAt, size int64) oleFileKind {
	var h [512]byte
	if n, _ := r.ReadAt(h[:], 0); n < len(h) || !isOLE(h[:]) {
		return oleUnknown
	}
	le := binary.LittleEndian
	shift := le.Uint16(h[0x1E:])
	if shift != 9 && shift != 12 {
		return oleUnknown
	}
	ssz := int64(1) << shift
	per := ssz / 4 // FAT entries per sector
	at := func(sector uint32) int64 { return (int64(sector) + 1) * ssz }
	u32 := func(off int64) (uint32, bool) {
		var b [4]byte
		if off < 0 || off+4 > size {
			return 0, false
		}
		if n, _ := r.ReadAt(b[:], off); n < 4 {
			return 0, false
		}
		return le.Uint32(b[:]), true
	}
	// The FAT's sectors: 109 in the header, the rest in a DIFAT chain.
	var fat []uint32
	for i := 0; i < 109; i++ {
		fat = append(fat, le.Uint32(h[0x4C+4*i:]))
	}
	d := le.Uint32(h[0x44:])
	for n := 0; d < 0xFFFFFFFA && n < oleMaxDIFATSectors; n++ {
		for i := int64(0); i < per-1; i++ {
			v, ok := u32(at(d) + 4*i)
			if !ok {
				break
			}
			fat = append(fat, v)
		}
		next, ok := u32(at(d) + 4*(per-1))
		if !ok {
			break
		}
		d = next
	}
	next := func(sector uint32) uint32 {
		i := int64(sector) / per
		if i >= int64(len(fat)) || fat[i] >= 0xFFFFFFFA {
			return 0xFFFFFFFE
		}
		v, ok := u32(at(fat[i]) + 4*(int64(sector)%per))
		if !ok {
			return 0xFFFFFFFE
		}
		return v
	}
	kind := oleUnknown
	entry := make([]byte, 128)
	s := le.Uint32(h[0x30:])
	for n := 0; s < 0xFFFFFFFA && n < oleMaxDirSectors; n++ {
		for e := int64(0); e < ssz/128; e++ {
			if got, _ := r.ReadAt(entry, at(s)+e*128); got < len(entry) {
				return kind
			}
			nameLen := int(le.Uint16(entry[0x40:]))
			if nameLen < 2 || nameLen > 64 || entry[0x42] != 2 { // streams only
				continue
			}
			u := make([]uint16, nameLen/2-1)
			for i := range u {
				u[i] = le.Uint16(entry[2*i:])
			}
			switch string(utf16.Decode(u)) {
			case "EncryptionInfo", "EncryptedPackage":
				return oleEncrypted
			case "Workbook", "Book":
				kind = oleXLS
			case "WordDocument":
				if kind == oleUnknown {
					kind = oleWord
				}
			}
		}
		s = next(s)
	}
	return kind
}

// oleError is the error for an OLE compound file given as a workbook: it
// says which kind of file it is and what to do.
func oleError(r io.ReaderAt, size int64, name string) error {
	switch oleKind(r, size) {
	case oleEncrypted:
		return fmt.Errorf("%s: %w: the workbook is encrypted with a password; open it in Excel, clear the password (File > Info > Protect Workbook > Encrypt with Password) and save it, or save a copy without one", name, ErrEncrypted)
	case oleXLS:
		return fmt.Errorf("%s: %w: it is an old Excel 97-2003 .xls workbook; open it in Excel or LibreOffice and save it as .xlsx (Excel Workbook)", name, ErrNotWorkbook)
	case oleWord:
		return fmt.Errorf("%s: %w: it is a Word 97-2003 document", name, ErrNotWorkbook)
	}
	return fmt.Errorf("%s: %w: an OLE compound file, which is what both a password-protected workbook and an old .xls file are; save it as .xlsx without a password", name, ErrEncrypted)
}
