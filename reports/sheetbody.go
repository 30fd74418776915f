package reports

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"runtime"
	"sync"

	kflate "github.com/klauspost/compress/flate"
	"github.com/xuri/excelize/v2"
)

// deflateLevel is the level of klauspost's deflate that compresses every
// part of the workbooks rexpo writes. archive/zip's own (compress/flate at
// level 5) took 11 s of a single core for the million-line report; this
// level takes about a quarter of that for a file 3.5% larger (77.7 MB
// then 80.4 MB): level 7 would be 0.6% larger and take twice as long.
const deflateLevel = 6

// deflateChunk is how much of a Parts sheet's rows one worker deflates at
// a time; the next chunk is deflated on another core meanwhile.
const deflateChunk = 1 << 20

// chunkRoom is the room a chunk's buffer is made with: a chunk is sent
// once past deflateChunk, so this holds the row that takes it there
// unless the row is very long. Made so, the buffers do not grow by
// doubling, a few megabytes for the collector at the start of each
// sheet.
const chunkRoom = deflateChunk + 64<<10

// dictSize is deflate's window: each chunk may refer back this far into
// the one before, so that cutting the sheet into chunks costs next to
// nothing in size.
const dictSize = 32 << 10

// deflaters keeps compressors for reuse: each holds over a megabyte of
// tables, and a workbook has some seventy parts. A compressor reset
// writes what a new one would.
var deflaters sync.Pool

// getDeflater returns a compressor writing to w.
func getDeflater(w io.Writer) *kflate.Writer {
	if fw, ok := deflaters.Get().(*kflate.Writer); ok {
		reuseDeflater(fw, w)
		return fw
	}
	fw, err := kflate.NewWriter(w, deflateLevel)
	if err != nil {
		panic(err) // deflateLevel is a valid level
	}
	return fw
}

// reuseDeflater makes fw write to w as a new compressor would. Its Reset
// would fill in the dictionary of its last ResetDict, which a chunk's
// worker sets.
func reuseDeflater(fw *kflate.Writer, w io.Writer) { fw.ResetDict(w, nil) }

// pooledDeflater goes back to deflaters when closed.
type pooledDeflater struct{ *kflate.Writer }

func (p pooledDeflater) Close() error {
	err := p.Writer.Close()
	p.Writer.Reset(nil)
	deflaters.Put(p.Writer)
	return err
}

// newDeflater is the compressor registered on the zip writer.
func newDeflater(w io.Writer) (io.WriteCloser, error) { return pooledDeflater{getDeflater(w)}, nil }

// sheetBody holds the rows of one streamed sheet, deflated as they are
// written, until the workbook's zip is written: excelize writes the
// sheet's start (with its header row) and its end, and stableZip puts
// these rows between them. The rows are cut into chunks that workers
// deflate in parallel, each chunk with the end of the one before as its
// dictionary and ending in a sync flush, so that together they are one
// deflate stream (as pgzip does). Chunk i always goes to worker i mod n,
// so the bytes do not depend on timing.
type sheetBody struct {
	path string     // the zip entry, xl/worksheets/sheetN.xml
	rows *sheetRows // rows.buf is the chunk being filled

	crc  uint32 // of the rows so far
	size int64  // bytes of rows so far
	dict []byte // the last dictSize bytes of the chunk before

	workers []*deflateWorker
	sent    int           // chunks handed out
	pending []*deflateJob // handed out, not yet in out; oldest first
	free    []*deflateJob
	wg      sync.WaitGroup

	out      spill // the deflated rows
	finished bool
	err      error
}

type deflateJob struct {
	data, dict []byte
	out        bytes.Buffer
	done       chan error
}

type deflateWorker struct{ jobs chan *deflateJob }

// newSheetBody starts the rows of the sheet whose part is path; tmpDir is
// where they are spilled once over 16 MiB ("" for the system's folder).
func newSheetBody(path string, rows *sheetRows, tmpDir string) *sheetBody {
	if cap(rows.buf) < chunkRoom {
		rows.buf = make([]byte, 0, chunkRoom)
	}
	return &sheetBody{path: path, rows: rows, out: spill{dir: tmpDir}}
}

// rowDone is called after each row: a full chunk goes to a worker.
func (b *sheetBody) rowDone() error {
	if len(b.rows.buf) < deflateChunk {
		return nil
	}
	return b.send()
}

