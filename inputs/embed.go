package inputs

import "embed"

// dataFS holds the embedded reference data and the sample input, as CSV
// files a reviewer can diff.
//
//go:embed data
var dataFS embed.FS
