package driver

import (
	"fmt"
	"strings"

	"hwims/conformance/tfplugin6"
)

// Severity of a diagnostic, with tfplugin6's numbers.
type Severity int

const (
	SeverityInvalid Severity = 0
	SeverityError   Severity = 1
	SeverityWarning Severity = 2
)

func (s Severity) String() string {
	switch s {
	case SeverityError:
		return "error"
	case SeverityWarning:
		return "warning"
	default:
		return fmt.Sprintf("INVALID(%d)", int(s))
	}
}

// Step is one attribute path step: exactly one of the three is set (Kind says which).
type Step struct {
	Kind  string // "attr", "key" (string element key) or "index"
	Name  string
	Key   string
	Index int64
}

func (s Step) String() string {
	switch s.Kind {
	case "attr":
		return "." + s.Name
	case "key":
		return fmt.Sprintf("[%q]", s.Key)
	case "index":
		return fmt.Sprintf("[%d]", s.Index)
	default:
		return "<empty step>"
	}
}

// Path is an attribute path.
type Path []Step

func (p Path) String() string {
	var sb strings.Builder
	for _, s := range p {
		sb.WriteString(s.String())
	}
	if sb.Len() == 0 {
		return "<no path>"
	}
	return strings.TrimPrefix(sb.String(), ".")
}

// Diagnostic is a decoded tfplugin6 diagnostic.
type Diagnostic struct {
	Severity Severity
	Summary  string
	Detail   string
	Path     Path // nil when the diagnostic has no attribute
	HasPath  bool
}

func (d Diagnostic) String() string {
	s := fmt.Sprintf("%s: %s", d.Severity, d.Summary)
	if d.Detail != "" {
		s += ": " + d.Detail
	}
	if d.HasPath {
		s += " (at " + d.Path.String() + ")"
	}
	return s
}

// Diagnostics is a list of diagnostics.
type Diagnostics []Diagnostic

// HasErrors reports whether any diagnostic is an error.
func (ds Diagnostics) HasErrors() bool {
	for _, d := range ds {
		if d.Severity == SeverityError {
			return true
		}
	}
	return false
}

// Err returns the error diagnostics as one error, or nil.
func (ds Diagnostics) Err() error {
	var msgs []string
	for _, d := range ds {
		if d.Severity == SeverityError {
			msgs = append(msgs, d.String())
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	return fmt.Errorf("%s", strings.Join(msgs, "; "))
}

func (ds Diagnostics) String() string {
	var parts []string
	for _, d := range ds {
		parts = append(parts, d.String())
	}
	return "[" + strings.Join(parts, "; ") + "]"
}

// ConvertPath decodes a tfplugin6 AttributePath.
func ConvertPath(ap *tfplugin6.AttributePath) Path {
	var p Path
	for _, s := range ap.GetSteps() {
		switch sel := s.GetSelector().(type) {
		case *tfplugin6.AttributePath_Step_AttributeName:
			p = append(p, Step{Kind: "attr", Name: sel.AttributeName})
		case *tfplugin6.AttributePath_Step_ElementKeyString:
			p = append(p, Step{Kind: "key", Key: sel.ElementKeyString})
		case *tfplugin6.AttributePath_Step_ElementKeyInt:
			p = append(p, Step{Kind: "index", Index: sel.ElementKeyInt})
		default:
			p = append(p, Step{})
		}
	}
	return p
}

// ConvertDiagnostics decodes tfplugin6 diagnostics.
func ConvertDiagnostics(in []*tfplugin6.Diagnostic) Diagnostics {
	var out Diagnostics
	for _, d := range in {
		nd := Diagnostic{Severity: Severity(d.Severity), Summary: d.Summary, Detail: d.Detail}
		if d.Attribute != nil {
			nd.HasPath = true
			nd.Path = ConvertPath(d.Attribute)
		}
		out = append(out, nd)
	}
	return out
}

// CheckWellFormed reports diagnostics Terraform would mishandle: severity
// INVALID (neither error nor warning, silently dropped), an empty summary,
// or an attribute path with an empty step.
func (ds Diagnostics) CheckWellFormed() []error {
	var errs []error
	for _, d := range ds {
		if d.Severity != SeverityError && d.Severity != SeverityWarning {
			errs = append(errs, fmt.Errorf("diagnostic with severity %s is neither error nor warning: %s", d.Severity, d))
		}
		if strings.TrimSpace(d.Summary) == "" {
			errs = append(errs, fmt.Errorf("diagnostic without summary: %s", d))
		}
		for _, s := range d.Path {
			if s.Kind == "" {
				errs = append(errs, fmt.Errorf("diagnostic path has an empty step: %s", d))
			}
		}
	}
	return errs
}

// ParsePath parses the notation Path.String produces: a.b["k"][0].
func ParsePath(s string) Path {
	var p Path
	for len(s) > 0 {
		switch s[0] {
		case '.':
			s = s[1:]
		case '[':
			end := strings.IndexByte(s, ']')
			inner := s[1:end]
			s = s[end+1:]
			if strings.HasPrefix(inner, `"`) {
				p = append(p, Step{Kind: "key", Key: strings.Trim(inner, `"`)})
			} else {
				var n int64
				fmt.Sscanf(inner, "%d", &n)
				p = append(p, Step{Kind: "index", Index: n})
			}
		default:
			end := strings.IndexAny(s, ".[")
			if end < 0 {
				end = len(s)
			}
			p = append(p, Step{Kind: "attr", Name: s[:end]})
			s = s[end:]
		}
	}
	return p
}

// Expect is what a test expects of one diagnostic. Path "" means "no
// attribute path"; SummaryHas is a case-insensitive substring.
type Expect struct {
	Severity   Severity
	SummaryHas string
	Path       string
}

// Match checks that ds contains, for each expectation, a diagnostic with that
// severity, a summary or detail containing SummaryHas, and exactly that path;
// and that there is no error diagnostic no expectation accounts for.
func (ds Diagnostics) Match(want ...Expect) error {
	used := make([]bool, len(ds))
	for _, w := range want {
		found := false
		for i, d := range ds {
			if used[i] || d.Severity != w.Severity {
				continue
			}
			text := strings.ToLower(d.Summary + "\n" + d.Detail)
			if !strings.Contains(text, strings.ToLower(w.SummaryHas)) {
				continue
			}
			if w.Path == "" && d.HasPath && len(d.Path) > 0 {
				continue
			}
			if w.Path != "" && (!d.HasPath || d.Path.String() != ParsePath(w.Path).String()) {
				continue
			}
			used[i] = true
			found = true
			break
		}
		if !found {
			return fmt.Errorf("no %s diagnostic containing %q at path %q in %s", w.Severity, w.SummaryHas, w.Path, ds)
		}
	}
	for i, d := range ds {
		if !used[i] && d.Severity == SeverityError {
			return fmt.Errorf("unexpected error diagnostic %s", d)
		}
	}
	if errs := ds.CheckWellFormed(); len(errs) > 0 {
		return errs[0]
	}
	return nil
}