// send hands the chunk being filled to the next worker, first writing out
// the oldest chunks while too many are in flight.
func (b *sheetBody) send() error {
	if b.err != nil {
		return b.err
	}
	data := b.rows.buf
	if len(data) == 0 {
		return nil
	}
	if b.workers == nil {
		b.start()
	}
	for len(b.pending) >= 2*len(b.workers) {
		if err := b.collect(); err != nil {
			return err
		}
	}
	b.crc = crc32.Update(b.crc, crc32.IEEETable, data)
	b.size += int64(len(data))
	if b.size > excelize.StreamChunkSize {
		if err := b.out.toFile(); err != nil {
			b.err = err
			return err
		}
	}
	j := b.job()
	j.data, data = data, j.data
	j.dict = append(j.dict[:0], b.dict...)
	b.dict = append(b.dict[:0], j.data[max(len(j.data)-dictSize, 0):]...)
	b.rows.buf = data[:0]
	b.pending = append(b.pending, j)
	b.workers[b.sent%len(b.workers)].jobs <- j
	b.sent++
	return nil
}

// job returns a job to reuse, or a new one.
func (b *sheetBody) job() *deflateJob {
	if n := len(b.free); n > 0 {
		j := b.free[n-1]
		b.free = b.free[:n-1]
		return j
	}
	return &deflateJob{data: make([]byte, 0, chunkRoom), done: make(chan error, 1)}
}

// start starts one worker per core.
func (b *sheetBody) start() {
	n := max(runtime.GOMAXPROCS(0), 1)
	b.workers = make([]*deflateWorker, n)
	for i := range b.workers {
		wk := &deflateWorker{jobs: make(chan *deflateJob, 2)}
		b.workers[i] = wk
		b.wg.Add(1)
		go wk.run(&b.wg)
	}
}

func (wk *deflateWorker) run(wg *sync.WaitGroup) {
	defer wg.Done()
	var fw *kflate.Writer
	defer func() {
		if fw != nil {
			fw.Reset(nil)
			deflaters.Put(fw)
		}
	}()
	for j := range wk.jobs {
		if fw == nil {
			fw = getDeflater(nil)
		}
		j.out.Reset()
		fw.ResetDict(&j.out, j.dict)
		_, err := fw.Write(j.data)
		if err == nil {
			err = fw.Flush() // a sync flush: the next chunk starts on a byte
		}
		j.done <- err
	}
}

// collect writes the oldest chunk in flight out once it is deflated.
func (b *sheetBody) collect() error {
	j := b.pending[0]
	b.pending = b.pending[1:]
	err := <-j.done
	if err == nil {
		_, err = b.out.Write(j.out.Bytes())
	}
	b.free = append(b.free, j)
	if err != nil {
		b.err = fmt.Errorf("deflate %s: %w", b.path, err)
	}
	return b.err
}

// finish deflates what is left and stops the workers; the rows are then
// complete.
func (b *sheetBody) finish() error {
	err := b.send()
	for err == nil && len(b.pending) > 0 {
		err = b.collect()
	}
	b.stop()
	b.finished = err == nil
	b.free, b.dict = nil, nil
	return err
}

// stop ends the workers, once they have finished the chunks in hand.
func (b *sheetBody) stop() {
	for _, wk := range b.workers {
		close(wk.jobs)
	}
	b.wg.Wait()
	b.workers, b.pending = nil, nil
}

// close releases the body: workers stopped, spilled rows removed. It may
// be called more than once, and before finish (on an error or a panic).
func (b *sheetBody) close() error {
	if b.workers != nil {
		b.stop()
	}
	return b.out.close()
}

// writeEntry writes the sheet's zip entry: sheet is what excelize wrote
// for it (its start, header row included, then </sheetData> and its end),
// and the rows go in before </sheetData>. The entry holds exactly the
// bytes the stream writer would have written with every row set through
// it.
func (b *sheetBody) writeEntry(zw *zip.Writer, sheet []byte) error {
	if !b.finished {
		return fmt.Errorf("%s: the rows were not finished", b.path)
	}
	cut := bytes.Index(sheet, []byte(`</sheetData>`))
	if cut < 0 {
		return fmt.Errorf("%s: no </sheetData> to put the rows before", b.path)
	}
	head, tail := sheet[:cut], sheet[cut:]
	zhead, ztail, err := deflateEnds(head, tail)
	if err != nil {
		return err
	}
	rows, rowsLen, err := b.out.reader()
	if err != nil {
		return err
	}
	crc := crc32Combine(crc32.ChecksumIEEE(head), b.crc, b.size)
	crc = crc32Combine(crc, crc32.ChecksumIEEE(tail), int64(len(tail)))
	fh := &zip.FileHeader{
		Name:               b.path,
		Method:             zip.Deflate,
		Flags:              0x8, // sizes in a data descriptor after the data, as zip.Writer.Create writes them
		CreatorVersion:     20,
		ReaderVersion:      20,
		CRC32:              crc,
		CompressedSize64:   uint64(zhead.Len()) + uint64(rowsLen) + uint64(ztail.Len()),
		UncompressedSize64: uint64(len(head)) + uint64(b.size) + uint64(len(tail)),
	}
	if fh.UncompressedSize64 >= math.MaxUint32 || fh.CompressedSize64 >= math.MaxUint32 {
		fh.ReaderVersion = 45 // ZIP64, in the local header too: Excel checks (see excelize's writeZip64LFH)
	}
	w, err := zw.CreateRaw(fh)
	if err != nil {
		return err
	}
	if _, err := w.Write(zhead.Bytes()); err != nil {
		return err
	}
	if n, err := io.Copy(w, rows); err != nil || n != rowsLen {
		return errors.Join(fmt.Errorf("%s: copied %d of %d deflated bytes", b.path, n, rowsLen), err)
	}
	_, err = w.Write(ztail.Bytes())
	return err
}

