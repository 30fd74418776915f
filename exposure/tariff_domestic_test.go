package exposure

import "testing"

// A part made in the import country is not imported: an every-origin (`*`)
// tariff row does not charge it, while it still charges a part made
// elsewhere.
func TestTariffSkipsDomesticParts(t *testing.T) {
	everyOrigin := scen("s232", "0", nil, []Tariff{tar("US", "*", "", "8505", "25")})
	for _, tc := range []struct {
		name, countries, want string
	}{
		// US-made magnet imported into the US: no tariff.
		{"made-in-import-country", "US/US/US/US", "0"},
		// JP-made: 1 part × 200 × 25% = 50 per unit; × 1,200 a year = 60,000.
		{"made-elsewhere", "AU/MY/JP/JP", "60000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := oneLine("1", "", "8505.11", "", []Source{src(tc.countries, "200")}, everyOrigin)
			r, err := Compute(in)
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Scenarios[0].AnnualDelta; !got.Equal(dec(tc.want)) {
				t.Errorf("Compute(case=%s) annual_delta = %s, want %s", tc.name, got, tc.want)
			}
		})
	}
}
