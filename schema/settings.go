package schema

// SettingKeys are the Settings sheet keys, the report flags without dashes.
var SettingKeys = []string{
	"currency", "import_country", "controlling_country", "start", "horizon", "carrying_rate",
	"unknown_origin", "country_cap", "cap_countries", "objective", "rollup", "draws", "seed", "as_of", "volume", "only", FXKey,
}

// FXKey is the Settings key (and, as --fx, the flag) that gives exchange
// rates without an FX sheet: "EUR=1.08, GBP=1.27", report-currency units
// per one unit of each currency. A lone CSV file has no sheet to hold
// them; a rate given so wins over the FX sheet's.
const FXKey = "fx"

// DeclarationsKey is the Settings key (and report flag) naming the
// suppliers' declarations to read. It is not among SettingKeys: a value
// from the command line is a path on this machine, which an upload page
// must not let its users name.
const DeclarationsKey = "declarations"

// DeclarationPartKey is the --map entry naming the declaration's
// attribute or element matched to BOM part numbers (default: the
// IPC-1752A itemNumber or the IEC 62474 identifier of ProductID).
const DeclarationPartKey = "declaration_part_number"
