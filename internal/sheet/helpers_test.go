package sheet_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"hash/crc32"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/govkpi/govkpi/internal/kpi"
)

// invalid asserts that err is a *kpi.Error with code EINVALID whose
// messages, in both languages, name the file and contain want (English).
func invalid(t *testing.T, err error, file, want string) *kpi.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one saying %q", want)
	}
	var e *kpi.Error
	if !errors.As(err, &e) || e.Code != kpi.EINVALID {
		t.Fatalf("error %#v is not an invalid-input *kpi.Error", err)
	}
	if file != "" && (!strings.Contains(e.Message, file) || !strings.Contains(e.MessageEN, file)) {
		t.Errorf("messages %q / %q do not name the file %q", e.Message, e.MessageEN, file)
	}
	if !strings.Contains(e.MessageEN, want) {
		t.Errorf("message %q does not say %q", e.MessageEN, want)
	}
	if e.Message == "" || e.Message == e.MessageEN {
		t.Errorf("Chinese message %q missing or untranslated", e.Message)
	}
	return e
}

// workbook builds an .xlsx in memory; fill gets the first sheet's name.
func workbook(t *testing.T, fill func(x *excelize.File, sheet string)) []byte {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	fill(x, x.GetSheetName(0))
	var b bytes.Buffer
	if err := x.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// cells writes rows of strings from A1, as a user would type them.
func cells(t *testing.T, rows [][]string) func(*excelize.File, string) {
	return func(x *excelize.File, sheet string) {
		for r, row := range rows {
			for c, v := range row {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := x.SetCellStr(sheet, ref, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// zipOf builds a zip archive of the given entries, in order.
func zipOf(t *testing.T, entries ...[2]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, e := range entries {
		w, err := zw.Create(e[0])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(e[1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// contentTypes makes a zip look like an .xlsx at first glance.
const contentTypes = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"></Types>`

// bomb builds, without ever holding the data, an xlsx-like zip whose
// worksheet inflates to size bytes of zeros (a whole number of MiB). Each
// MiB is the same independently compressed deflate segment, ended by a sync
// flush so that segments concatenate into one valid stream; the archive
// stays around a kilobyte per MiB. declared is the uncompressed size the
// header claims: size for an honest bomb, less for a lying one.
func bomb(t *testing.T, size, declared uint64) []byte {
	t.Helper()
	const mib = 1 << 20
	zero := make([]byte, mib)
	var seg bytes.Buffer
	fw, _ := flate.NewWriter(&seg, flate.BestCompression)
	fw.Write(zero)
	fw.Flush()
	var stream bytes.Buffer
	crc := uint32(0)
	for n := uint64(0); n < size; n += mib {
		stream.Write(seg.Bytes())
		crc = crc32.Update(crc, crc32.IEEETable, zero)
	}
	stream.Write([]byte{0x03, 0x00}) // an empty final block
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create("[Content_Types].xml")
	w.Write([]byte(contentTypes))
	raw, err := zw.CreateRaw(&zip.FileHeader{
		Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(stream.Len()), UncompressedSize64: declared,
	})
	if err != nil {
		t.Fatal(err)
	}
	raw.Write(stream.Bytes())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
