package extract

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/govkpi/govkpi/internal/kpi"
)

// Limits bound what a document may cost to read. A real report is tens of
// kilobytes of text; the limits are generous for that and small enough that
// a hostile upload cannot exhaust memory.
type Limits struct {
	MaxText     int    // bytes of decoded text
	MaxEntry    uint64 // uncompressed bytes of word/document.xml
	MaxTotal    uint64 // uncompressed bytes of all zip entries together (as declared)
	MaxRatio    uint64 // uncompressed ÷ compressed for any entry: a zip bomb has thousands
	MaxEntries  int    // entries in the zip
	MaxXMLDepth int    // element nesting in document.xml
}

// DefaultLimits are used by the web upload and the demo.
var DefaultLimits = Limits{
	MaxText:     2 << 20,
	MaxEntry:    32 << 20,
	MaxTotal:    128 << 20,
	MaxRatio:    200,
	MaxEntries:  2000,
	MaxXMLDepth: 256,
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

func errEmpty(name string) error {
	return kpi.Invalid("file", "文件 %q 是空的，没有可读取的文字", "file %q is empty: there is no text to read", name)
}

func errTooLong(name string, lim int) error {
	return kpi.Invalid("file", "%q 的文字超过 %d KB，请只上传一份报告", "%q has more than %d KB of text: upload one report at a time", name, lim>>10)
}

func errNotText(name string) error {
	return kpi.Invalid("file", "文件 %q 不是文本文件（UTF-8 或 GBK），也不是 .docx 文档", "file %q is neither text (UTF-8 or GBK) nor a .docx document", name)
}

// Read turns an uploaded file into text. The name's extension picks the
// reader: .docx is a Word document, anything else must be plain text in
// UTF-8 (with or without BOM) or GBK/GB18030, as Chinese Windows saves it.
func Read(name string, data []byte, lim Limits) (string, error) {
	if len(data) == 0 {
		return "", errEmpty(name)
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".docx":
		return ReadDocx(name, data, lim)
	case ".doc":
		return "", kpi.Invalid("file", "%q 是旧版 Word 文档（.doc），请在 Word 中另存为 .docx 或纯文本后上传", "%q is an old Word document (.doc): save it as .docx or plain text first", name)
	}
	return DecodeText(name, data, lim)
}

// DecodeText decodes plain text. Text that is not valid UTF-8 is decoded as
// GB18030 (GBK is a subset), as internal/sheet does for CSV files; bytes
// that are neither, and control characters that text never has, mean the
// file is not text at all (a binary renamed .txt).
func DecodeText(name string, data []byte, lim Limits) (string, error) {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return "", kpi.Invalid("file", "文件 %q 是 UTF-16 编码，请另存为 UTF-8 文本", "file %q is UTF-16: save it as UTF-8 text", name)
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return "", kpi.Invalid("file", "文件 %q 是压缩包或 Office 文档，不是文本；Word 文档请使用 .docx 扩展名", "file %q is a zip or Office file, not text; name a Word document .docx", name)
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if len(data) > lim.MaxText {
		return "", errTooLong(name, lim.MaxText)
	}
	if !utf8.Valid(data) {
		dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil || bytes.ContainsRune(dec, utf8.RuneError) {
			return "", errNotText(name)
		}
		data = dec
	}
	if bytes.IndexFunc(data, isBinary) >= 0 {
		return "", errNotText(name)
	}
	text := normalizeNewlines(string(data))
	if strings.TrimSpace(text) == "" {
		return "", errEmpty(name)
	}
	return text, nil
}

// isBinary reports control characters that no text file contains.
func isBinary(r rune) bool {
	switch r {
	case '\t', '\n', '\r', '\f', '\v':
		return false
	}
	return r < 0x20 || r == 0x7f || r == utf8.RuneError
}

func normalizeNewlines(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// errTextLimit stops reading a document whose text passes MaxText.
var errTextLimit = errors.New("text limit")

func errNotDocx(name string) error {
	return kpi.Invalid("file", "文件 %q 不是有效的 Word 文档（.docx）", "file %q is not a valid Word document (.docx)", name)
}

func errBomb(name string) error {
	return kpi.Invalid("file", "文件 %q 解压后过大（疑似压缩炸弹），已拒绝", "file %q expands to too much data (a zip bomb?) and was refused", name)
}

// ReadDocx reads the text of a Word document: word/document.xml in the zip,
// one line per paragraph, table cells separated by tabs and rows by lines.
// Entry sizes and compression ratios are checked before anything is
// inflated, and inflating stops at the limit whatever the headers claim.
func ReadDocx(name string, data []byte, lim Limits) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", errNotDocx(name)
	}
	if len(zr.File) > lim.MaxEntries {
		return "", errBomb(name)
	}
	var doc *zip.File
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > lim.MaxTotal {
			return "", errBomb(name)
		}
		if f.Name == "word/document.xml" {
			doc = f
		}
	}
	if doc == nil {
		return "", errNotDocx(name)
	}
	if doc.UncompressedSize64 > lim.MaxEntry ||
		(doc.CompressedSize64 > 0 && doc.UncompressedSize64/doc.CompressedSize64 > lim.MaxRatio) {
		return "", errBomb(name)
	}
	rc, err := doc.Open()
	if err != nil {
		return "", errNotDocx(name)
	}
	defer rc.Close()
	// The header may lie: read one byte past the limit to notice.
	lr := &io.LimitedReader{R: rc, N: int64(lim.MaxEntry) + 1}
	text, err := docxText(lr, lim)
	if lr.N <= 0 {
		return "", errBomb(name)
	}
	switch {
	case errors.Is(err, errTextLimit):
		return "", errTooLong(name, lim.MaxText)
	case err != nil:
		return "", errNotDocx(name)
	}
	text = strings.TrimRight(text, "\n\t ")
	if strings.TrimSpace(text) == "" {
		return "", errEmpty(name)
	}
	if len(text) > lim.MaxText {
		return "", errTooLong(name, lim.MaxText)
	}
	return text, nil
}

// docxText walks WordprocessingML: w:t is text, w:tab a tab, w:br and w:cr
// line breaks, w:p a paragraph; inside a table, a paragraph ends with a
// space, a cell with a tab and a row with a line break, so that a row reads
// like a line ("行政复议申请	120件"). Deleted text (w:delText) and field
// codes (w:instrText) are not text the reader sees, so they are skipped.
func docxText(r io.Reader, lim Limits) (string, error) {
	d := xml.NewDecoder(r)
	d.Strict = true
	var b strings.Builder
	depth, cells := 0, 0
	inText := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > lim.MaxXMLDepth {
				return "", errors.New("too deep")
			}
			switch t.Name.Local {
			case "t":
				inText = true
			case "tab":
				b.WriteByte('\t')
			case "br", "cr":
				b.WriteByte('\n')
			case "tc":
				cells++
			}
		case xml.EndElement:
			depth--
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				if cells > 0 {
					b.WriteByte(' ')
				} else {
					b.WriteByte('\n')
				}
			case "tc":
				cells--
				b.WriteByte('\t')
			case "tr":
				b.WriteByte('\n')
			}
		case xml.CharData:
			if inText {
				b.Write(t)
			}
		}
		if b.Len() > lim.MaxText {
			return "", errTextLimit
		}
	}
	return strings.Map(func(r rune) rune {
		if r != '\n' && r != '\t' && unicode.IsControl(r) {
			return -1
		}
		return r
	}, b.String()), nil
}
