package inputs

import "embed"

// sampleFS holds the sample input of `rexpo demo` under data/sample, as
// CSV files a reviewer can diff. The reference data is package reference's.
//
//go:embed data/sample
var sampleFS embed.FS
