package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// readMapping reads a --map file: our column name → the export's header,
// as JSON ({"part_number": "Material"}) or simple YAML (part_number: Material).
func readMapping(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: --map: %w", errInputFile, err)
	}
	text := strings.TrimSpace(strings.TrimPrefix(string(data), "\ufeff"))
	m := map[string]string{}
	if strings.HasPrefix(text, "{") {
		if err := json.Unmarshal([]byte(text), &m); err != nil {
			return nil, fmt.Errorf("%w: --map %s: not a JSON object of strings: %v", errInputFile, path, err)
		}
		return m, nil
	}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") || line == "---" {
			continue
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("%w: --map %s line %d: expected `our_column: Their header`", errInputFile, path, i+1)
		}
		m[unquote(strings.TrimSpace(key))] = unquote(strings.TrimSpace(val))
	}
	return m, nil
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		return s[1 : len(s)-1]
	}
	return s
}
