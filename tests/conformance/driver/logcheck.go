package driver

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// CheckLogLines checks the plugin's stderr as go-plugin reads it: a line
// that is a JSON object is an hclog entry whose @message, @level and
// @timestamp must be strings (go-plugin type-asserts them: anything else
// panics inside Terraform), with @timestamp in hclog's exact layout and a
// known level.
func CheckLogLines(stderr string) []error {
	var errs []error
	for i, line := range strings.Split(stderr, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "{") {
			continue
		}
		var raw map[string]interface{}
		if json.Unmarshal([]byte(line), &raw) != nil {
			continue // plain text as far as go-plugin is concerned
		}
		for _, k := range []string{"@message", "@level", "@timestamp"} {
			v, ok := raw[k]
			if !ok {
				continue
			}
			if _, isStr := v.(string); !isStr {
				errs = append(errs, fmt.Errorf("stderr line %d: %s is %T, not a string (go-plugin would panic): %s", i+1, k, v, line))
			}
		}
		if ts, ok := raw["@timestamp"].(string); ok {
			if _, err := time.Parse("2006-01-02T15:04:05.000000Z07:00", ts); err != nil {
				errs = append(errs, fmt.Errorf("stderr line %d: @timestamp %q is not in hclog's layout: %s", i+1, ts, line))
			}
		}
		if lv, ok := raw["@level"].(string); ok {
			switch lv {
			case "trace", "debug", "info", "warn", "error":
			default:
				errs = append(errs, fmt.Errorf("stderr line %d: unknown @level %q", i+1, lv))
			}
		}
	}
	return errs
}

// CheckNoSecrets reports any of the secrets appearing in text.
func CheckNoSecrets(what, text string, secrets ...string) []error {
	var errs []error
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			errs = append(errs, fmt.Errorf("%s contains a secret (%d characters starting %q)", what, len(s), s[:4]))
		}
	}
	return errs
}