// deflateEnds deflates a sheet's start, ending in a sync flush so that
// the rows' first chunk starts on a byte, and its end, ending the stream.
func deflateEnds(head, tail []byte) (zhead, ztail *bytes.Buffer, err error) {
	zhead, ztail = new(bytes.Buffer), new(bytes.Buffer)
	fw := getDeflater(zhead)
	defer func() {
		fw.Reset(nil)
		deflaters.Put(fw)
	}()
	if _, err := fw.Write(head); err != nil {
		return nil, nil, err
	}
	if err := fw.Flush(); err != nil {
		return nil, nil, err
	}
	fw.Reset(ztail)
	if _, err := fw.Write(tail); err != nil {
		return nil, nil, err
	}
	if err := fw.Close(); err != nil {
		return nil, nil, err
	}
	return zhead, ztail, nil
}

// spill holds bytes in memory, or in a temporary file in dir once told
// to: a million-line Parts sheet deflates to some 75 MB.
type spill struct {
	dir  string
	mem  []byte
	file *os.File
	n    int64
}

func (s *spill) Write(p []byte) (int, error) {
	s.n += int64(len(p))
	if s.file == nil {
		s.mem = append(s.mem, p...)
		return len(p), nil
	}
	return s.file.Write(p)
}

// toFile moves the bytes to a temporary file, if they are not in one.
func (s *spill) toFile() error {
	if s.file != nil {
		return nil
	}
	f, err := os.CreateTemp(s.dir, "rexpo-rows-")
	if err != nil {
		return err
	}
	s.file = f
	if _, err := f.Write(s.mem); err != nil {
		return err
	}
	s.mem = nil
	return nil
}

// reader returns the bytes written and how many.
func (s *spill) reader() (io.Reader, int64, error) {
	if s.file == nil {
		return bytes.NewReader(s.mem), s.n, nil
	}
	return io.NewSectionReader(s.file, 0, s.n), s.n, nil
}

// close removes the temporary file, if any.
func (s *spill) close() error {
	s.mem = nil
	if s.file == nil {
		return nil
	}
	f := s.file
	s.file = nil
	err := f.Close()
	if rerr := os.Remove(f.Name()); rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
		err = errors.Join(err, rerr)
	}
	return err
}

// crc32Combine returns the CRC-32 (IEEE) of a followed by b from the
// CRC-32s of a and b and the length of b, as zlib's crc32_combine does:
// the rows' checksum is known before the sheet's start is. It multiplies
// crcA by x^(8·lenB) modulo the polynomial, squaring an operator for
// each bit of lenB.
func crc32Combine(crcA, crcB uint32, lenB int64) uint32 {
	if lenB <= 0 {
		return crcA
	}
	var even, odd [32]uint32
	odd[0] = crc32.IEEE // the operator for one zero bit
	row := uint32(1)
	for n := 1; n < 32; n++ {
		odd[n] = row
		row <<= 1
	}
	gf2Square(&even, &odd) // two zero bits
	gf2Square(&odd, &even) // four
	for {
		gf2Square(&even, &odd) // one zero byte, then 4, 16, ...
		if lenB&1 != 0 {
			crcA = gf2Times(&even, crcA)
		}
		if lenB >>= 1; lenB == 0 {
			break
		}
		gf2Square(&odd, &even)
		if lenB&1 != 0 {
			crcA = gf2Times(&odd, crcA)
		}
		if lenB >>= 1; lenB == 0 {
			break
		}
	}
	return crcA ^ crcB
}

func gf2Times(mat *[32]uint32, vec uint32) uint32 {
	var sum uint32
	for i := 0; vec != 0; i, vec = i+1, vec>>1 {
		if vec&1 != 0 {
			sum ^= mat[i]
		}
	}
	return sum
}

func gf2Square(square, mat *[32]uint32) {
	for n := range mat {
		square[n] = gf2Times(mat, mat[n])
	}
}
