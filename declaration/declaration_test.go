package declaration

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
	"rexpo/reference"
)

// Tests of suppliers' material declarations. The fixtures in
// testdata/declarations/ were written for these tests from the structure
// of the IPC-1752A and IEC 62474 schemas; every mass below is worked by
// hand from them.

const declDir = "testdata/declarations"

// parseFixture parses one fixture file.
func parseFixture(t *testing.T, name string) File {
	t.Helper()
	f, err := os.Open(filepath.Join(declDir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return Parse(f, name, "")
}

// parseText parses a declaration given as text.
func parseText(text string) File {
	return Parse(strings.NewReader(text), "inline.xml", "")
}

// ipcClassD wraps homogeneous materials in an IPC-1752A Class D
// declaration of part TEST-1.
func ipcClassD(materials string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<MainDeclaration xmlns="http://webstds.ipc.org/175x/2.0" version="2.0">
  <Product unitType="Each">
    <ProductID itemNumber="TEST-1" itemName="Test part"/>
    <MaterialInfo><HomogeneousMaterialList>` + materials + `</HomogeneousMaterialList></MaterialInfo>
  </Product>
</MainDeclaration>`
}

// substance writes an IPC-1752A substance with its amount.
func substance(name, cas, value, uom string) string {
	return fmt.Sprintf(`<Substance name=%q><SubstanceID identity=%q authority="CAS"/><Amount value=%q UOM=%q/></Substance>`, name, cas, value, uom)
}

// material writes an IPC-1752A homogeneous material.
func material(name, value, uom string, substances ...string) string {
	return fmt.Sprintf(`<HomogeneousMaterial name=%q><Amount value=%q UOM=%q/><SubstanceCategoryList><SubstanceCategory name="Supplier">%s</SubstanceCategory></SubstanceCategoryList></HomogeneousMaterial>`,
		name, value, uom, strings.Join(substances, ""))
}

// wantGrams compares a product's grams, rounded to places, with want.
func wantGrams(t *testing.T, what string, got map[string]decimal.Decimal, want map[string]string, places int32) {
	t.Helper()
	for sym, w := range want {
		g, ok := got[sym]
		if !ok {
			t.Errorf("%s: no %s, want %s g", what, sym, w)
			continue
		}
		if r := g.Round(places); !r.Equal(decimal.RequireFromString(w)) {
			t.Errorf("%s: %s = %s g (%s), want %s g", what, sym, r, g, w)
		}
	}
	for sym, g := range got {
		if _, ok := want[sym]; !ok {
			t.Errorf("%s: unexpected %s %s g", what, sym, g)
		}
	}
}

func problemList(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString("\n  " + p.String())
	}
	if len(ps) == 0 {
		b.WriteString(" (none)")
	}
	return b.String()
}

func TestDeclarationFixtures(t *testing.T) {
	for _, tc := range []struct {
		file, format, part string
		masses, usable     bool
		grams              map[string]string // rounded to 6 places
	}{
		// Sintered NdFeB 100 g: Nd 22.0 g, Pr 6500 mg, Dy 3.5 g. Tb diffusion
		// layer 0.5 g at 60% Tb4O7 = 0.3 g Tb4O7; Tb4O7 is
		// 4·158.925354 / (4·158.925354 + 7·15.999) = 85.0215% Tb, so 0.255065 g.
		// Sleeve steel 0.25 kg at 400 ppm La = 0.1 g.
		{"ipc1752a-classd-rotor-magnet.xml", "IPC-1752A", "MAG-ROT-42SH", true, true,
			map[string]string{"Nd": "22", "Pr": "6.5", "Dy": "3.5", "Tb": "0.255065", "La": "0.1"}},
		// Coating 350 g: 99.5% Y2O3 = 348.25 g at 2·88.905838/(2·88.905838+3·15.999)
		// = 78.7444% Y → 274.227356 g; 0.5% CeO2 = 1.75 g at
		// 140.116/(140.116+2·15.999) = 81.4094% Ce → 1.424655 g.
		{"ipc1752a-classd-yttria-chamber-part.xml", "IPC-1752A", "SPC-LNR-300", true, true,
			map[string]string{"Y": "274.227356", "Ce": "1.424655"}},
		// Magnet 85 g: Nd 19.55 g, Pr 5100 mg, Dy 4.0% of 85 g = 3.4 g; encoder
		// ring 6 g at 25% Sm = 1.5 g.
		{"iec62474-servo-motor.xml", "IEC 62474", "SRV-400W", true, true,
			map[string]string{"Nd": "19.55", "Pr": "5.1", "Dy": "3.4", "Sm": "1.5"}},
		{"ipc1752a-classc-power-supply.xml", "IPC-1752A", "PSU-24V-480W", false, false, map[string]string{}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			d := parseFixture(t, tc.file)
			if d.Format != tc.format {
				t.Errorf("format %q, want %q", d.Format, tc.format)
			}
			if len(d.Products) != 1 {
				t.Fatalf("%d products, want 1; problems:%s", len(d.Products), problemList(d.Problems))
			}
			p := d.Products[0]
			if p.PartNumber != tc.part || p.Masses != tc.masses || p.Usable != tc.usable {
				t.Errorf("part %q masses %v usable %v, want %q %v %v; problems:%s", p.PartNumber, p.Masses, p.Usable, tc.part, tc.masses, tc.usable, problemList(d.Problems))
			}
			wantGrams(t, tc.file, p.Grams, tc.grams, 6)
			if tc.usable && len(d.Problems) > 0 {
				t.Errorf("a good declaration has problems:%s", problemList(d.Problems))
			}
		})
	}
}

func TestDeclarationClassCCannotSupplyContent(t *testing.T) {
	d := parseFixture(t, "ipc1752a-classc-power-supply.xml")
	if len(d.Problems) != 1 {
		t.Fatalf("want one warning, got:%s", problemList(d.Problems))
	}
	p := d.Problems[0]
	if p.File != "ipc1752a-classc-power-supply.xml" || p.Path != "/MainDeclaration/Product[1]" {
		t.Errorf("place %q %q, want the file and /MainDeclaration/Product[1]", p.File, p.Path)
	}
	for _, w := range []string{"PSU-24V-480W", "Class C", "cannot supply", "Nd"} {
		if !strings.Contains(p.Text(), w) {
			t.Errorf("%q does not mention %q", p.Text(), w)
		}
	}
}

// TestDeclarationOxideWorkedByHand: 30.0 g Nd2O3 holds
// 30.0 × 2·144.242 / (2·144.242 + 3·15.999) = 25.72 g Nd.
func TestDeclarationOxideWorkedByHand(t *testing.T) {
	d := parseText(ipcClassD(material("Magnet recycling feed", "40", "g",
		substance("Neodymium oxide", "1313-97-9", "30.0", "g"),
		substance("Iron", "7439-89-6", "10", "g"))))
	if len(d.Products) != 1 || !d.Products[0].Usable {
		t.Fatalf("not usable:%s", problemList(d.Problems))
	}
	wantGrams(t, "Nd2O3", d.Products[0].Grams, map[string]string{"Nd": "25.72"}, 2)
	wantGrams(t, "Nd2O3", d.Products[0].Grams, map[string]string{"Nd": "25.720680"}, 6)
}

// TestDeclarationOxideFractions checks every compound's element fraction
// against reference section 2.3 (wt% metal, two places).
func TestDeclarationOxideFractions(t *testing.T) {
	want := map[string]string{
		"Sc2O3": "65.20", "Y2O3": "78.74", "La2O3": "85.27", "CeO2": "81.41", "Pr6O11": "82.77",
		"Nd2O3": "85.74", "Sm2O3": "86.24", "Eu2O3": "86.36", "Gd2O3": "86.76", "Tb4O7": "85.02",
		"Dy2O3": "87.13", "Ho2O3": "87.30", "Er2O3": "87.45", "Tm2O3": "87.56", "Yb2O3": "87.82", "Lu2O3": "87.94",
	}
	species, err := rareEarthSpecies()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for cas, sp := range species {
		if len(sp.formula) <= 2 {
			if sp.factor.Cmp(decimal.NewFromInt(1)) != 0 || reference.CASNumber(sp.element) != cas {
				t.Errorf("element %s: CAS %s factor %s", sp.element, cas, sp.factor)
			}
			continue
		}
		seen[sp.formula] = true
		w, ok := want[sp.formula]
		if !ok {
			t.Errorf("%s (%s) has no reference value", sp.formula, cas)
			continue
		}
		if got := sp.factor.Shift(2).Round(2); !got.Equal(decimal.RequireFromString(w)) {
			t.Errorf("%s: %s%% %s, want %s", sp.formula, got, sp.element, w)
		}
	}
	if len(seen) != len(want) {
		t.Errorf("%d compounds, want %d", len(seen), len(want))
	}
	if n := len(species); n != 17+len(want) {
		t.Errorf("%d CAS numbers, want %d", n, 17+len(want))
	}
}

// TestDeclarationCASCheckDigits verifies the check digit of every CAS
// number counted: the digits weighted 1, 2, 3... from the right, mod 10.
func TestDeclarationCASCheckDigits(t *testing.T) {
	species, err := rareEarthSpecies()
	if err != nil {
		t.Fatal(err)
	}
	casForm := regexp.MustCompile(`^[0-9]{2,7}-[0-9]{2}-[0-9]$`)
	for cas := range species {
		if !casForm.MatchString(cas) {
			t.Errorf("%q is not of the form of a CAS number", cas)
			continue
		}
		digits := strings.ReplaceAll(cas[:len(cas)-2], "-", "")
		sum := 0
		for i := 0; i < len(digits); i++ {
			sum += int(digits[len(digits)-1-i]-'0') * (i + 1)
		}
		if check := int(cas[len(cas)-1] - '0'); sum%10 != check {
			t.Errorf("CAS %s: check digit %d, want %d", cas, check, sum%10)
		}
	}
}

func TestDeclarationUnits(t *testing.T) {
	// 1 g Nd each way: µg, mg, g, kg; a percent and a ppm of 10 g and 1 kg
	// materials; a mass written as the element's text.
	d := parseText(ipcClassD(
		material("A", "10", "g",
			substance("Scandium", "7440-20-2", "1000000", "µg"),
			substance("Yttrium", "7440-65-5", "1000", "mg"),
			substance("Lanthanum", "7439-91-0", "1", "g"),
			substance("Cerium", "7440-45-1", "0.001", "kg"),
			substance("Praseodymium", "7440-10-0", "10", "%"),
			substance("Neodymium", "7440-00-8", "10", "wt%"),
			substance("Samarium", "7440-19-9", "1.0E1", "massPercent")) +
			material("B", "1", "kg",
				substance("Europium", "7440-53-1", "1000", "ppm"),
				`<Substance name="Gadolinium"><SubstanceID identity="7440-54-2" authority="CAS"/><Concentration value="0.1"/></Substance>`,
				`<Substance name="Terbium"><SubstanceID identity="7440-27-9" authority="CAS"/><Mass unitOfMeasure="mg">1000</Mass></Substance>`,
				`<Substance name="Dysprosium"><UniqueID identity="7429-91-6" authority="CAS"/><Amount value="1" UOM="G"/></Substance>`,
				`<Substance name="Holmium"><SubstanceID authority="CAS">7440-60-0</SubstanceID><Amount value="1" UOM="g"/></Substance>`)))
	if len(d.Products) != 1 || !d.Products[0].Usable || len(d.Problems) > 0 {
		t.Fatalf("not usable:%s", problemList(d.Problems))
	}
	want := map[string]string{}
	for _, s := range []string{"Sc", "Y", "La", "Ce", "Pr", "Nd", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho"} {
		want[s] = "1"
	}
	wantGrams(t, "units", d.Products[0].Grams, want, 9)
}

func TestDeclarationSumsAcrossMaterials(t *testing.T) {
	// Nd as metal in the magnet, as oxide in a coating: 10 g + 30.0 g Nd2O3.
	d := parseText(ipcClassD(
		material("Magnet", "40", "g", substance("Neodymium", "7440-00-8", "10", "g")) +
			material("Coating", "30", "g", substance("Neodymium oxide", "1313-97-9", "100", "%"))))
	wantGrams(t, "sum", d.Products[0].Grams, map[string]string{"Nd": "35.72"}, 2)
}

func TestDeclarationBroken(t *testing.T) {
	for _, tc := range []struct {
		file  string
		cell  string // the first problem's element path ("" for the file)
		words []string
	}{
		{"broken-not-xml.xml", "", []string{"not an XML file"}},
		{"broken-wrong-root.xml", "/BillOfMaterials", []string{"root element", "BillOfMaterials"}},
		{"broken-missing-mass.xml", "/MainDeclaration/Product[1]/MaterialInfo/HomogeneousMaterialList/HomogeneousMaterial[1]/SubstanceCategoryList/SubstanceCategory[1]/Substance[2]", []string{"Dysprosium", "no mass"}},
		{"broken-negative-mass.xml", "/MainDeclaration/Product[1]/MaterialInfo/HomogeneousMaterialList/HomogeneousMaterial[1]/SubstanceCategoryList/SubstanceCategory[1]/Substance[1]/Amount", []string{"negative", "-15 g"}},
		{"broken-duplicate-substance.xml", "/MainDeclaration/Product[1]/MaterialInfo/HomogeneousMaterialList/HomogeneousMaterial[1]/SubstanceCategoryList/SubstanceCategory[1]/Substance[2]", []string{"listed twice", "7440-00-8", "line 8"}},
		{"broken-percent-over-100.xml", "/MainDeclaration/Product[1]/MaterialInfo/HomogeneousMaterialList/HomogeneousMaterial[1]/SubstanceCategoryList/SubstanceCategory[1]/Substance[1]/Amount", []string{"more than 100%", "130"}},
		{"broken-xml-bomb.xml", "", []string{"DTD", "refused"}},
		{"broken-external-entity.xml", "", []string{"DTD", "refused"}},
		{"broken-truncated.xml", "/MainDeclaration/Product[1]/MaterialInfo/HomogeneousMaterialList/HomogeneousMaterial[1]/SubstanceCategoryList/SubstanceCategory[1]/Substance[1]", []string{"broken", "not used"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			d := parseFixture(t, tc.file)
			if len(d.Problems) == 0 {
				t.Fatal("no problem reported")
			}
			p := d.Problems[0]
			if p.File != tc.file || p.Path != tc.cell {
				t.Errorf("problem at %q %q, want %q %q: %s", p.File, p.Path, tc.file, tc.cell, p.Text())
			}
			for _, w := range tc.words {
				if !strings.Contains(p.Text(), w) {
					t.Errorf("%q does not mention %q", p.Text(), w)
				}
			}
			for _, prod := range d.Products {
				if prod.Usable {
					t.Errorf("product %q of a broken declaration is usable", prod.PartNumber)
				}
			}
		})
	}
}

func TestDeclarationOtherProblems(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		words      []string
		usable     bool
	}{
		{"unknown unit", ipcClassD(material("M", "1", "g", substance("Neodymium", "7440-00-8", "1", "lb"))), []string{"unknown unit", "lb"}, false},
		{"no unit", ipcClassD(material("M", "1", "g", substance("Neodymium", "7440-00-8", "1", ""))), []string{"no unit"}, false},
		{"not a number", ipcClassD(material("M", "1", "g", substance("Neodymium", "7440-00-8", "1,5", "g"))), []string{"not a number", "1,5"}, false},
		{"huge exponent", ipcClassD(material("M", "1", "g", substance("Neodymium", "7440-00-8", "1e999999999", "g"))), []string{"not a number"}, false},
		{"ppm over a million", ipcClassD(material("M", "1", "g", substance("Neodymium", "7440-00-8", "1000001", "ppm"))), []string{"more than 100%"}, false},
		{"percent of a massless material", ipcClassD(`<HomogeneousMaterial name="M"><Substance name="Nd"><SubstanceID identity="7440-00-8" authority="CAS"/><Amount value="20" UOM="%"/></Substance></HomogeneousMaterial>`), []string{"states no mass", "20 %"}, false},
		{"rare earth without CAS", ipcClassD(`<HomogeneousMaterial name="M"><Amount value="1" UOM="g"/><Substance name="Neodymium"><Amount value="0.3" UOM="g"/></Substance></HomogeneousMaterial>`), []string{"no CAS number", "Neodymium"}, false},
		{"negative iron still counts the rare earths", ipcClassD(material("M", "1", "g", substance("Neodymium", "7440-00-8", "0.3", "g"), substance("Iron", "7439-89-6", "-0.7", "g"))), []string{"negative"}, true},
		{"substances heavier than their material", ipcClassD(material("M", "1", "g", substance("Neodymium", "7440-00-8", "3", "g"))), []string{"add up to 3 g", "more than its 1 g"}, true},
		{"no product", `<MainDeclaration xmlns="http://webstds.ipc.org/175x/2.0"><BusinessInfo/></MainDeclaration>`, []string{"no <Product>"}, false},
		{"no item number", `<MainDeclaration><Product><ProductID itemName="x"/><HomogeneousMaterial name="M"><Amount value="1" UOM="g"/></HomogeneousMaterial></Product></MainDeclaration>`, []string{"no itemNumber"}, false},
		{"text before the root", "hello <MainDeclaration/>", []string{"not an XML file"}, false},
		{"empty", "", []string{"empty"}, false},
		{"unsupported encoding", `<?xml version="1.0" encoding="Shift_JIS"?><MainDeclaration/>`, []string{"Shift_JIS", "UTF-8"}, false},
		{"deep nesting", "<Main>" + strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100) + "</Main>", []string{"nested deeper than 64"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := parseText(tc.text)
			all := problemList(d.Problems)
			for _, w := range tc.words {
				if !strings.Contains(all, w) {
					t.Errorf("problems do not mention %q:%s", w, all)
				}
			}
			usable := len(d.Products) == 1 && d.Products[0].Usable
			if usable != tc.usable {
				t.Errorf("usable %v, want %v:%s", usable, tc.usable, all)
			}
		})
	}
}

func TestDeclarationTooLarge(t *testing.T) {
	defer func(n int64) { maxFileBytes = n }(maxFileBytes)
	maxFileBytes = 4096
	big := ipcClassD(material("M", "1", "g", substance("Neodymium", "7440-00-8", "0.3", "g")) + "<!--" + strings.Repeat("x", 5000) + "-->")
	d := parseText(big)
	if len(d.Products) != 0 || !strings.Contains(problemList(d.Problems), "larger than") {
		t.Errorf("products %d, problems:%s", len(d.Products), problemList(d.Problems))
	}
	// A file of exactly the limit is read.
	small := ipcClassD(material("M", "1", "g", substance("Neodymium", "7440-00-8", "0.3", "g")))
	small += strings.Repeat(" ", int(maxFileBytes)-len(small))
	if d := parseText(small); len(d.Products) != 1 || len(d.Problems) > 0 {
		t.Errorf("a file of exactly the limit: %d products:%s", len(d.Products), problemList(d.Problems))
	}
}

func TestDeclarationEncodings(t *testing.T) {
	text := ipcClassD(material("Aimant fritté NdFeB — série ø", "10", "g", substance("Néodyme", "7440-00-8", "3", "g")))
	latin := []byte(strings.Replace(strings.Replace(text, "UTF-8", "ISO-8859-1", 1), " — ", " - ", 1))
	var enc []byte
	for _, r := range string(latin) {
		enc = append(enc, byte(r)) // every rune left is Latin-1
	}
	var u16 bytes.Buffer
	u16.Write([]byte{0xFF, 0xFE})
	for _, c := range utf16.Encode([]rune(strings.Replace(text, "UTF-8", "UTF-16", 1))) {
		u16.Write([]byte{byte(c), byte(c >> 8)})
	}
	for name, data := range map[string][]byte{
		"latin-1":  enc,
		"utf-16":   u16.Bytes(),
		"utf-8bom": append([]byte{0xEF, 0xBB, 0xBF}, text...),
	} {
		d := Parse(bytes.NewReader(data), name, "")
		if len(d.Products) != 1 || !d.Products[0].Usable || len(d.Problems) > 0 {
			t.Errorf("%s: %d products:%s", name, len(d.Products), problemList(d.Problems))
			continue
		}
		wantGrams(t, name, d.Products[0].Grams, map[string]string{"Nd": "3"}, 6)
	}
}

func TestDeclarationPartField(t *testing.T) {
	f, err := os.Open(filepath.Join(declDir, "ipc1752a-classd-yttria-chamber-part.xml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := Parse(f, "liner.xml", "requesterItemNumber")
	if len(d.Products) != 1 || d.Products[0].PartNumber != "ETCH-CHK-111" {
		t.Fatalf("products %+v:%s", d.Products, problemList(d.Problems))
	}
	// An element named by the map: its text is the part number.
	d = Parse(strings.NewReader(`<Main><Product><ProductID identifier="X"><Mass mass="1" unitOfMeasure="g"/></ProductID><BuyerPartNumber> B-77 </BuyerPartNumber></Product></Main>`), "x.xml", "buyer_part_number")
	if len(d.Products) != 1 || d.Products[0].PartNumber != "B-77" {
		t.Errorf("products %+v:%s", d.Products, problemList(d.Problems))
	}
	// A field the product lacks: the item number, with a warning.
	d = Parse(strings.NewReader(ipcClassD("")), "x.xml", "customerPN")
	if len(d.Products) != 1 || d.Products[0].PartNumber != "TEST-1" || !strings.Contains(problemList(d.Problems), "customerPN") {
		t.Errorf("products %+v:%s", d.Products, problemList(d.Problems))
	}
}

func TestReadDeclarationsFolder(t *testing.T) {
	dir := t.TempDir()
	copyFixture(t, "ipc1752a-classd-rotor-magnet.xml", filepath.Join(dir, "b.xml"))
	copyFixture(t, "iec62474-servo-motor.xml", filepath.Join(dir, "sub", "a.XML"))
	copyFixture(t, "broken-wrong-root.xml", filepath.Join(dir, ".hidden", "c.xml"))
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not a declaration"), 0o644); err != nil {
		t.Fatal(err)
	}
	decls, err := Read(os.DirFS(dir), ".", "decl", "")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range decls {
		names = append(names, d.Name)
	}
	if got := strings.Join(names, " "); got != "decl/b.xml decl/sub/a.XML" {
		t.Errorf("files %s, want decl/b.xml decl/sub/a.XML", got)
	}
	if _, err := Read(os.DirFS(dir), "missing.xml", "missing.xml", ""); err == nil {
		t.Error("a missing file gives no error")
	}
}

// copyFixture copies a fixture to dst, making its folder.
func copyFixture(t *testing.T, name, dst string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(declDir, name))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// FuzzParseDeclaration: any bytes give problems, never a panic; what is
// accepted holds non-negative grams of rare earths only.
func FuzzParseDeclaration(f *testing.F) {
	files, err := filepath.Glob(filepath.Join(declDir, "*.xml"))
	if err != nil {
		f.Fatal(err)
	}
	sort.Strings(files)
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(ipcClassD(material("M", "1", "g", substance("Nd", "1313-97-9", "50", "%")))))
	f.Fuzz(func(t *testing.T, data []byte) {
		d := Parse(bytes.NewReader(data), "fuzz.xml", "")
		for _, p := range d.Problems {
			if p.File != "fuzz.xml" || p.Message == "" {
				t.Fatalf("bad problem %+v", p)
			}
		}
		if d.Format == "" && len(d.Products) > 0 {
			t.Fatal("products from an unrecognised file")
		}
		for _, p := range d.Products {
			for sym, g := range p.Grams {
				if !exposure.IsRareEarth(sym) || g.Sign() < 0 {
					t.Fatalf("product %q: %s %s g", p.PartNumber, sym, g)
				}
			}
		}
	})
}

// BenchmarkReadDeclarations reads a folder of 10,000 Class D declarations
// (four materials and fifteen substances each, about 4 KB), as a
// compliance team's export of a whole product range.
func BenchmarkReadDeclarations(b *testing.B) {
	const n = 10000
	dir := b.TempDir()
	for i := 0; i < n; i++ {
		var m strings.Builder
		m.WriteString(material("Sintered NdFeB", "100", "g",
			substance("Neodymium", "7440-00-8", "22.0", "g"), substance("Praseodymium", "7440-10-0", "6500", "mg"),
			substance("Dysprosium", "7429-91-6", "3.5", "g"), substance("Iron", "7439-89-6", "66.0", "g"),
			substance("Boron", "7440-42-8", "1.0", "g"), substance("Cobalt", "7440-48-4", "1.0", "g")))
		m.WriteString(material("Tb diffusion layer", "0.5", "g",
			substance("Terbium oxide", "12037-01-3", "60", "massPercent"), substance("Epoxy", "25068-38-6", "40", "massPercent")))
		m.WriteString(material("Plating", "800", "mg",
			substance("Nickel", "7440-02-0", "600", "mg"), substance("Copper", "7440-50-8", "200", "mg")))
		m.WriteString(material("Housing steel", "0.25", "kg",
			substance("Iron", "7439-89-6", "98.5", "massPercent"), substance("Chromium", "7440-47-3", "1.0", "massPercent"),
			substance("Manganese", "7439-96-5", "0.45", "massPercent"), substance("Lanthanum", "7439-91-0", "400", "ppm"),
			substance("Carbon", "7440-44-0", "0.01", "massPercent")))
		text := strings.Replace(ipcClassD(m.String()), "TEST-1", fmt.Sprintf("PN-%05d", i), 1)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("decl-%05d.xml", i)), []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	fsys := os.DirFS(dir)
	b.ReportAllocs()
	for b.Loop() {
		decls, err := Read(fsys, ".", "decl", "")
		if err != nil {
			b.Fatal(err)
		}
		if len(decls) != n || len(decls[n-1].Products) != 1 || !decls[n-1].Products[0].Usable {
			b.Fatalf("%d declarations read", len(decls))
		}
	}
}
