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
	shift := binary.LittleEndian.Uint16(h[0x1E:])
	if shift != 9 && shift != 12 {
		return oleUnknown
	}
	f := &oleFile{r: r, size: size, ssz: int64(1) << shift}
	f.per = f.ssz / 4
	f.readFAT(h[:])
	return f.streamsKind(binary.LittleEndian.Uint32(h[0x30:]))
}

// oleFile is what oleKind needs of a compound file: its sector size and
// its FAT, read with bounds on every offset, since the file may be
// damaged or hostile.
type oleFile struct {
	r    io.ReaderAt
	size int64
	ssz  int64    // sector size
	per  int64    // FAT entries per sector
	fat  []uint32 // the FAT's own sectors
}

// at is where a sector starts (the header takes the first one).
func (f *oleFile) at(sector uint32) int64 { return (int64(sector) + 1) * f.ssz }

// u32 reads a little-endian word; false past the end or on a short read.
func (f *oleFile) u32(off int64) (uint32, bool) {
	var b [4]byte
	if off < 0 || off+4 > f.size {
		return 0, false
	}
	if n, _ := f.r.ReadAt(b[:], off); n < 4 {
		return 0, false
	}
	return binary.LittleEndian.Uint32(b[:]), true
}

// readFAT lists the FAT's sectors: 109 in the header h, the rest in a
// DIFAT chain, followed at most oleMaxDIFATSectors sectors.
func (f *oleFile) readFAT(h []byte) {
	for i := 0; i < 109; i++ {
		f.fat = append(f.fat, binary.LittleEndian.Uint32(h[0x4C+4*i:]))
	}
	d := binary.LittleEndian.Uint32(h[0x44:])
	for n := 0; d < 0xFFFFFFFA && n < oleMaxDIFATSectors; n++ {
		for i := int64(0); i < f.per-1; i++ {
			v, ok := f.u32(f.at(d) + 4*i)
			if !ok {
				break
			}
			f.fat = append(f.fat, v)
		}
		next, ok := f.u32(f.at(d) + 4*(f.per-1))
		if !ok {
			break
		}
		d = next
	}
}

// next is the sector after sector in its chain; end of chain when the
// FAT does not say.
func (f *oleFile) next(sector uint32) uint32 {
	i := int64(sector) / f.per
	if i >= int64(len(f.fat)) || f.fat[i] >= 0xFFFFFFFA {
		return 0xFFFFFFFE
	}
	v, ok := f.u32(f.at(f.fat[i]) + 4*(int64(sector)%f.per))
	if !ok {
		return 0xFFFFFFFE
	}
	return v
}

// streamsKind walks the directory chain from sector s, at most
// oleMaxDirSectors sectors, and tells the file's kind by its streams'
// names: encryption streams win, then a workbook, then a Word document.
func (f *oleFile) streamsKind(s uint32) oleFileKind {
	kind := oleUnknown
	entry := make([]byte, 128)
	for n := 0; s < 0xFFFFFFFA && n < oleMaxDirSectors; n++ {
		for e := int64(0); e < f.ssz/128; e++ {
			if got, _ := f.r.ReadAt(entry, f.at(s)+e*128); got < len(entry) {
				return kind
			}
			switch oleStreamName(entry) {
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
		s = f.next(s)
	}
	return kind
}

// oleStreamName is a directory entry's name when it is a stream, else "".
func oleStreamName(entry []byte) string {
	nameLen := int(binary.LittleEndian.Uint16(entry[0x40:]))
	if nameLen < 2 || nameLen > 64 || entry[0x42] != 2 { // streams only
		return ""
	}
	u := make([]uint16, nameLen/2-1)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(entry[2*i:])
	}
	return string(utf16.Decode(u))
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
