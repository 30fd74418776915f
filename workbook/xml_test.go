package workbook

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
)

// xlsxTestRefTokens tokenizes data with encoding/xml's strict RawToken,
// the oracle for our tokenizer: tags as "S prefix:local a=v ..." and
// "E local", adjacent character data joined as "T text", comments and
// processing instructions left out. ok is false when the document holds a
// directive, which our tokenizer refuses on purpose.
func xlsxTestRefTokens(data []byte) (toks []string, ok bool, err error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	var text []byte
	inText := false
	flush := func() {
		if inText {
			toks = append(toks, "T "+string(text))
			text, inText = text[:0], false
		}
	}
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			flush()
			return toks, true, nil
		}
		if err != nil {
			return toks, true, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			flush()
			var b strings.Builder
			b.WriteString("S " + t.Name.Space + ":" + t.Name.Local)
			for _, a := range t.Attr {
				b.WriteString(" " + a.Name.Space + ":" + a.Name.Local + "=" + strconv.Quote(a.Value))
			}
			toks = append(toks, b.String())
		case xml.EndElement:
			flush()
			toks = append(toks, "E "+t.Name.Local)
		case xml.CharData:
			text, inText = append(text, t...), true
		case xml.Directive:
			return nil, false, nil
		}
	}
}

// xlsxTestOurTokens tokenizes data with our tokenizer, in the same form.
func xlsxTestOurTokens(r io.Reader) (toks []string, err error) {
	x := newTokenizer(r, 1<<20)
	var text []byte
	inText := false
	flush := func() {
		if inText {
			toks = append(toks, "T "+string(text))
			text, inText = text[:0], false
		}
	}
	for {
		t, err := x.next()
		if err == io.EOF {
			flush()
			return toks, nil
		}
		if err != nil {
			return toks, err
		}
		switch t.kind {
		case tokenStart:
			flush()
			var b strings.Builder
			b.WriteString("S " + string(t.space) + ":" + t.name)
			for _, a := range t.attrs {
				b.WriteString(" " + string(a.space) + ":" + string(a.local) + "=" + strconv.Quote(string(a.value)))
			}
			toks = append(toks, b.String())
			if t.selfClose {
				toks = append(toks, "E "+t.name)
			}
		case tokenEnd:
			flush()
			toks = append(toks, "E "+t.name)
		case tokenText:
			text, inText = append(text, t.text...), true
		}
	}
}

// xlsxTestTokenizerAgrees checks our tokenizer against encoding/xml: where
// encoding/xml reads a document, ours reads the same tokens, whether the
// input arrives whole or a byte at a time.
func xlsxTestTokenizerAgrees(t *testing.T, data []byte) {
	t.Helper()
	want, comparable, refErr := xlsxTestRefTokens(data)
	got, err := xlsxTestOurTokens(bytes.NewReader(data))
	got1, err1 := xlsxTestOurTokens(iotest.OneByteReader(bytes.NewReader(data)))
	if (err == nil) != (err1 == nil) || strings.Join(got, "\n") != strings.Join(got1, "\n") {
		t.Fatalf("%q: whole input gives %q, %v; byte by byte %q, %v", data, got, err, got1, err1)
	}
	if !comparable || refErr != nil {
		return
	}
	if err != nil {
		t.Fatalf("%q: encoding/xml reads %q, ours fails: %v", data, want, err)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("%q:\nours  %q\nwant  %q", data, got, want)
	}
}

var xlsxTestXMLSeeds = []string{
	`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n" + `<x:worksheet xmlns:x="urn:x"><x:sheetData><x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c></x:row></x:sheetData></x:worksheet>`,
	`<a b='1' c = "2"d="&lt;&gt;&amp;&apos;&quot;&#65;&#x42;&#x1F600;"/>`,
	"<a>line\r\nbreak\rx\n</a>",
	`<a><![CDATA[<b> & ]] ]]>tail]]&gt;</a>`,
	`<a><!-- a comment --><?pi data?>text</a>`,
	`<a>]]></a>`,
	`<a>&unknown;</a>`,
	`<a>&#0;</a>`,
	`<a>&#xD800;</a>`,
	`<a>&#1114112;</a>`,
	`<a b="x<y"/>`,
	`<a:b:c/>`,
	`<:a a:="1"/>`,
	`<a></b>`,
	`<é attr="ü">ß</é>`,
	"<a>\xff</a>",
	"\xEF\xBB\xBF<a/>",
	`<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>`,
	`<a><!-- -- --></a>`,
	`<a b="1" b="2"/>`,
	`<a>text`,
	`<a`,
	`<a b`,
	`<a b=`,
	`<a b="`,
	`</a >`,
	`< a/>`,
	`<a/ >`,
	`<1a/>`,
	`<a>&amp</a>`,
	`<a>&#x;</a>`,
	`<a>&#X41;</a>`,
	`<a>&#00000000000000000065;</a>`,
}

func TestXLSXTokenizer(t *testing.T) {
	for _, s := range xlsxTestXMLSeeds {
		xlsxTestTokenizerAgrees(t, []byte(s))
	}
	// A token longer than the budget is refused, not buffered.
	x := newTokenizer(strings.NewReader("<a>"+strings.Repeat("x", 1<<20)+"</a>"), 1<<10)
	var err error
	for err == nil {
		_, err = x.next()
	}
	if !errors.Is(err, errXLSXTokenTooLong) {
		t.Errorf("a 1 MiB text with a 1 KiB budget: %v", err)
	}
}

func FuzzXLSXTokenizer(f *testing.F) {
	for _, s := range xlsxTestXMLSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		xlsxTestTokenizerAgrees(t, data)
	})
}
