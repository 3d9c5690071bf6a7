package web

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/govkpi/govkpi/internal/kpi"
)

type openapiDoc struct {
	Paths      map[string]map[string]any `json:"paths"`
	Components struct {
		Schemas map[string]struct {
			Properties map[string]any `json:"properties"`
			AllOf      []struct {
				Ref        string         `json:"$ref"`
				Properties map[string]any `json:"properties"`
			} `json:"allOf"`
		} `json:"schemas"`
	} `json:"components"`
}

// TestOpenAPIInStep checks the document against the router (every API
// route documented, nothing documented that is not routed) and against the
// response types (every JSON field documented, nothing extra).
func TestOpenAPIInStep(t *testing.T) {
	var doc openapiDoc
	if err := json.Unmarshal(openapiJSON, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	s := &Server{actions: map[string]kpi.Action{}, pages: parsePages()}
	e := echo.New()
	s.routes(e)
	routed := map[string]bool{}
	for _, r := range e.Routes() {
		if strings.HasPrefix(r.Path, "/api/") && r.Method != echo.RouteNotFound {
			routed[r.Path] = true
			if _, ok := doc.Paths[r.Path][strings.ToLower(r.Method)]; !ok {
				t.Errorf("route %s %s is not in openapi.json", r.Method, r.Path)
			}
		}
	}
	for path := range doc.Paths {
		if !routed[path] {
			t.Errorf("openapi.json documents %s, which is not routed", path)
		}
	}
	var props func(name string) []string
	props = func(name string) []string {
		sc := doc.Components.Schemas[name]
		var out []string
		for k := range sc.Properties {
			out = append(out, k)
		}
		for _, a := range sc.AllOf {
			for k := range a.Properties {
				out = append(out, k)
			}
			if a.Ref != "" {
				out = append(out, props(strings.TrimPrefix(a.Ref, "#/components/schemas/"))...)
			}
		}
		sort.Strings(out)
		return out
	}
	for schema, typ := range map[string]reflect.Type{
		"Indicator": reflect.TypeOf(apiIndicator{}), "Region": reflect.TypeOf(apiRegion{}), "Point": reflect.TypeOf(apiPoint{}),
		"Comparison": reflect.TypeOf(apiComparison{}), "ScoreRow": reflect.TypeOf(apiScoreRow{}), "Period": reflect.TypeOf(apiPeriod{}),
	} {
		if got, want := props(schema), jsonFields(typ); !reflect.DeepEqual(got, want) {
			t.Errorf("schema %s has %v, the Go type %v", schema, got, want)
		}
	}
	point := jsonFields(reflect.TypeOf(apiPoint{}))
	row := jsonFields(reflect.TypeOf(apiComparisonRow{}))
	if got := props("ComparisonRow"); !reflect.DeepEqual(got, sortedUnion(row, point)) {
		t.Errorf("schema ComparisonRow has %v, the Go type %v", got, row)
	}
}

// jsonFields lists a struct's JSON names, embedded structs flattened.
func jsonFields(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous {
			out = append(out, jsonFields(f.Type)...)
			continue
		}
		name := strings.Split(f.Tag.Get("json"), ",")[0]
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

func sortedUnion(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range append(a, b...) {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	sort.Strings(out)
	return out
}

func TestNewAPIEndpoints(t *testing.T) {
	ts := newServer(t, demoDB)
	var sc struct {
		Categories []struct {
			Score      *float64
			Indicators []apiScoreRow
		}
	}
	if code := getJSON(t, ts, "/api/v1/scorecard?region=330100&year=2025", &sc); code != 200 || len(sc.Categories) != 5 {
		t.Fatalf("scorecard: %d %d categories", code, len(sc.Categories))
	}
	var sum struct{ Summary string }
	if getJSON(t, ts, "/api/v1/summary?region=330100&year=2025", &sum); !strings.HasPrefix(sum.Summary, "2025年，全市") {
		t.Errorf("summary %q", sum.Summary)
	}
	var tg struct{ Targets []struct{ Target *float64 } }
	if getJSON(t, ts, "/api/v1/targets?indicator=startup_days&year=2025&parent=330100", &tg); len(tg.Targets) != 14 || tg.Targets[0].Target == nil {
		t.Errorf("targets: %+v", tg)
	}
	var doc map[string]any
	if code := getJSON(t, ts, "/api/v1/openapi.json", &doc); code != 200 || doc["openapi"] != "3.0.3" {
		t.Errorf("openapi.json: %d", code)
	}
}
