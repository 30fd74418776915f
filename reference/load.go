package reference

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"sync"

	"rexpo/exposure"
)

// files holds the embedded reference data as CSV files a reviewer can
// diff, under data/.
//
//go:embed data
var files embed.FS

// Files returns the embedded files, the CSV files under "data/". The
// inputs package reads the built-in scenario library, alternatives and
// signal rules from them as a book of sheets.
func Files() fs.FS { return files }

// Errors the lookups wrap, so that callers tell the kind of problem with
// errors.Is.
var (
	// ErrUnknownCountry: a text that names no ISO 3166 country.
	ErrUnknownCountry = errors.New("unknown country")
	// ErrUnknownElement: a text that names no chemical element.
	ErrUnknownElement = errors.New("unknown element")
)

// Data is the embedded reference data, parsed and checked: the chemical
// elements, the countries, the element groups, the material compositions,
// the element prices and the world stage shares.
type Data struct {
	elements    *elementTable
	countries   *countryTable
	groups      []Group
	materials   map[string]exposure.Material
	prices      map[string]exposure.Price
	stageShares []exposure.StageShare
}

var (
	loadOnce sync.Once
	loaded   *Data
	loadErr  error
)

// Load parses the embedded files the first time it is called and returns
// the same data, or the same error, every time after. It is the one
// loader of the package: the functions that return no error (ElementName,
// CountryName, ...) return zero values when it fails, so a caller that
// must not go on with missing data calls Load first and stops on its
// error. The files are checked by tests, so an error means a broken build.
func Load() (*Data, error) {
	loadOnce.Do(func() { loaded, loadErr = load(files) })
	return loaded, loadErr
}

// load reads every table of fsys, elements first: the others name them.
func load(fsys fs.FS) (*Data, error) {
	d := &Data{}
	var err error
	if d.elements, err = loadElements(fsys); err != nil {
		return nil, fmt.Errorf("load reference data: %w", err)
	}
	if want := exposure.RareEarths(); !slices.Equal(d.elements.rare, want) {
		return nil, fmt.Errorf("load reference data: %s lists %v, want the rare earths of package exposure, %v", rareEarthsFile, d.elements.rare, want)
	}
	if d.countries, err = loadCountries(fsys); err != nil {
		return nil, fmt.Errorf("load reference data: %w", err)
	}
	if d.groups, err = loadGroups(fsys, d.elements); err != nil {
		return nil, fmt.Errorf("load reference data: %w", err)
	}
	if d.materials, err = loadMaterials(fsys, d.elements); err != nil {
		return nil, fmt.Errorf("load reference data: %w", err)
	}
	if d.prices, err = loadPrices(fsys, d.elements); err != nil {
		return nil, fmt.Errorf("load reference data: %w", err)
	}
	if d.stageShares, err = loadStageShares(fsys); err != nil {
		return nil, fmt.Errorf("load reference data: %w", err)
	}
	return d, nil
}
