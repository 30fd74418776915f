package main

import (
	"strconv"
	"strings"

	"rexpo/inputs"
)

// Bounds of the setting flags that are checked here before anything is
// read. The same values in a Settings sheet are input errors naming their
// cell (inputs), not bad usage.
const (
	minHorizon = 12
	// maxHorizon: ten years of months is as far as any scenario reaches,
	// and every month is held for every scenario.
	maxHorizon = 120
)

// checkSettingFlags checks the setting flags' values: a value out of range
// is bad usage (exit 2) naming the flag and what it accepts (SPEC section
// 11), before any input is read. settings are by Settings key.
func checkSettingFlags(settings map[string]string) error {
	var msgs []string
	checked := map[string]bool{}
	if v, ok := settings["horizon"]; ok {
		checked["horizon"] = true
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < minHorizon || n > maxHorizon {
			msgs = append(msgs, flagUsage("horizon", v, "out of range: a whole number of months from %d to %d", minHorizon, maxHorizon).Error())
		}
	}
	if v, ok := settings["start"]; ok {
		checked["start"] = true
		m, err := inputs.ParseMonth(v, false)
		switch {
		case err != nil || m.Relative > 0 || m.IsZero():
			msgs = append(msgs, flagUsage("start", v, "not a calendar month: expected YYYY-MM with a month from 01 to 12, such as 2026-12").Error())
		default:
			horizon := 24
			if n, err := strconv.Atoi(strings.TrimSpace(settings["horizon"])); err == nil && n >= minHorizon && n <= maxHorizon {
				horizon = n
			}
			if err := inputs.ProjectionFits(m, horizon); err != nil {
				msgs = append(msgs, flagUsage("start", v, "%v", err).Error())
			}
		}
	}
	if v, ok := settings["draws"]; ok {
		checked["draws"] = true
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 1 || n > inputs.MaxDraws {
			msgs = append(msgs, flagUsage("draws", v, "out of range: a whole number from 1 to %d", inputs.MaxDraws).Error())
		}
	}
	// The other values are checked as the Settings sheet's are; here each
	// problem names its flag.
	for _, p := range inputs.CheckSettings(settings) {
		if p.Error && !checked[strings.ReplaceAll(strings.TrimPrefix(p.Cell, "--"), "-", "_")] {
			msgs = append(msgs, p.Cell+": "+p.Message)
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	return usagef("%s", strings.Join(msgs, "\n"))
}
