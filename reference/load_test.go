package reference

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
)

func TestLoadEmbedded(t *testing.T) {
	d, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(d.groups) == 0 || len(d.materials) == 0 || len(d.prices) == 0 || len(d.stageShares) == 0 {
		t.Fatalf("%d groups, %d materials, %d prices, %d stage shares: want some of each",
			len(d.groups), len(d.materials), len(d.prices), len(d.stageShares))
	}
	// The magnet rare earths have embedded prices.
	for _, sym := range []string{"Nd", "Pr", "Dy", "Tb"} {
		if _, ok := d.prices[sym]; !ok {
			t.Errorf("no embedded price for %s", sym)
		}
	}
	// The callers' copies are theirs.
	m := Materials()
	for code := range m {
		m[code].WtPct["Xx"] = decimal.Zero
		break
	}
	for _, mat := range Materials() {
		if _, ok := mat.WtPct["Xx"]; ok {
			t.Fatal("Materials returned the package's own composition")
		}
	}
}

// refFS is the embedded files with some replaced.
func refFS(t *testing.T, replace map[string]string) fs.FS {
	t.Helper()
	out := fstest.MapFS{}
	err := fs.WalkDir(files, "data", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := fs.ReadFile(files, p)
		out[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for p, text := range replace {
		out[p] = &fstest.MapFile{Data: []byte(text)}
	}
	return out
}

func TestLoadReportsErrors(t *testing.T) {
	for _, tc := range []struct {
		name, file, text, want string
	}{
		{"group names an unknown element", "data/groups.csv", "group,elements,source\nHRE2,\"Dy,Xq\",s\n", "groups.csv:2: group HRE2: unknown element"},
		{"composition over 100", "data/materials.csv", "material,description,family,source,price_usd_per_kg,price_as_of,price_source,Nd,Fe\nX,x,ndfeb,s,,,,40,70\n", "adds up to 110 wt%"},
		{"column not an element", "data/materials.csv", "material,description,family,source,price_usd_per_kg,price_as_of,price_source,Nd,grade\nX,x,ndfeb,s,,,,40,N42\n", `column "grade"`},
		{"price not a number", "data/prices.csv", "element,price_usd_per_kg,exchina_usd_per_kg,as_of,source\nNd,lots,,2026-01,s\n", "China price is missing or not a number"},
		{"unknown stage", "data/stage_shares.csv", "stage,family,country,share_pct,source,as_of\nsmelting,,CN,50,s,2025\n", `unknown stage "smelting"`},
		{"a rare earth missing", "data/elements.csv", "symbol,name,cas,atomic_number\nNd,Neodymium,7440-00-8,60\n", "want the rare earths of package exposure"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load(refFS(t, map[string]string{tc.file: tc.text}))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("load: %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestMaterialsColumns(t *testing.T) {
	// The embedded table's source is the composition's; the price has
	// price_as_of and price_source of its own.
	d, err := load(refFS(t, map[string]string{"data/materials.csv": "material,description,family,source,Nd,Fe,price_usd_per_kg,price_as_of,price_source\n" +
		"x_n42,test grade,NdFeB,composition paper,30,70,60.5,2026-01-15,price survey\n"}))
	if err != nil {
		t.Fatal(err)
	}
	m, ok := d.materials["X_N42"]
	if !ok {
		t.Fatalf("materials %v, want X_N42 (the code upper-cased)", d.materials)
	}
	if m.Source != "composition paper" || m.PriceSource != "price survey" || m.PriceAsOf != "2026-01-15" || m.Family != "ndfeb" {
		t.Errorf("source %q, price source %q, as of %q, family %q", m.Source, m.PriceSource, m.PriceAsOf, m.Family)
	}
	if !m.USDPerKg.Equal(m.PricePerKg) || m.USDPerKg.String() != "60.5" {
		t.Errorf("USD per kg %s, price per kg %s, want 60.5 both", m.USDPerKg, m.PricePerKg)
	}
	if len(m.WtPct) != 2 || m.WtPct["Nd"].String() != "30" || m.WtPct["Fe"].String() != "70" {
		t.Errorf("wt%% %v, want Nd 30, Fe 70", m.WtPct)
	}
}

func TestStageSharesHeavySeparation(t *testing.T) {
	d, err := load(refFS(t, map[string]string{"data/stage_shares.csv": "stage,family,country,share_pct,source,as_of\n" +
		"separation,,CN,90,s,2025-01\n" +
		"hre_separation,,CN,99,s,2025-01\n" +
		"HRE separation,ndfeb,MY,1,s,2025-01\n"}))
	if err != nil {
		t.Fatal(err)
	}
	want := []exposure.Stage{exposure.StageSeparation, exposure.StageHRESeparation, exposure.StageHRESeparation}
	if len(d.stageShares) != len(want) {
		t.Fatalf("%d shares, want %d", len(d.stageShares), len(want))
	}
	for i, s := range d.stageShares {
		if s.Stage != want[i] {
			t.Errorf("row %d stage %v, want %v", i+2, s.Stage, want[i])
		}
	}
	// 99% as a fraction.
	if got := d.stageShares[1].Share.String(); got != "0.99" {
		t.Errorf("heavy separation share CN %s, want 0.99", got)
	}
}
