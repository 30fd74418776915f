package inputs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"rexpo/declaration"
	"rexpo/schema"
)

// Tests of suppliers' material declarations. The fixtures in
// testdata/declarations/ were written for these tests from the structure
// of the IPC-1752A and IEC 62474 schemas; every mass below is worked by
// hand from them.

const declDir = "../declaration/testdata/declarations"

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

// parseFixture parses one fixture file.
func parseFixture(t *testing.T, name string) declaration.File {
	t.Helper()
	f, err := os.Open(filepath.Join(declDir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return declaration.Parse(f, name, "")
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

// declBOM writes a CSV-folder input whose BOM holds the declared parts,
// with a declarations setting when setting is not empty, and the
// fixtures in its decl/ folder. It returns the folder.
func declBOM(t *testing.T, setting string, bomRows ...string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"products.csv": "product,annual_volume\nP1,1000\n",
		"bom.csv":      "product,part_number,parent,qty_per,unit_cost,material,re_mass_kg,Nd_g,Pr_g,Dy_g,Sm_g\n" + strings.Join(bomRows, "\n") + "\n",
	}
	if setting != "" {
		files["settings.csv"] = "key,value\ndeclarations," + setting + "\n"
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"ipc1752a-classd-rotor-magnet.xml", "ipc1752a-classd-yttria-chamber-part.xml", "iec62474-servo-motor.xml", "ipc1752a-classc-power-supply.xml", "broken-negative-mass.xml"} {
		copyFixture(t, f, filepath.Join(dir, "decl", f))
	}
	return dir
}

// declaredRows are BOM rows for the fixtures' parts: the magnet set with
// no content, the servo motor with exactly its declared grams, the liner
// with yttria from the BOM, the Class C power supply and the broken one.
var declaredRows = []string{
	"P1,MAG-ROT-42SH,,2,105,,,,,,",
	"P1,SRV-400W,,1,400,,,19.55,5.1,3.4,1.5",
	"P1,ETCH-CHK-111,,1,6800,Y2O3,0.35,,,,",
	"P1,PSU-24V-480W,,1,80,,,,,,",
	"P1,BRK-NEGATIVE,,1,10,,,,,,",
}

func TestReadWithDeclarations(t *testing.T) {
	dir := declBOM(t, "decl", declaredRows...)
	l, err := readPath(t, dir, Options{})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	mag := lineOf(t, l, "P1", "MAG-ROT-42SH")
	if mag.ContentSource != "decl/ipc1752a-classd-rotor-magnet.xml" {
		t.Errorf("magnet content source %q", mag.ContentSource)
	}
	kg := map[string]decimal.Decimal{}
	var order []string
	for _, c := range mag.Content {
		kg[c.Element] = c.Kg.Shift(3)
		order = append(order, c.Element)
	}
	wantGrams(t, "magnet line", kg, map[string]string{"Nd": "22", "Pr": "6.5", "Dy": "3.5", "Tb": "0.255065", "La": "0.1"}, 6)
	if got := strings.Join(order, " "); got != "La Pr Nd Tb Dy" {
		t.Errorf("content in order %s, want atomic-number order La Pr Nd Tb Dy", got)
	}
	if srv := lineOf(t, l, "P1", "SRV-400W"); srv.ContentSource != "" {
		t.Errorf("servo motor: the BOM gives content, yet source %q", srv.ContentSource)
	}
	if len(lineOf(t, l, "P1", "PSU-24V-480W").Content) != 0 || len(lineOf(t, l, "P1", "BRK-NEGATIVE").Content) != 0 {
		t.Error("a Class C or broken declaration supplied content")
	}
	ps := l.Problems
	for _, p := range ps {
		if p.Error {
			t.Errorf("error: %s", p)
		}
	}
	wantProblem(t, ps, "decl/ipc1752a-classc-power-supply.xml", "/MainDeclaration/Product[1]", false, "cannot supply")
	wantProblem(t, ps, "decl/broken-negative-mass.xml", "/MainDeclaration/Product[1]/MaterialInfo/HomogeneousMaterialList/HomogeneousMaterial[1]/SubstanceCategoryList/SubstanceCategory[1]/Substance[1]/Amount", false, "negative")
	// The liner's declaration names the supplier's own item number.
	wantProblem(t, ps, "settings", "B2", false, "1 declared product(s) match no BOM part number", "SPC-LNR-300")
	for _, p := range ps {
		if strings.Contains(p.Message, "SRV-400W") {
			t.Errorf("the servo motor's figures agree, yet: %s", p)
		}
	}
}

func TestReadDeclarationsDiffer(t *testing.T) {
	// The BOM gives Nd 20 g (declared 19.55: within 5%) and Dy 3.0 g
	// (declared 3.4: 13% more): the BOM wins, a warning names both.
	dir := declBOM(t, "decl/iec62474-servo-motor.xml", "P1,SRV-400W,,1,400,,,20,5.1,3.0,1.5")
	l, err := readPath(t, dir, Options{})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	srv := lineOf(t, l, "P1", "SRV-400W")
	if dy, _ := massOf(srv, "Dy"); !dy.Equal(decimal.RequireFromString("0.003")) || srv.ContentSource != "" {
		t.Errorf("Dy %s kg, source %q: the BOM should win", dy, srv.ContentSource)
	}
	wantProblem(t, l.Problems, "bom", "2", false, `part "SRV-400W"`, "Pr 5.1 g, Nd 20 g, Sm 1.5 g, Dy 3 g",
		"Pr 5.1 g, Nd 19.55 g, Sm 1.5 g, Dy 3.4 g", "decl/iec62474-servo-motor.xml", "BOM's figures are used", "5%")

	// The yttria liner matched by the buyer's part number: the BOM's Y
	// (0.35 kg × 78.74% = 275.59 g) is within 5% of the declared 274.23 g,
	// but the BOM has no Ce.
	dir = declBOM(t, "decl", "P1,ETCH-CHK-111,,1,6800,Y2O3,0.35,,,,")
	l, err = readPath(t, dir, Options{Mapping: map[string]string{"declaration_part_number": "requesterItemNumber"}})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	wantProblem(t, l.Problems, "bom", "2", false, "Y 275.59 g", "Y 274.227 g, Ce 1.425 g")
}

func TestReadDeclarationsFlagAndPaths(t *testing.T) {
	dir := declBOM(t, "", declaredRows[0])
	// A flag's path is any path on this machine.
	l, err := readPath(t, dir, Options{Settings: map[string]string{"declarations": filepath.Join(dir, "decl", "ipc1752a-classd-rotor-magnet.xml")}})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if src := lineOf(t, l, "P1", "MAG-ROT-42SH").ContentSource; !strings.HasSuffix(src, "ipc1752a-classd-rotor-magnet.xml") {
		t.Errorf("content source %q", src)
	}
	// A missing file is an error that stops the report.
	ie := wantInputError(t, dir, Options{Settings: map[string]string{"declarations": filepath.Join(dir, "nope")}})
	wantProblem(t, ie.Problems, "", "--declarations", true, "no such file or folder")

	// A Settings path must stay inside the input's folder.
	for _, p := range []string{"../decl", "/etc"} {
		dir := declBOM(t, p, declaredRows[0])
		ie := wantInputError(t, dir, Options{})
		wantProblem(t, ie.Problems, "settings", "B2", true, "inside the input's folder")
	}
	dir = declBOM(t, "missing", declaredRows[0])
	ie = wantInputError(t, dir, Options{})
	wantProblem(t, ie.Problems, "settings", "B2", true, "no such file or folder")

	// Declarations read beforehand (Options.Declarations) fill lines too,
	// and --map declaration_part_number is a known entry.
	d := parseFixture(t, "ipc1752a-classd-rotor-magnet.xml")
	dir = declBOM(t, "", declaredRows[0])
	l, err = readPath(t, dir, Options{Declarations: []declaration.File{d}, Mapping: map[string]string{"Declaration Part Number": "itemNumber"}})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if src := lineOf(t, l, "P1", "MAG-ROT-42SH").ContentSource; src != "ipc1752a-classd-rotor-magnet.xml" {
		t.Errorf("content source %q", src)
	}
}

func TestReadDeclarationsWorkbookSetting(t *testing.T) {
	// A workbook's Settings path is relative to the workbook's folder.
	path := mustWorkbook(t, map[string][][]any{
		"Products": oneProduct(),
		"BOM":      {{"product", "part_number", "qty_per"}, {"P1", "mag-rot-42sh", 1}},
		"Settings": {{"key", "value"}, {"declarations", "magnet.xml"}},
	})
	copyFixture(t, "ipc1752a-classd-rotor-magnet.xml", filepath.Join(filepath.Dir(path), "magnet.xml"))
	l, err := readPath(t, path, Options{})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	// Part numbers match ignoring case.
	if src := lineOf(t, l, "P1", "mag-rot-42sh").ContentSource; src != "magnet.xml" {
		t.Errorf("content source %q", src)
	}
}

// TestDeclarationsKeyNotInSettingKeys: an upload page offers the keys of
// SettingKeys as form fields, and a declarations value from
// Options.Settings is a path on this machine.
func TestDeclarationsKeyNotInSettingKeys(t *testing.T) {
	for _, k := range schema.SettingKeys {
		if schema.NormalizeKey(k) == schema.NormalizeKey(schema.DeclarationsKey) {
			t.Errorf("SettingKeys holds %q", k)
		}
	}
}

// TestSampleDeclaration: the demo ships a declaration, which fills a line.
func TestSampleDeclaration(t *testing.T) {
	b, err := Sample()
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	l, err := Read(b, Options{Now: readNow})
	if err != nil {
		t.Fatal(err)
	}
	var declared []string
	for _, ln := range l.Input.BOM.Lines {
		if ln.ContentSource != "" {
			declared = append(declared, ln.PartNumber+" "+ln.ContentSource)
		}
	}
	if len(declared) == 0 {
		t.Fatalf("no line of the sample takes its content from a declaration; problems:%s", problemList(l.Problems))
	}
	for _, p := range l.Problems {
		if strings.HasPrefix(p.Sheet, "declarations") {
			t.Errorf("the sample's declaration has a problem: %s", p)
		}
	}
	t.Logf("declared: %s", strings.Join(declared, "; "))
}
