package main

import (
	"github.com/urfave/cli/v2"
)

// Flags shared by several commands.
var (
	outputFlag      = &cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the workbook to `FILE`"}
	jsonFlag        = &cli.StringFlag{Name: "json", Usage: "also write the JSON of the results to `FILE` (- for standard output)"}
	maxUnzippedFlag = &cli.StringFlag{Name: "max-unzipped", Usage: "refuse workbooks that unzip to more than `SIZE` (e.g. 1GiB, 500MiB or a number of bytes)", Value: "8GiB", DefaultText: "8 GiB"}
	asOfFlag        = &cli.StringFlag{Name: "as-of", Usage: "timestamp printed in the outputs (`TIME`, e.g. 2026-11-26T09:00:00Z); default now"}
	// declarationsFlag is also the Settings key declarations (not among
	// schema.SettingKeys, so that an upload's form cannot name a path).
	declarationsFlag = &cli.StringFlag{Name: "declarations", Usage: "suppliers' material declarations (IPC-1752A, IEC 62474): an .xml `PATH` or a folder of them; they fill the rare-earth content of BOM lines that give none"}
)

// settingFlags are the report flags that are also Settings keys. Each
// flag's name, with '-' as '_', is its Settings key.
var settingFlags = []cli.Flag{
	&cli.StringFlag{Name: "import-country", Usage: "country whose tariffs apply (`CODE`, default US)"},
	&cli.StringFlag{Name: "currency", Usage: "report `CURRENCY` (default USD); costs are converted with the FX sheet or --fx"},
	&cli.StringSliceFlag{Name: "fx", Usage: "exchange rate `CUR=RATE`, report-currency units per one unit of CUR (e.g. EUR=1.08); repeat or separate with commas; wins over the FX sheet"},
	&cli.StringFlag{Name: "start", Usage: "first `MONTH` of the projection, e.g. 2026-12 (default: the month of --as-of)"},
	&cli.StringFlag{Name: "horizon", Usage: "projection length in `MONTHS`, 12 to 120 (default 24)"},
	&cli.StringFlag{Name: "carrying-rate", Usage: "cost of carrying stock, `PERCENT` a year (default 25)"},
	&cli.StringFlag{Name: "unknown-origin", Usage: "how unknown stage countries count: `world` (by world shares), controlling or free"},
	&cli.StringFlag{Name: "rollup", Usage: "which lines carry unit cost: `leaves` (default) or all"},
	&cli.StringFlag{Name: "country-cap", Usage: "recommendations: largest share of one country at any supply-chain stage, `PERCENT` (default 65)"},
	&cli.StringFlag{Name: "cap-countries", Usage: "recommendations: the countries the cap applies to: `controlling` (default: the scenarios' controlling countries), all (every country but the product's import country) or a list such as CN,RU"},
	&cli.StringFlag{Name: "objective", Usage: "recommendations minimise the `expected` (default) or the worst-case annual cost"},
	&cli.StringFlag{Name: "controlling-country", Usage: "country whose controls the exposure figures measure (`CODE`, default CN)"},
	&cli.StringFlag{Name: "volume", Usage: "annual volume of each product for a CSV BOM without Products (`UNITS`, default 1)"},
	&cli.StringFlag{Name: "draws", Usage: "Monte Carlo draws per scenario for the P10/P50/P90 ranges (`N`, default 10000)"},
	&cli.StringFlag{Name: "seed", Usage: "random seed of the Monte Carlo (`N`, default 1): the same seed gives the same figures"},
	declarationsFlag,
	asOfFlag,
}

// reportOnly are the report flags that change only what report writes
// (the Monte Carlo and the plan's objective), not what the input means:
// validate, which writes nothing, does not take them.
var reportOnly = map[string]bool{"draws": true, "seed": true, "objective": true}

// validateFlags are the report flags without reportOnly.
var validateFlags = func() []cli.Flag {
	var out []cli.Flag
	for _, f := range reportFlags {
		if !reportOnly[f.Names()[0]] {
			out = append(out, f)
		}
	}
	return out
}()

// reportFlags are the flags of report (and, but for reportOnly, of
// validate, which checks the same).
var reportFlags = append([]cli.Flag{
	&cli.StringFlag{Name: "scenarios", Usage: "workbook `FILE` whose Scenarios, Controls and Tariffs sheets replace the built-in library"},
	&cli.StringFlag{Name: "only", Usage: "compute only these scenario `IDS` (comma-separated)"},
	&cli.StringFlag{Name: "map", Usage: "YAML or JSON `FILE` mapping our column names to your export's headers"},
	&cli.BoolFlag{Name: "decimal-comma", Usage: "numbers written as text use ',' for decimals and '.' for thousands (1.234,5), as Excel writes CSV in much of Europe"},
	maxUnzippedFlag,
}, settingFlags...)
