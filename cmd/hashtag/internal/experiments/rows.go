package experiments

import (
	"encoding/json"
	"github.com/hashtag-rec/hashtag/internal/binfile"
	"os"
	"path/filepath"
	"time"

	"github.com/hashtag-rec/hashtag/trainer/baselines/report"
)

// The row store keeps every finished row of the report in
// CACHE/experiments/CORPUS[-quick]/METHOD.row.json, with the settings and
// the data it was made with, so that --reuse can take it instead of
// running the method again.

// storedRow is a finished row of the report, kept for --reuse.
type storedRow struct {
	Settings, Counts string
	Finished         time.Time
	Row              report.Row
	Log              string
}

func rowPath(cfg *Config, c corpus, name string) string {
	dir := c.key
	if cfg.QuickMode {
		dir += "-quick"
	}
	return filepath.Join(cfg.CacheDir, "experiments", dir, name+".row.json")
}

// reusedRow returns the stored row of an earlier run with the same
// settings and data, if --reuse allows it.
func reusedRow(cfg *Config, settings string, c corpus, name, counts string) (storedRow, bool) {
	var sr storedRow
	if !cfg.Reuse {
		return sr, false
	}
	b, err := os.ReadFile(rowPath(cfg, c, name))
	if err != nil || json.Unmarshal(b, &sr) != nil {
		return sr, false
	}
	// A row stored before the open evaluation existed has no open table.
	return sr, sr.Settings == settings && sr.Counts == counts && sr.Row.Skipped == "" && sr.Row.Open != nil
}

func storeRow(cfg *Config, c corpus, sr storedRow) error {
	b, err := json.MarshalIndent(sr, "", "  ")
	if err != nil {
		return err
	}
	p := rowPath(cfg, c, sr.Row.Method)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return binfile.WriteFile(p, b)
}
