package extract_test

import (
	"archive/zip"
	"bytes"
	"strings"
	"sync"
	"testing"

	"github.com/govkpi/govkpi/db"
	"github.com/govkpi/govkpi/internal/catalog"
	"github.com/govkpi/govkpi/internal/extract"
)

var (
	exOnce sync.Once
	ex     *extract.Extractor
)

// shipped is an extractor over the shipped catalogue, built once.
func shipped(t testing.TB) *extract.Extractor {
	exOnce.Do(func() {
		cat, _, err := catalog.Load(db.Files)
		if err != nil {
			t.Fatal(err)
		}
		ex = extract.New(cat.Indicators)
	})
	return ex
}

// docx builds a minimal Word document whose body is the given XML.
func docx(t testing.TB, body string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("[Content_Types].xml")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(`<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`))
	w, _ = zw.Create("word/document.xml")
	w.Write([]byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body + `</w:body></w:document>`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// para is one Word paragraph of runs.
func para(runs ...string) string {
	var b strings.Builder
	b.WriteString("<w:p>")
	for _, r := range runs {
		b.WriteString(`<w:r><w:t xml:space="preserve">` + r + `</w:t></w:r>`)
	}
	b.WriteString("</w:p>")
	return b.String()
}
